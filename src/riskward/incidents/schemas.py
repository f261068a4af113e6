"""API schemas for incidents."""

from __future__ import annotations

from ninja import FilterSchema, ModelSchema
from pydantic import ConfigDict

from riskward.incidents.models import Incident

FIELDS = [
    "reference",
    "title",
    "description",
    "discovered_at",
    "severity",
    "status",
    "affected_assets",
    "material",
    "determined_on",
    "determination_rationale",
]


class IncidentOut(ModelSchema):
    class Meta:
        model = Incident
        fields = ["id", *FIELDS]


class IncidentIn(ModelSchema):
    model_config = ConfigDict(extra="forbid")
    affected_assets: list[int] = []

    class Meta:
        model = Incident
        fields = FIELDS


class IncidentPatch(ModelSchema):
    model_config = ConfigDict(extra="forbid")

    class Meta:
        model = Incident
        fields = FIELDS
        fields_optional = "__all__"


class IncidentFilter(FilterSchema):
    severity: int | None = None
    status: str | None = None
    material: bool | None = None
