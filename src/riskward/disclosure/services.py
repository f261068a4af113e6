"""The disclosure workflow: draft from the record, edit, review, approve (frozen), file.

Flags are never typed in: they are computed from the record with their evidence. Text blocks
are drafted from the record and may be edited while the version is a draft. Approval records the
content hash; a change to an approved version makes a new draft version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from riskward.core import rbac
from riskward.core.changes import create_row, update_row
from riskward.core.models import Organization
from riskward.disclosure import assurance, incident_text, narrative, record, year_record
from riskward.disclosure.elements import (
    Kind,
    Use,
    annual_elements,
    find_element,
    incident_elements,
)
from riskward.disclosure.facts import Cover, FactSet, Form
from riskward.disclosure.models import Disclosure, DisclosureVersion
from riskward.lib.errors import Conflict, InvalidInput, PermissionDenied

Status = DisclosureVersion.Status
ANNUAL_FORMS = {"10-K": Disclosure.Form.FORM_10K, "20-F": Disclosure.Form.FORM_20F}


def annual_form(org: Organization) -> str:
    return str(ANNUAL_FORMS[org.filer_type])


def _check_year(year: int) -> None:
    if not 2023 <= year <= date.today().year + 1:
        raise InvalidInput(f"fiscal_year: {year} is outside 2023 to next year", "fiscal_year")


INCIDENT_REPORT_FORMS = {
    # (foreign private issuer?, determined material?) -> form
    (False, True): Disclosure.Form.FORM_8K,
    (False, False): Disclosure.Form.FORM_8K_801,
    (True, True): Disclosure.Form.FORM_6K,
    (True, False): Disclosure.Form.FORM_6K,
}


@transaction.atomic
def start_incident_report(org: Organization, actor: Any, incident: Any) -> DisclosureVersion:
    """Draft the incident's report: Item 1.05 when determined material, else a voluntary
    Item 8.01; a foreign private issuer furnishes a 6-K either way."""
    if incident.organization_id != org.pk:
        raise PermissionDenied("That incident belongs to another organization.")
    if incident.material is None or incident.determined_on is None:
        raise Conflict("Determine whether the incident is material before drafting its report.")
    form = INCIDENT_REPORT_FORMS[(org.is_foreign_private_issuer, bool(incident.material))]
    reports = Disclosure.objects.for_org(org).filter(incident=incident, form=form)
    if reports.exists():
        raise Conflict(f"{incident} already has a {form} report; open it instead.")
    values = {"form": form, "fiscal_year": incident.determined_on.year, "incident": incident}
    disclosure = create_row(org, actor, Disclosure, values)
    return create_row(org, actor, DisclosureVersion, _drafted(org, disclosure, actor, 1))


@transaction.atomic
def start_annual(
    org: Organization, actor: Any, year: int, risk_factors_reference: str = ""
) -> DisclosureVersion:
    """Create the fiscal year's annual disclosure and its first draft, computed from the record."""
    _check_year(year)
    form = annual_form(org)
    if Disclosure.objects.for_org(org).filter(form=form, fiscal_year=year).exists():
        raise Conflict(f"The FY{year} {form} disclosure already exists; open it instead.")
    values = {
        "form": form,
        "fiscal_year": year,
        "risk_factors_reference": risk_factors_reference.strip(),
    }
    disclosure = create_row(org, actor, Disclosure, values)
    return create_row(org, actor, DisclosureVersion, _drafted(org, disclosure, actor, 1))


@transaction.atomic
def current_annual(org: Organization, actor: Any, year: int) -> DisclosureVersion:
    """The fiscal year's newest annual version, started if there is none; a draft is first
    recomputed from the record (edited text blocks kept). Approved and filed ones stay as
    they are."""
    disclosure = (
        Disclosure.objects.for_org(org).filter(fiscal_year=year, incident__isnull=True).first()
    )
    if disclosure is None:
        return start_annual(org, actor, year)
    version: DisclosureVersion | None = disclosure.versions.order_by("-number").first()
    if version is None:
        raise Conflict(f"{disclosure} has no version; start it again.")
    if version.status == Status.DRAFT:
        return refresh_from_record(org, actor, version)
    return version


def _drafted(org: Organization, disclosure: Disclosure, actor: Any, number: int) -> dict[str, Any]:
    base = {"disclosure": disclosure, "number": number, "created_by": actor}
    if disclosure.incident is not None:
        return {**base, "facts": incident_text.draft_texts(disclosure.incident), "evidence": {}}
    flags = record.compute_flags(org, disclosure.fiscal_year)
    texts = narrative.draft_texts(
        org, disclosure.fiscal_year, risk_factors=disclosure.risk_factors_reference or None
    )
    return {
        **base,
        "facts": _ordered_facts({name: result.value for name, result in flags.items()}, texts),
        "evidence": _evidence_json(flags),
    }


def _ordered_facts(flags: Mapping[str, bool], texts: Mapping[str, str]) -> dict[str, Any]:
    """Facts in the SEC's presentation order; empty text blocks are left out, not tagged empty."""
    facts: dict[str, Any] = {}
    for element in annual_elements():
        if element.kind is Kind.FLAG and element.name in flags:
            facts[element.name] = bool(flags[element.name])
        elif element.kind is Kind.TEXT_BLOCK and texts.get(element.name, "").strip():
            facts[element.name] = texts[element.name].strip()
    return facts


def _in_order(disclosure: Disclosure, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Facts of either kind of disclosure in presentation order, empty text left out."""
    elements = annual_elements() if disclosure.is_annual else incident_elements()
    return {
        e.name: facts[e.name]
        for e in elements
        if e.name in facts and (isinstance(facts[e.name], bool) or facts[e.name].strip())
    }


def _evidence_json(flags: Mapping[str, record.FlagResult]) -> dict[str, Any]:
    return {
        name: {"value": r.value, "reason": r.reason, "evidence": [asdict(e) for e in r.evidence]}
        for name, r in flags.items()
    }


def _require_draft(version: DisclosureVersion) -> None:
    if version.status != Status.DRAFT:
        raise Conflict(
            f"Version {version.number} is {version.get_status_display().lower()}; "
            "only a draft can change (start a new version to change an approved one)."
        )


@transaction.atomic
def refresh_from_record(
    org: Organization, actor: Any, version: DisclosureVersion
) -> DisclosureVersion:
    """Recompute the flags and evidence, and redraft every text block nobody has edited."""
    _require_draft(version)
    drafted = _drafted(org, version.disclosure, actor, version.number)
    facts = dict(drafted["facts"])
    for name in version.edited_elements:
        if name in version.facts:
            facts[name] = version.facts[name]
    facts = _in_order(version.disclosure, facts)
    return update_row(
        org, actor, version, {"facts": facts, "evidence": drafted["evidence"], "findings": []}
    )


def _clean_texts(disclosure: Disclosure, texts: Mapping[str, Any]) -> dict[str, str]:
    use = Use.ANNUAL if disclosure.is_annual else Use.INCIDENT
    cleaned: dict[str, str] = {}
    for name, value in texts.items():
        found = find_element(name)
        if found is None or found.kind is not Kind.TEXT_BLOCK or found.use is not use:
            raise InvalidInput(f"{name}: not a cyd text block of this disclosure", name)
        if not isinstance(value, str):
            raise InvalidInput(f"{name}: text expected", name)
        if len(value) > 50_000:
            raise InvalidInput(f"{name}: at most 50,000 characters", name)
        cleaned[found.name] = value.replace("\r\n", "\n").strip()
    return cleaned


@transaction.atomic
def edit_texts(
    org: Organization, actor: Any, version: DisclosureVersion, texts: Mapping[str, Any]
) -> DisclosureVersion:
    """Change text blocks of a draft; an approved or filed version gets a new draft instead."""
    cleaned = _clean_texts(version.disclosure, texts)
    if version.is_frozen:
        version = new_version(org, actor, version)
    _require_draft(version)
    current = {n: v for n, v in version.facts.items() if isinstance(v, str)}
    changed = [n for n, v in cleaned.items() if current.get(n, "") != v]
    current.update(cleaned)
    flags = {n: v for n, v in version.facts.items() if isinstance(v, bool)}
    edited = sorted(set(version.edited_elements) | set(changed))
    facts = _in_order(version.disclosure, {**flags, **current})
    data = {"facts": facts, "edited_elements": edited, "findings": []}
    return update_row(org, actor, version, data)


@transaction.atomic
def new_version(org: Organization, actor: Any, version: DisclosureVersion) -> DisclosureVersion:
    """A new draft copied from `version` (usually an approved one, which stays frozen)."""
    disclosure = version.disclosure
    latest = disclosure.versions.aggregate(top=Max("number"))["top"] or 0
    if disclosure.versions.filter(status__in=[Status.DRAFT, Status.IN_REVIEW]).exists():
        raise Conflict("This disclosure already has a version in draft or review; edit that one.")
    data = {
        "disclosure": disclosure,
        "number": latest + 1,
        "facts": dict(version.facts),
        "evidence": dict(version.evidence),
        "edited_elements": list(version.edited_elements),
        "taxonomy_year": version.taxonomy_year,
        "created_by": actor,
    }
    return create_row(org, actor, DisclosureVersion, data)


def findings_for(org: Organization, version: DisclosureVersion) -> list[dict[str, Any]]:
    """The narrative's claims checked against the record (annual disclosures only)."""
    disclosure = version.disclosure
    if not disclosure.is_annual:
        return []
    texts = {n: v for n, v in version.facts.items() if isinstance(v, str)}
    found = assurance.check_claims(org, disclosure.fiscal_year, texts)
    return [asdict(finding) for finding in found]


@transaction.atomic
def check_version(org: Organization, actor: Any, version: DisclosureVersion) -> DisclosureVersion:
    """Run the assurance checks and keep their findings on the version."""
    if version.is_frozen:
        return version
    return update_row(org, actor, version, {"findings": findings_for(org, version)})


@transaction.atomic
def submit_for_review(
    org: Organization, actor: Any, version: DisclosureVersion
) -> DisclosureVersion:
    """A draft goes to review with its findings checked afresh."""
    _require_draft(version)
    data = {
        "status": Status.IN_REVIEW,
        "submitted_by": actor,
        "findings": findings_for(org, version),
        "review_note": "",
    }
    return update_row(org, actor, version, data)


@transaction.atomic
def return_to_draft(
    org: Organization, actor: Any, version: DisclosureVersion, note: str
) -> DisclosureVersion:
    """A reviewer sends it back, saying why."""
    if version.status != Status.IN_REVIEW:
        raise Conflict("Only a version in review can be sent back.")
    if not note.strip():
        raise InvalidInput("review_note: say what needs to change", "review_note")
    return update_row(org, actor, version, {"status": Status.DRAFT, "review_note": note.strip()})


def content_hash(version: DisclosureVersion) -> str:
    """SHA-256 over what would be filed: form, year, incident, taxonomy year and the facts."""
    disclosure = version.disclosure
    payload = {
        "form": disclosure.form,
        "fiscal_year": disclosure.fiscal_year,
        "incident": disclosure.incident_id,
        "taxonomy_year": version.taxonomy_year,
        "facts": version.facts,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def approve(
    org: Organization, actor: Any, version: DisclosureVersion, approved_at: datetime | None = None
) -> DisclosureVersion:
    """A named approver (not whoever submitted it) freezes the version; errors block approval.

    `approved_at` records an approval given earlier, outside Riskward (history being brought
    in); it cannot be in the future. The audit event keeps the real time of the change."""
    rbac.require(actor, rbac.Cap.APPROVE_DISCLOSURE)
    now = timezone.now()
    if approved_at is not None and approved_at > now:
        raise InvalidInput("approved_at: cannot be in the future", "approved_at")
    if version.status != Status.IN_REVIEW:
        raise Conflict("Only a version in review can be approved.")
    if version.submitted_by_id is not None and version.submitted_by_id == actor.pk:
        raise PermissionDenied("Whoever submitted a version for review cannot approve it.")
    findings = findings_for(org, version)
    errors = [f for f in findings if f["severity"] == "error"]
    if errors:
        update_row(org, actor, version, {"findings": findings})
        count = f"{len(errors)} assurance finding{'s' if len(errors) > 1 else ''}"
        verb = "contradict" if len(errors) > 1 else "contradicts"
        raise Conflict(f"{count} {verb} the record; first: {errors[0]['message']}")
    data = {
        "status": Status.APPROVED,
        "approved_by": actor,
        "approved_at": approved_at or now,
        "findings": findings,
        "content_hash": content_hash(version),
    }
    return update_row(org, actor, version, data)


@transaction.atomic
def mark_filed(
    org: Organization, actor: Any, version: DisclosureVersion, filed_on: date, accession: str
) -> DisclosureVersion:
    """Record that the approved version was filed with the SEC."""
    rbac.require(actor, rbac.Cap.APPROVE_DISCLOSURE)
    if version.status != Status.APPROVED:
        raise Conflict("Only an approved version can be marked filed.")
    if content_hash(version) != version.content_hash:
        raise Conflict("The approved content changed since approval; approve it again.")
    if filed_on > timezone.localdate():
        raise InvalidInput("filed_on: cannot be in the future", "filed_on")
    if version.approved_at and filed_on < timezone.localtime(version.approved_at).date():
        raise InvalidInput("filed_on: cannot be before the approval", "filed_on")
    accession = accession.strip()
    if accession and not _is_accession(accession):
        raise InvalidInput(
            "accession_number: expected 0001234567-24-000123 (10-2-6 digits)", "accession_number"
        )
    data = {"status": Status.FILED, "filed_on": filed_on, "accession_number": accession}
    return update_row(org, actor, version, data)


def _is_accession(value: str) -> bool:
    parts = value.split("-")
    return [len(p) for p in parts] == [10, 2, 6] and all(p.isdigit() for p in parts)


def fact_set(org: Organization, version: DisclosureVersion, unofficial: bool) -> FactSet:
    """The version's facts with the cover the form needs, ready for the writer."""
    disclosure = version.disclosure
    if disclosure.incident is not None:  # the date of the report is the determination's
        start = end = disclosure.incident.determined_on or date.today()
    else:
        start, end = year_record.fiscal_year_bounds(org, disclosure.fiscal_year)
    cover = Cover(
        form=Form(disclosure.form.split()[0]),
        registrant_name=org.legal_name,
        cik=org.cik or "0000000000",
        period_start=start,
        period_end=end,
        fiscal_year_end=f"--{org.fiscal_year_end_month:02}-{org.fiscal_year_end_day:02}",
    )
    return FactSet(
        cover=cover,
        facts=dict(version.facts),
        taxonomy_year=version.taxonomy_year,
        unofficial=unofficial,
    )
