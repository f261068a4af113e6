"""The asset register's pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from riskward.assets import services
from riskward.assets.forms import AssetForm
from riskward.assets.models import Asset
from riskward.core.listing import Column, ListSpec, boolean_filter, choice_filter, related_filter
from riskward.core.records import Resource

ASSET_LISTING = ListSpec(
    columns=[
        Column("name", "Name", sort="name", link=True),
        Column("get_kind_display", "Kind", sort="kind"),
        Column("get_criticality_display", "Criticality", sort="criticality"),
        Column("owner", "Owner", sort="owner__name"),
        Column("internet_facing", "Internet-facing", sort="internet_facing"),
        Column("mlps_level", "MLPS level", sort="mlps_level"),
        Column("get_status_display", "Status", sort="status"),
    ],
    filters=[
        choice_filter(Asset, "kind"),
        choice_filter(Asset, "criticality"),
        choice_filter(Asset, "status"),
        boolean_filter("internet_facing", "Internet-facing"),
        related_filter(Asset, "owner"),
    ],
    search=["name", "description"],
    default_sort="name",
    select_related=["owner"],
)


def asset_context(request: HttpRequest, asset: Asset) -> dict[str, Any]:
    return {
        "dependencies": asset.dependencies.all(),
        "dependents": asset.dependents.all(),
    }


ASSET = Resource(
    app="assets",
    name="asset",
    model=Asset,
    form=AssetForm,
    listing=ASSET_LISTING,
    create=services.create_asset,
    update=services.update_asset,
    delete=services.delete_asset,
    detail_fields=[
        "kind",
        "description",
        "owner",
        "criticality",
        "internet_facing",
        "mlps_level",
        "status",
    ],
    detail_template="assets/detail.html",
    detail_context=asset_context,
)
