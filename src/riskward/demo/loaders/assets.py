"""The asset inventory from `data/assets.csv` (dependencies refer to earlier rows by name)."""

from __future__ import annotations

from riskward.assets import services
from riskward.assets.models import Asset
from riskward.demo import tables
from riskward.demo.loaders.context import Demo


def load(demo: Demo) -> None:
    for row in tables.read("assets"):
        demo.assets[row["name"]] = demo.upsert(
            Asset,
            {"name": row["name"]},
            {
                "kind": row["kind"],
                "criticality": int(row["criticality"]),
                "internet_facing": tables.yes(row["internet_facing"]),
                "mlps_level": tables.optional_int(row["mlps_level"]),
                "owner": demo.people[row["owner"]],
                "description": row["description"],
                "dependencies": [demo.assets[name] for name in tables.split(row["depends_on"])],
            },
            services.create_asset,
            services.update_asset,
        )
