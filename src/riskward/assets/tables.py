"""The asset register as a table, for CSV/XLSX import and export (`core.tabular`).

Registered from AssetsConfig.ready(). Assets are named by `name`; owners by person name;
dependencies list other assets' names separated by ";" (earlier rows of the same file count).
"""

from __future__ import annotations

from riskward.assets import services
from riskward.assets.models import Asset
from riskward.assets.resources import ASSET_LISTING
from riskward.core.tabular import Column, TableSpec

ASSET_TABLE = TableSpec(
    key="assets",
    model=Asset,
    columns=[
        Column("Name", "name"),
        Column("Kind", "kind"),
        Column("Description", "description"),
        Column("Owner", "owner", lookup="name"),
        Column("Criticality", "criticality"),
        Column("Internet-facing", "internet_facing"),
        Column("MLPS level", "mlps_level"),
        Column("Status", "status"),
        Column("Dependencies", "dependencies", lookup="name"),
    ],
    natural_key="name",
    create=services.create_asset,
    update=services.update_asset,
    listing=ASSET_LISTING,
    list_url="assets:asset_list",
)
