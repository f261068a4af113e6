"""API schemas for assets: explicit fields, unknown input fields refused."""

from __future__ import annotations

from ninja import FilterSchema, ModelSchema
from pydantic import ConfigDict

from riskward.assets.models import Asset

FIELDS = [
    "name",
    "kind",
    "description",
    "owner",
    "criticality",
    "internet_facing",
    "mlps_level",
    "status",
    "dependencies",
]


class AssetOut(ModelSchema):
    class Meta:
        model = Asset
        fields = ["id", *FIELDS, "created_at", "updated_at"]


class AssetIn(ModelSchema):
    model_config = ConfigDict(extra="forbid")
    dependencies: list[int] = []

    class Meta:
        model = Asset
        fields = FIELDS


class AssetPatch(ModelSchema):
    model_config = ConfigDict(extra="forbid")

    class Meta:
        model = Asset
        fields = FIELDS
        fields_optional = "__all__"


class AssetFilter(FilterSchema):
    kind: str | None = None
    criticality: int | None = None
    status: str | None = None
    internet_facing: bool | None = None
    owner: int | None = None
