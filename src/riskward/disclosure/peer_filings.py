"""Imported filings (our prior years, peers) and the comparison of ours with theirs."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from riskward.audit import services as audit
from riskward.core.changes import create_row, delete_row
from riskward.core.models import Organization
from riskward.disclosure import importers, peers
from riskward.disclosure.models import Disclosure, DisclosureVersion, ImportedFiling
from riskward.lib.errors import Conflict, InvalidInput, NotFound


@transaction.atomic
def import_bytes(
    org: Organization, actor: Any, data: bytes, source: str, name: str = "", role: str = "peer"
) -> ImportedFiling:
    """Read a filing and keep its cyd facts; the same file twice is refused, not duplicated."""
    if role not in ImportedFiling.Role.values:
        raise InvalidInput(f"role: expected one of {', '.join(ImportedFiling.Role.values)}", "role")
    digest = hashlib.sha256(data).hexdigest()
    if ImportedFiling.objects.for_org(org).filter(sha256=digest).exists():
        raise Conflict(f"{source}: this file was imported already.")
    filing = importers.import_filing(data, source)
    values = {
        "name": (name or filing.registrant_name or source)[:200],
        "role": role,
        "source": source[:255],
        "format": filing.format,
        "sha256": digest,
        "registrant_name": filing.registrant_name[:200],
        "cik": filing.cik[:10],
        "form": filing.form[:10],
        "period_end": filing.period_end,
        "taxonomy_year": filing.taxonomy_year,
        "facts": filing.facts,
        "notes": list(filing.notes),
    }
    saved = create_row(org, actor, ImportedFiling, values)
    audit.record(
        organization=org,
        actor=actor,
        action=audit.Action.IMPORT,
        instance=saved,
        after={"source": source, "facts": len(filing.facts)},
    )
    return saved


def import_upload(org: Organization, actor: Any, data: dict[str, Any]) -> ImportedFiling:
    upload = data["file"]
    return import_bytes(org, actor, upload.read(), upload.name, data.get("name", ""), data["role"])


def delete_imported(org: Organization, actor: Any, pk: int) -> None:
    found = ImportedFiling.objects.for_org(org).filter(pk=pk).first()
    if found is None:
        raise NotFound("No such imported filing.")
    delete_row(org, actor, found)


def our_latest(org: Organization, year: int | None = None) -> DisclosureVersion | None:
    """Our newest annual version (of `year` if given), the left column of every comparison."""
    rows = DisclosureVersion.objects.for_org(org).filter(disclosure__incident__isnull=True)
    if year is not None:
        rows = rows.filter(disclosure__fiscal_year=year)
    return rows.select_related("disclosure").order_by("-disclosure__fiscal_year", "-number").first()


def comparison_context(org: Organization, year: str | None = None) -> dict[str, Any]:
    ours = our_latest(org, int(year) if year and year.isdigit() else None)
    imported = list(ImportedFiling.objects.for_org(org))
    columns = [(f"Ours: {ours}", ours.facts)] if ours else []
    columns += [(filing.name, filing.facts) for filing in imported]
    return {
        "ours": ours,
        "imported": imported,
        "comparison": peers.compare(columns) if columns else None,
        "years": sorted(
            set(Disclosure.objects.for_org(org).values_list("fiscal_year", flat=True)),
            reverse=True,
        ),
    }


def filing_json(filing: ImportedFiling) -> dict[str, Any]:
    return {
        "id": filing.pk,
        "name": filing.name,
        "role": filing.role,
        "source": filing.source,
        "format": filing.format,
        "registrant_name": filing.registrant_name,
        "cik": filing.cik,
        "form": filing.form,
        "period_end": filing.period_end.isoformat() if filing.period_end else None,
        "taxonomy_year": filing.taxonomy_year,
        "facts": filing.facts,
    }
