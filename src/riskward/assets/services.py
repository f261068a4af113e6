"""Asset inventory changes. Dependencies must stay inside the organization and not loop."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskward.assets.models import Asset
from riskward.core.changes import create_row, delete_row, update_row
from riskward.core.models import Organization
from riskward.lib.errors import InvalidInput


def _check_dependencies(asset: Asset | None, data: Mapping[str, Any]) -> None:
    """An asset cannot depend on itself, directly or through others."""
    if asset is None or "dependencies" not in data:
        return
    wanted = {getattr(d, "pk", d) for d in data["dependencies"] or []}
    seen: set[int] = set()
    frontier = wanted
    while frontier:
        if asset.pk in frontier:
            raise InvalidInput(
                "dependencies: this would make the asset depend on itself", "dependencies"
            )
        seen |= frontier
        frontier = (
            set(
                Asset.dependencies.through.objects.filter(from_asset_id__in=frontier).values_list(
                    "to_asset_id", flat=True
                )
            )
            - seen
        )


def create_asset(org: Organization, actor: Any, data: Mapping[str, Any]) -> Asset:
    return create_row(org, actor, Asset, data)


def update_asset(org: Organization, actor: Any, asset: Asset, data: Mapping[str, Any]) -> Asset:
    _check_dependencies(asset, data)
    return update_row(org, actor, asset, data)


def delete_asset(org: Organization, actor: Any, asset: Asset) -> None:
    delete_row(org, actor, asset)
