"""Past incidents, each with its (not material) determination, and one recent material
incident with its assessments and a running Form 6-K clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from riskward.demo.data.incidents import INCIDENTS, MATERIAL_INCIDENT
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
    load_material(demo)


def _moment(demo: Demo, days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(demo.today - timedelta(days=days_ago), time(hour), tzinfo=UTC)


def load_material(demo: Demo) -> None:
    """Created once; its determination and assessments are history, not forced on reload."""
    spec = MATERIAL_INCIDENT
    if Incident.objects.for_org(demo.org).filter(title=spec["title"]).exists():
        return
    fields = ["severity", "status", "description", "nature", "timing", "undetermined_information"]
    fields += [name for name in spec if name.startswith(("scope_", "impact_"))]
    values: dict[str, Any] = {name: spec[name] for name in fields}
    values["affected_assets"] = [demo.assets[name] for name in spec["assets"]]
    values["discovered_at"] = _moment(demo, spec["discovered_days_ago"], 3)
    incident = services.create_incident(demo.org, demo.actor, {"title": spec["title"], **values})
    for days_ago, recommendation, low, high, conclusion in spec["assessments"]:
        services.assess_materiality(
            demo.org,
            demo.actor,
            incident,
            {
                "assessed_at": _moment(demo, days_ago),
                "recommendation": recommendation,
                "loss_low": Decimal(low) if low else None,
                "loss_high": Decimal(high) if high else None,
                "customers_impact": "high" if recommendation == "material" else "medium",
                "conclusion": conclusion,
                "reviewers": [demo.people["Li Wei"], demo.people["Zhao Min"]],
            },
        )
    determined = _moment(demo, spec["determined_days_ago"], 16)
    services.determine_materiality(
        demo.org, demo.actor, incident, True, determined, spec["rationale"]
    )
    services.record_filing(demo.org, demo.actor, incident, {"form": "6-K"})
    demo.created += 1 + len(spec["assessments"]) + 1
