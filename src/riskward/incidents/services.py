"""Incident records. A determination needs its date and rationale, so the filing clock can run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskward.core.changes import create_row, delete_row, update_row
from riskward.core.models import Organization
from riskward.incidents.models import Incident
from riskward.lib.errors import InvalidInput


def _check_determination(data: Mapping[str, Any], current: Incident | None = None) -> None:
    material = data.get("material", current.material if current else None)
    determined_on = data.get("determined_on", current.determined_on if current else None)
    if material is not None and determined_on is None:
        raise InvalidInput(
            "determined_on: a materiality determination needs its date", "determined_on"
        )


def _next_reference(org: Organization) -> str:
    return f"INC-{Incident.objects.for_org(org).count() + 1:03}"


def create_incident(org: Organization, actor: Any, data: Mapping[str, Any]) -> Incident:
    _check_determination(data)
    values = dict(data)
    if not values.get("reference"):
        values["reference"] = _next_reference(org)
    return create_row(org, actor, Incident, values)


def update_incident(
    org: Organization, actor: Any, incident: Incident, data: Mapping[str, Any]
) -> Incident:
    _check_determination(data, incident)
    return update_row(org, actor, incident, data)


def delete_incident(org: Organization, actor: Any, incident: Incident) -> None:
    delete_row(org, actor, incident)
