"""Read helpers for the disclosure pages and API: scoped lookups and display rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery

from riskward.core.models import Organization
from riskward.disclosure.elements import Element, find_element
from riskward.disclosure.models import Disclosure, DisclosureVersion
from riskward.incidents import queries as incident_queries
from riskward.incidents.models import Incident
from riskward.incidents.queries import IncidentClock
from riskward.lib.errors import NotFound


def disclosure(org: Organization, pk: int) -> Disclosure:
    found: Disclosure | None = (
        Disclosure.objects.for_org(org).select_related("incident").filter(pk=pk).first()
    )
    if found is None:
        raise NotFound("No such disclosure.")
    return found


def incident(org: Organization, pk: int) -> Incident:
    found: Incident | None = Incident.objects.for_org(org).filter(pk=pk).first()
    if found is None:
        raise NotFound("No such incident.")
    return found


def version(org: Organization, pk: int, number: int) -> DisclosureVersion:
    found: DisclosureVersion | None = (
        DisclosureVersion.objects.for_org(org)
        .select_related(
            "disclosure__incident", "created_by", "submitted_by", "approved_by", "organization"
        )
        .filter(disclosure_id=pk, number=number)
        .first()
    )
    if found is None:
        raise NotFound("No such disclosure version.")
    return found


def latest_version(item: Disclosure) -> DisclosureVersion:
    found: DisclosureVersion | None = item.versions.order_by("-number").first()
    if found is None:
        raise NotFound("This disclosure has no version.")
    return found


def disclosures_with_latest(org: Organization) -> list[Disclosure]:
    """Each disclosure with `latest` set to its newest version (two queries in all: only the
    newest versions are read, without their facts, evidence and findings)."""
    newest = DisclosureVersion.objects.filter(disclosure=OuterRef("disclosure")).order_by("-number")
    latest_only = (
        DisclosureVersion.objects.filter(number=Subquery(newest.values("number")[:1]))
        .select_related("approved_by")
        .defer(*_LARGE_VERSION_FIELDS)
    )
    rows = list(
        Disclosure.objects.for_org(org)
        .select_related("incident")
        .prefetch_related(Prefetch("versions", queryset=latest_only, to_attr="newest"))
    )
    for row in rows:
        row.latest = row.newest[0] if row.newest else None
        row.latest_number = row.latest.number if row.latest else None
    return rows


_LARGE_VERSION_FIELDS = ("facts", "evidence", "findings", "validation", "edited_elements")


@dataclass(frozen=True)
class FactRow:
    element: Element
    value: Any
    evidence: Mapping[str, Any] | None  # flags only: {"reason": ..., "evidence": [...]}
    findings: list[Mapping[str, Any]]
    edited: bool


def fact_rows(row: DisclosureVersion) -> list[FactRow]:
    """The version's facts in presentation order, each with its evidence and findings."""
    rows = []
    for name, value in row.facts.items():
        element = find_element(name)
        if element is None:
            continue
        rows.append(
            FactRow(
                element=element,
                value=value,
                evidence=row.evidence.get(name),
                findings=[f for f in row.findings if f.get("element") == name],
                edited=name in row.edited_elements,
            )
        )
    return rows


def compared_versions(
    item: Disclosure, params: Mapping[str, str]
) -> tuple[DisclosureVersion, DisclosureVersion]:
    """The two versions named by ?a=&b= (defaults: the previous and the latest)."""
    numbers = sorted(item.versions.values_list("number", flat=True))
    if not numbers:
        raise NotFound("This disclosure has no version.")

    def pick(key: str, default: int) -> DisclosureVersion:
        raw = params.get(key, "")
        number = int(raw) if raw.isdigit() else default
        found: DisclosureVersion | None = item.versions.filter(number=number).first()
        if found is None:
            raise NotFound(f"{key}: no version {number} of this disclosure.")
        return found

    return pick("a", numbers[-2] if len(numbers) > 1 else numbers[-1]), pick("b", numbers[-1])


def incident_clock(org: Organization, item: Disclosure) -> IncidentClock | None:
    """The filing clock of an incident disclosure (None for annual ones)."""
    if item.incident is None:
        return None
    return incident_queries.clock_for(item.incident, org, date.today())
