"""API schemas for incidents: explicit fields, unknown input fields refused."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from ninja import FilterSchema, ModelSchema, Schema
from pydantic import ConfigDict

from riskward.incidents.models import (
    CONTENT_FIELDS,
    FACTORS,
    AttorneyGeneralDelay,
    Incident,
    IncidentFiling,
    MaterialityAssessment,
)

FIELDS = [
    "reference",
    "title",
    "description",
    "discovered_at",
    "severity",
    "status",
    "affected_assets",
    *CONTENT_FIELDS,
    "material",
    "determined_on",
    "determination_rationale",
]


class Forbid:
    model_config = ConfigDict(extra="forbid")


class IncidentOut(ModelSchema):
    class Meta:
        model = Incident
        fields = ["id", *FIELDS, "determined_at", "determined_by"]


class IncidentIn(Forbid, ModelSchema):
    """A determination given here needs its date and rationale; or use /determination."""

    affected_assets: list[int] = []

    class Meta:
        model = Incident
        fields = FIELDS


class IncidentPatch(Forbid, ModelSchema):
    class Meta:
        model = Incident
        fields = FIELDS
        fields_optional = "__all__"


class IncidentFilter(FilterSchema):
    severity: int | None = None
    status: str | None = None
    material: bool | None = None


FACTOR_FIELDS = [f"{name}_{part}" for name, _ in FACTORS for part in ("impact", "note")]


class MaterialityAssessmentOut(ModelSchema):
    class Meta:
        model = MaterialityAssessment
        fields = [
            "id",
            "incident",
            "assessed_at",
            "assessed_by",
            "currency",
            "loss_low",
            "loss_high",
            "exceedance_probability",
            *FACTOR_FIELDS,
            "reviewers",
            "recommendation",
            "conclusion",
        ]


class MaterialityAssessmentIn(Forbid, Schema):
    """Amounts in the organization's reporting currency; factors are none/low/medium/high."""

    loss_low: Decimal | None = None
    loss_high: Decimal | None = None
    exceedance_probability: float | None = None
    customers_impact: str = "none"
    customers_note: str = ""
    reputation_impact: str = "none"
    reputation_note: str = ""
    regulators_impact: str = "none"
    regulators_note: str = ""
    litigation_impact: str = "none"
    litigation_note: str = ""
    operations_impact: str = "none"
    operations_note: str = ""
    data_impact: str = "none"
    data_note: str = ""
    reviewers: list[int] = []
    recommendation: str = "undetermined"
    conclusion: str
    assessed_at: datetime | None = None


class DeterminationIn(Forbid, Schema):
    """The time is optional and does not change the deadline."""

    material: bool
    determined_on: date
    determined_time: time | None = None
    rationale: str


class DelayOut(ModelSchema):
    class Meta:
        model = AttorneyGeneralDelay
        fields = [
            "id",
            "incident",
            "sequence",
            "days",
            "requested_on",
            "written_determination",
            "national_security",
        ]


class DelayIn(Forbid, Schema):
    days: int
    requested_on: date
    written_determination: str
    national_security: bool = False


class FilingOut(ModelSchema):
    late: bool

    class Meta:
        model = IncidentFiling
        fields = [
            "id",
            "incident",
            "form",
            "information_determined_on",
            "due",
            "filed_on",
            "accession_number",
            "note",
        ]


class FilingIn(Forbid, Schema):
    """Leave `filed_on` empty for a filing still being prepared; `due` is computed."""

    form: str
    information_determined_on: date | None = None
    filed_on: date | None = None
    accession_number: str = ""
    note: str = ""


class FilingPatch(Forbid, Schema):
    information_determined_on: date | None = None
    filed_on: date | None = None
    accession_number: str | None = None
    note: str | None = None


class SkippedDayOut(Schema):
    day: date
    reason: str


class ClockOut(Schema):
    """A filing clock: `due` is None for a 6-K; `business_days_left` is None once filed."""

    incident: int
    reference: str
    title: str
    form: str
    determined_on: date
    due: date | None
    business_days: list[date]
    skipped: list[SkippedDayOut]
    delays: list[int]
    business_days_left: int | None
    overdue: bool
    filing: int | None
    filed_on: date | None
    note: str
