"""Past incidents, each with its (not material) determination."""

from __future__ import annotations

from datetime import UTC, date, datetime

from riskward.demo.data.incidents import INCIDENTS
from riskward.demo.loaders.context import Demo
from riskward.incidents import services
from riskward.incidents.models import Incident


def load(demo: Demo) -> None:
    for found, title, severity, status, assets, description, determined, why in INCIDENTS:
        demo.upsert(
            Incident,
            {"title": title},
            {
                "discovered_at": datetime.fromisoformat(found).replace(tzinfo=UTC),
                "severity": severity,
                "status": status,
                "affected_assets": [demo.assets[name] for name in assets],
                "description": description,
                "material": False,
                "determined_on": date.fromisoformat(determined),
                "determination_rationale": why,
            },
            services.create_incident,
            services.update_incident,
        )
