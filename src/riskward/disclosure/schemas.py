"""API schemas for disclosures, their versions and imported filings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class StartIn(Schema):
    model_config = ConfigDict(extra="forbid")
    fiscal_year: int = Field(ge=2023)
    risk_factors_reference: str = Field("", max_length=500)


class TextsIn(Schema):
    model_config = ConfigDict(extra="forbid")
    texts: dict[str, str] = Field(description="cyd text block local name -> text")


class SendBackIn(Schema):
    model_config = ConfigDict(extra="forbid")
    review_note: str


class FiledIn(Schema):
    model_config = ConfigDict(extra="forbid")
    filed_on: date
    accession_number: str = ""


class VersionOut(Schema):
    disclosure_id: int
    number: int
    status: str
    facts: dict[str, Any]
    evidence: dict[str, Any]
    findings: list[dict[str, Any]]
    validation: dict[str, Any]
    edited_elements: list[str]
    taxonomy_year: int
    content_hash: str
    approved_by: str | None = None
    approved_at: datetime | None
    filed_on: date | None
    accession_number: str
    review_note: str

    @staticmethod
    def resolve_approved_by(obj: Any) -> str | None:
        return obj.approved_by.username if obj.approved_by_id else None


class DisclosureOut(Schema):
    id: int
    form: str
    fiscal_year: int
    incident_id: int | None
    latest_number: int | None = None
    latest_status: str | None = None

    @staticmethod
    def resolve_latest_status(obj: Any) -> str | None:
        latest = getattr(obj, "latest", None)
        return latest.status if latest else None


class ImportedOut(Schema):
    id: int
    name: str
    role: str
    source: str
    format: str
    registrant_name: str
    cik: str
    form: str
    period_end: date | None
    taxonomy_year: int | None
    facts: dict[str, Any]
    notes: list[str]


class ImportDetailsIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = ""
    role: str = "peer"
