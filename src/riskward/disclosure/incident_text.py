"""Draft text of an incident report (Form 8-K Item 1.05, Form 6-K, or a voluntary Item 8.01)
from the incident record: its nature, scope, timing, impact, and what is not yet known.

Item 1.05 asks for the material aspects only; technical details that would impede the response
need not be given, so the drafts use the record's summaries, never asset inventories.
"""

from __future__ import annotations

from typing import Any

from riskward.disclosure.elements import (
    INCIDENT_IMPACT,
    INCIDENT_NATURE,
    INCIDENT_SCOPE,
    INCIDENT_TIMING,
    INCIDENT_UNDETERMINED,
)

SCOPE_PARTS = [
    ("scope_systems", "Systems affected"),
    ("scope_data", "Data affected"),
    ("scope_records", "Records affected"),
    ("scope_people", "People affected"),
    ("scope_business_units", "Business units affected"),
]
IMPACT_PARTS = [
    ("impact_operational", "Operations"),
    ("impact_financial", "Financial condition and results of operations"),
    ("impact_legal", "Legal and regulatory"),
    ("impact_reputational", "Reputation"),
]
UNDETERMINED_DEFAULT = (
    "The Company will file an amendment to this report within four business days after any "
    "information required by Item 1.05 that is not determined or is unavailable at the time of "
    "this filing is determined or becomes available."
)


def _labelled(incident: Any, parts: list[tuple[str, str]]) -> str:
    lines = []
    for field, label in parts:
        value = (getattr(incident, field, "") or "").strip()
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _long_date(day: Any) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _timing(incident: Any) -> str:
    lines = [(incident.timing or "").strip()] if (incident.timing or "").strip() else []
    lines.append(f"The Company discovered the incident on {_long_date(incident.discovered_at)}.")
    if incident.material and incident.determined_on:
        determined = _long_date(incident.determined_on)
        lines.append(f"It determined the incident to be material on {determined}.")
    return "\n".join(lines)


def draft_texts(incident: Any) -> dict[str, str]:
    """The five incident text blocks; the "not yet determined" block only when there is a gap."""
    nature = (incident.nature or incident.description or incident.title).strip()
    undetermined = (incident.undetermined_information or "").strip()
    texts = {
        INCIDENT_NATURE: nature,
        INCIDENT_SCOPE: _labelled(incident, SCOPE_PARTS),
        INCIDENT_TIMING: _timing(incident),
        INCIDENT_IMPACT: _labelled(incident, IMPACT_PARTS),
        INCIDENT_UNDETERMINED: f"{undetermined}\n{UNDETERMINED_DEFAULT}" if undetermined else "",
    }
    return {name: text for name, text in texts.items() if text}
