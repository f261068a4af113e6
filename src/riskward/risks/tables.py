"""The risk register as a table, for CSV/XLSX import and export (`core.tabular`).

Registered from RisksConfig.ready(). Risks are named by reference (left empty on import, the
next RSK-NNN is assigned); assets by name, controls by reference, people, ERM categories and
matrices by name. Scores, bands and the next review date are derived by the services, so they
are exported for reading and ignored on import.
"""

from __future__ import annotations

from typing import Any

from riskward.core.tabular import Column, TableSpec
from riskward.risks import services
from riskward.risks.models import Risk
from riskward.risks.resources import RISK_LISTING


def _band(kind: str) -> Any:
    def band(risk: Risk) -> str | None:
        level = getattr(risk, f"{kind}_level")
        return risk.matrix.band(level) if level else None

    return band


RISK_TABLE = TableSpec(
    key="risks",
    model=Risk,
    columns=[
        Column("Reference", "reference"),
        Column("Title", "title"),
        Column("Description", "description"),
        Column("Threat source", "threat_source"),
        Column("Threat", "threat"),
        Column("Emerging threat", "emerging"),
        Column("Affected assets", "assets", lookup="name"),
        Column("Controls", "controls", lookup="reference"),
        Column("ERM category", "erm_category", lookup="name"),
        Column("Owner", "owner", lookup="name"),
        Column("Status", "status"),
        Column("Matrix", "matrix", lookup="name"),
        Column("Inherent likelihood", "inherent_likelihood"),
        Column("Inherent impact", "inherent_impact"),
        Column("Residual likelihood", "residual_likelihood"),
        Column("Residual impact", "residual_impact"),
        Column("Treatment", "treatment"),
        Column("Treatment plan", "treatment_plan"),
        Column("Review interval (days)", "review_interval_days"),
        Column("Last reviewed", "last_reviewed_on"),
        Column("Inherent score", "inherent_score", export_only=True),
        Column("Inherent level", "inherent_level", format=_band("inherent"), export_only=True),
        Column("Residual score", "residual_score", export_only=True),
        Column("Residual level", "residual_level", format=_band("residual"), export_only=True),
        Column("Next review", "next_review_on", export_only=True),
    ],
    natural_key="reference",
    create=services.create_risk,
    update=services.update_risk,
    listing=RISK_LISTING,
    list_url="risks:risk_list",
    setup=services.default_matrix,  # rows name "Standard 5x5" before any risk has made it
)
