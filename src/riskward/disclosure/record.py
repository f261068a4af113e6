"""The annual disclosure's flags, computed from the record of one fiscal year, with evidence.

Every flag carries the reason a user reads and links to the records behind it. The record itself
is read once by `year_record.YearRecord`, which the narrative and the assurance checks share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from riskward.core.models import Organization
from riskward.disclosure.elements import (
    FLAG_INTEGRATED,
    FLAG_MATERIALLY_AFFECTED,
    FLAG_POSITIONS_RESPONSIBLE,
    FLAG_REPORT_TO_BOARD,
    FLAG_THIRD_PARTY_ENGAGED,
    FLAG_THIRD_PARTY_OVERSIGHT,
)
from riskward.disclosure.year_record import REASONABLY_LIKELY, YearRecord


@dataclass(frozen=True)
class Evidence:
    """A record behind a flag: what it is, where to open it, and what it shows."""

    label: str
    url: str
    detail: str


@dataclass(frozen=True)
class FlagResult:
    """A computed flag: its value, why (one sentence a user reads), and the records behind it."""

    value: bool
    reason: str
    evidence: tuple[Evidence, ...] = ()


def _day(value: date) -> str:
    return f"{value:%Y-%m-%d}"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _ev(row: Any, detail: str, label: str = "") -> Evidence:
    return Evidence(label or str(row), row.get_absolute_url(), detail)


# --- the six flags ----------------------------------------------------------------------------


def _erm_evidence(rec: YearRecord, linked: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    org, threshold = rec.org, rec.org.materiality_threshold
    profile = Evidence(
        "Organization profile",
        reverse("core:organization"),
        f"Risk appetite {'set' if org.risk_appetite.strip() else 'not set'}; materiality "
        f"threshold {threshold if threshold is not None else 'not set'} {org.reporting_currency}.",
    )
    categories = [
        Evidence(
            f"ERM category: {row['erm_category__name']}",
            reverse("core:erm_category_detail", args=[row["erm_category_id"]]),
            f"{_plural(row['n'], 'open cyber risk')}, {row['assessed']} assessed.",
        )
        for row in linked
    ]
    return (profile, *categories)


def integrated(rec: YearRecord) -> FlagResult:
    """Cyber risks sit in ERM categories; the risk appetite and materiality threshold are set."""
    total = sum(row["n"] for row in rec.risk_categories)
    linked = [row for row in rec.risk_categories if row["erm_category_id"] is not None]
    in_categories = sum(row["n"] for row in linked)
    evidence = _erm_evidence(rec, linked)
    checks = [
        ("an ERM category holding a cyber risk", in_categories > 0),
        ("a risk appetite statement", bool(rec.org.risk_appetite.strip())),
        ("a materiality threshold", rec.org.materiality_threshold is not None),
    ]
    if missing := [name for name, ok in checks if not ok]:
        reason = (
            f"Not integrated: the enterprise risk program lacks {', '.join(missing)} "
            f"({in_categories} of {total} open cyber risks sit in an ERM category)."
        )
        return FlagResult(False, reason, evidence)
    categories = _plural(len(linked), "ERM category", "ERM categories")
    reason = (
        f"{in_categories} of {total} open cyber risks sit in {categories} of the enterprise "
        "risk program, which sets the risk appetite and the materiality threshold."
    )
    return FlagResult(True, reason, evidence)


def third_party_engaged(rec: YearRecord) -> FlagResult:
    """An assessor engagement was active at some time during the fiscal year."""
    evidence = tuple(
        _ev(
            e,
            f"{e.certification or 'No certification'}: {e.get_result_display().lower()}, "
            f"{_day(e.started_on)} to {_day(e.ended_on) if e.ended_on else 'open'}.",
        )
        for e in rec.engagements
    )
    if not evidence:
        return FlagResult(False, f"No third-party assessor engagement was active in {rec.label}.")
    firms = ", ".join(sorted({e.firm for e in rec.engagements}))
    reason = (
        f"{_plural(len(evidence), 'third-party assessor engagement')} ran in {rec.label} ({firms})."
    )
    return FlagResult(True, reason, evidence)


def _supply_activity(rec: YearRecord) -> list[Evidence]:
    found = [
        _ev(c, f"Tested on {_day(c.last_tested)}.")
        for c in rec.supply_controls
        if c.last_tested and rec.start <= c.last_tested <= rec.end
    ]
    found += [_ev(e, f"Collected on {_day(e.collected_on)}.") for e in rec.supply_evidence]
    found += [_ev(r, "Reviewed or assessed in the year.") for r in rec.supplier_risks_reviewed]
    return found


def _mapping(control: Any) -> str:
    refs = [r.ref_id for r in control.supply_refs]
    return "mapped to " + ", ".join(refs) if refs else "aimed at supplier threats"


def third_party_oversight(rec: YearRecord) -> FlagResult:
    """A supplier-risk control in operation, with activity (evidence, test, review) in the year.

    Riskward has no supplier register yet, so the process is read from the controls mapped to
    supply-chain requirements (or aimed at supplier threats) and from the supplier risks.
    """
    controls = [_ev(c, f"{c.get_status_display()}; {_mapping(c)}.") for c in rec.supply_controls]
    if not controls:
        reason = (
            "No control in operation addresses supplier risk (none is mapped to NIST CSF GV.SC, "
            "ISO/IEC 27001 A.5.19-A.5.22 or MLPS 8.1.9.10, or aimed at supplier threats)."
        )
        return FlagResult(False, reason)
    names = ", ".join(c.reference for c in rec.supply_controls)
    if not (activity := _supply_activity(rec)):
        reason = (
            f"Supplier risk has a process ({names}), but nothing dated in {rec.label} shows it "
            "operating: no evidence collected, test or supplier-risk review in the year."
        )
        return FlagResult(False, reason, tuple(controls))
    reason = (
        f"Supplier risk is overseen through {names}, with {_plural(len(activity), 'record')} "
        f"of activity in {rec.label} (evidence, tests, supplier-risk reviews)."
    )
    return FlagResult(True, reason, tuple(controls + activity))


def materially_affected(rec: YearRecord) -> FlagResult:
    """An incident determined material in the year, or a risk reasonably likely to be material."""
    material = [
        _ev(i, f"Determined material on {_day(d)}. {i.determination_rationale}".strip())
        for i in rec.material_incidents
        if (d := i.determined_on)
    ]
    likely = [
        _ev(e.risk, f"{e.probability:.0%} a year of a loss above {e.threshold}.")
        for e in rec.exceedances
    ]
    if material or likely:
        reason = (
            f"{_plural(len(material), 'incident')} determined material in {rec.label} and "
            f"{_plural(len(likely), 'risk')} reasonably likely to exceed the materiality threshold."
        )
        return FlagResult(True, reason, tuple(material + likely))
    evidence = [
        _ev(i, f"Determined not material on {_day(d)}.")
        for i in rec.immaterial_incidents
        if (d := i.determined_on)
    ]
    pending = rec.undetermined_incidents
    evidence += [_ev(i, "No materiality determination yet.") for i in pending]
    caveat = f"; {_plural(len(pending), 'incident')} still await a determination" if pending else ""
    reason = (
        f"No incident was determined material in {rec.label} "
        f"({len(rec.immaterial_incidents)} determined not material{caveat}), and no risk "
        "quantified in the year is reasonably likely to exceed the materiality threshold "
        f"(a {REASONABLY_LIKELY:.0%} or higher annual probability)."
    )
    return FlagResult(False, reason, tuple(evidence))


def positions_responsible(rec: YearRecord) -> FlagResult:
    """A responsibility assignment for cybersecurity, or a committee with delegated oversight."""
    evidence = [_ev(r, r.duties or r.title) for r in rec.responsibilities]
    evidence += [_ev(c, c.oversight) for c in rec.delegated_committees]
    if not evidence:
        reason = (
            "No responsibility assignment concerns cybersecurity and no committee has delegated "
            "cybersecurity oversight."
        )
        return FlagResult(False, reason)
    names = [r.title for r in rec.responsibilities] + [c.name for c in rec.delegated_committees]
    return FlagResult(
        True, f"Responsible for cybersecurity risk: {', '.join(names)}.", tuple(evidence)
    )


def report_to_board(rec: YearRecord) -> FlagResult:
    """Cybersecurity reports or meetings in the year of the board or its delegated committee."""
    reports = rec.board_reports
    evidence = [
        _ev(
            r,
            f"Presented to the {r.committee} on {_day(r.presented_on)} by "
            f"{r.from_department or r.from_person}.",
            r.title,
        )
        for r in reports
    ]
    reported_at = {r.meeting_id for r in reports}
    meetings = [m for m in rec.meetings if m.pk not in reported_at]
    evidence += [_ev(m, "Cybersecurity on the agenda or in the minutes.") for m in meetings]
    if not evidence:
        reason = (
            "No cybersecurity report or meeting of the board or a delegated committee is "
            f"recorded in {rec.label}."
        )
        return FlagResult(False, reason)
    bodies = sorted({r.committee.name for r in reports} | {m.committee.name for m in rec.meetings})
    reports_n, meetings_n = _plural(len(reports), "report"), _plural(len(rec.meetings), "meeting")
    reason = (
        f"{reports_n} on cybersecurity to, and {meetings_n} of, the {' and the '.join(bodies)} "
        f"in {rec.label}."
    )
    return FlagResult(True, reason, tuple(evidence))


FLAG_RULES = {
    FLAG_INTEGRATED: integrated,
    FLAG_THIRD_PARTY_ENGAGED: third_party_engaged,
    FLAG_THIRD_PARTY_OVERSIGHT: third_party_oversight,
    FLAG_MATERIALLY_AFFECTED: materially_affected,
    FLAG_POSITIONS_RESPONSIBLE: positions_responsible,
    FLAG_REPORT_TO_BOARD: report_to_board,
}


def compute_flags(
    org: Organization, year: int, rec: YearRecord | None = None
) -> dict[str, FlagResult]:
    """The six annual flags for fiscal year `year`, keyed by element local name."""
    rec = rec or YearRecord(org, year)
    return {name: rule(rec) for name, rule in FLAG_RULES.items()}
