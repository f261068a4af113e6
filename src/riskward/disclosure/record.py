"""The annual disclosure's flags, computed from the record of one fiscal year, with evidence.

Nothing here writes. `YearRecord` reads each app once, through its querysets and query helpers,
and caches what it read, so the flags, the narrative and the assurance checks can share one read.
Every flag carries the reason a user reads and links to the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from riskward.controls import queries as control_queries
from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Framework,
    Requirement,
)
from riskward.controls.models import Evidence as ControlEvidence
from riskward.core.models import Department, Organization
from riskward.disclosure.elements import (
    FLAG_INTEGRATED,
    FLAG_MATERIALLY_AFFECTED,
    FLAG_POSITIONS_RESPONSIBLE,
    FLAG_REPORT_TO_BOARD,
    FLAG_THIRD_PARTY_ENGAGED,
    FLAG_THIRD_PARTY_OVERSIGHT,
)
from riskward.governance.models import Committee, CommitteeReport, Meeting, ResponsibilityAssignment
from riskward.incidents.models import Incident
from riskward.lib.dates import add_months
from riskward.program.models import Drill, TrainingSession
from riskward.risks.models import Risk
from riskward.risks.queries import open_risks

NIST, ISO, MLPS = Framework.Key.NIST_CSF_2, Framework.Key.ISO_27001_2022, Framework.Key.MLPS_2_L3
# Requirements about suppliers: NIST CSF 2.0 GV.SC (supply chain risk management), ISO/IEC
# 27001:2022 A.5.19-A.5.22 (supplier relationships) and MLPS 2.0 8.1.9.10 (service providers).
SUPPLY_CHAIN = (
    Q(framework__key=NIST, ref_id__startswith="GV.SC")
    | Q(framework__key=ISO, ref_id__in=["A.5.19", "A.5.20", "A.5.21", "A.5.22"])
    | Q(framework__key=MLPS, ref_id="8.1.9.10")
)
# Requirements that show a method the narrative names, by method.
METHOD_REQUIREMENTS = {
    "monitoring": Q(framework__key=NIST, ref_id="DE.CM-01"),  # networks are monitored
    "disclosure": Q(framework__key=NIST, ref_id="ID.RA-08"),  # vulnerability disclosures
    "response": Q(framework__key=NIST, ref_id__startswith="RS.MA")
    | Q(framework__key=ISO, ref_id__in=["A.5.24", "A.5.26"]),
}
# Annual probability of a loss above the materiality threshold from which a risk is
# "reasonably likely" to materially affect the registrant; read once quantification exists.
REASONABLY_LIKELY = 0.10
CYBER_WORDS = ("cyber", "security")
BOUNTY = ("bounty", "reward")


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


@dataclass(frozen=True)
class LossExceedance:
    """A risk whose quantified annual loss exceeds the materiality threshold with `probability`."""

    risk: Risk
    probability: float
    threshold: Decimal


@dataclass(frozen=True)
class Quarter:
    """One fiscal quarter and the training sessions held in it."""

    label: str
    starts_on: date
    ends_on: date
    sessions: tuple[TrainingSession, ...]


def fiscal_year_bounds(org: Organization, year: int) -> tuple[date, date]:
    """First and last day of fiscal year `year`, the one that ends in calendar year `year`."""
    return control_queries.fiscal_year_bounds(org, year)


def is_calendar_year(org: Organization) -> bool:
    return (org.fiscal_year_end_month, org.fiscal_year_end_day) == (12, 31)


def period_label(org: Organization, year: int) -> str:
    """How the text names the year: "2024" for a calendar fiscal year, else "fiscal year 2024"."""
    return str(year) if is_calendar_year(org) else f"fiscal year {year}"


def fiscal_year_of(org: Organization, day: date) -> int:
    """The fiscal year a day falls in (named after the calendar year it ends in)."""
    year_end = (org.fiscal_year_end_month, org.fiscal_year_end_day)
    return day.year if (day.month, day.day) <= year_end else day.year + 1


def missing_assessment_years(
    org: Organization, certification: Certification, through: int
) -> list[int]:
    """Fiscal years after the one it was obtained in, up to `through`, with no passed assessment."""
    passed = {
        fiscal_year_of(org, e.ended_on or e.started_on)
        for e in certification.engagements.all()
        if e.result in AssessorEngagement.PASSING_RESULTS
    }
    first = fiscal_year_of(org, certification.obtained_on) + 1
    return [year for year in range(first, through + 1) if year not in passed]


def loss_exceedances(org: Organization, year: int) -> list[LossExceedance]:
    """Risks whose quantified loss exceeds the materiality threshold, for fiscal year `year`.

    Risk quantification (risks/quant) is not built yet, so this returns no risk; once it is, it
    returns each risk's annual probability of a loss above `org.materiality_threshold`.
    """
    return []


def _mentions(*fields: str, words: tuple[str, ...] = CYBER_WORDS) -> Q:
    query = Q()
    for field in fields:
        for word in words:
            query |= Q(**{f"{field}__icontains": word})
    return query


def mentions_cyber(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in CYBER_WORDS)


class YearRecord:
    """What the record holds for one organization's fiscal year, read lazily and once."""

    def __init__(self, org: Organization, year: int) -> None:
        self.org, self.year = org, year
        self.start, self.end = fiscal_year_bounds(org, year)
        self.label = period_label(org, year)

    # --- risks ------------------------------------------------------------------------------
    @cached_property
    def risk_categories(self) -> list[dict[str, Any]]:
        """Open risks per ERM category (id None: uncategorised), with how many are assessed."""
        rows = (
            open_risks(self.org)
            .values("erm_category_id", "erm_category__name")
            .annotate(
                n=Count("id"), assessed=Count("id", filter=Q(inherent_likelihood__isnull=False))
            )
            .order_by("erm_category__name")
        )
        return list(rows)

    @cached_property
    def emerging_risks(self) -> list[Risk]:
        return list(open_risks(self.org).filter(emerging=True).order_by("reference"))

    @cached_property
    def supplier_risks_reviewed(self) -> list[Risk]:
        """Supplier risks reviewed or assessed during the year."""
        in_year = Q(last_reviewed_on__range=(self.start, self.end)) | Q(
            assessments__assessed_on__range=(self.start, self.end)
        )
        rows = Risk.objects.for_org(self.org).filter(threat_source=Risk.ThreatSource.SUPPLIER)
        return list(rows.filter(in_year).distinct().order_by("reference"))

    # --- controls ---------------------------------------------------------------------------
    def _in_operation(self) -> Any:
        return Control.objects.filter(organization=self.org, status__in=Control.TESTED_STATUSES)

    def _mapped(self, query: Q) -> list[Control]:
        requirements = Requirement.objects.filter(query, organization=self.org)
        rows = self._in_operation().filter(requirements__in=requirements).distinct()
        return list(rows.order_by("reference"))

    @cached_property
    def control_profile(self) -> dict[str, int]:
        """Controls in operation: how many, how many technical, against which threat sources."""
        source = Control.ThreatSource
        counts: dict[str, int] = self._in_operation().aggregate(
            total=Count("id"),
            technical=Count("id", filter=Q(control_type=Control.Type.TECHNICAL)),
            internal=Count("id", filter=Q(threat_source__in=[source.INTERNAL, source.ANY])),
            external=Count("id", filter=Q(threat_source__in=[source.EXTERNAL, source.ANY])),
        )
        return counts

    @cached_property
    def supply_controls(self) -> list[Control]:
        """Controls in operation against supplier risk; `supply_refs` lists the mapping."""
        refs = Requirement.objects.filter(SUPPLY_CHAIN).only("ref_id").order_by("sort_key")
        requirements = Requirement.objects.filter(SUPPLY_CHAIN, organization=self.org)
        rows = self._in_operation().filter(
            Q(threat_source=Control.ThreatSource.SUPPLIER) | Q(requirements__in=requirements)
        )
        rows = rows.distinct().prefetch_related(
            Prefetch("requirements", queryset=refs, to_attr="supply_refs")
        )
        return list(rows.order_by("reference"))

    @cached_property
    def supply_evidence(self) -> list[ControlEvidence]:
        """Evidence of the supplier controls collected during the year."""
        rows = ControlEvidence.objects.for_org(self.org).filter(
            controls__in=[c.pk for c in self.supply_controls],
            collected_on__range=(self.start, self.end),
        )
        return list(rows.distinct().order_by("collected_on", "pk"))

    @cached_property
    def method_controls(self) -> dict[str, list[Control]]:
        """Controls in operation per method the narrative names; "bounty" found by name.

        The bounty and monitoring areas come later; until then their controls stand for them.
        """
        found = {name: self._mapped(query) for name, query in METHOD_REQUIREMENTS.items()}
        bounty = self._in_operation().filter(_mentions("name", "description", words=BOUNTY))
        found["bounty"] = list(bounty.order_by("reference"))
        return found

    # --- certifications and assessors -------------------------------------------------------
    @cached_property
    def engagements(self) -> list[AssessorEngagement]:
        return list(control_queries.engagements_in_year(self.org, self.year))

    @cached_property
    def certifications(self) -> list[Certification]:
        """Certifications obtained by the year end, oldest first, with all their engagements."""
        rows = Certification.objects.for_org(self.org).filter(obtained_on__lte=self.end)
        rows = rows.prefetch_related(
            Prefetch("engagements", queryset=AssessorEngagement.objects.order_by("started_on"))
        )
        return list(rows.order_by("obtained_on", "pk"))

    @property
    def held_certifications(self) -> list[Certification]:
        """Active certifications that had not expired when the year began."""
        return [
            c
            for c in self.certifications
            if c.is_active and (c.expires_on is None or c.expires_on >= self.start)
        ]

    @cached_property
    def has_compliance_assessments(self) -> bool:
        rows = ComplianceAssessment.objects.for_org(self.org).filter(started_on__lte=self.end)
        return bool(rows.exists())

    # --- incidents --------------------------------------------------------------------------
    @cached_property
    def incidents(self) -> list[Incident]:
        """Incidents determined during the year, or discovered in it and not yet determined."""
        span = (self.start, self.end)
        rows = Incident.objects.for_org(self.org).filter(
            Q(determined_on__range=span) | Q(material__isnull=True, discovered_at__date__range=span)
        )
        return list(rows.order_by("determined_on", "discovered_at", "pk"))

    @property
    def material_incidents(self) -> list[Incident]:
        return [i for i in self.incidents if i.material and i.determined_on]

    @property
    def immaterial_incidents(self) -> list[Incident]:
        return [i for i in self.incidents if i.material is False and i.determined_on]

    @property
    def undetermined_incidents(self) -> list[Incident]:
        return [i for i in self.incidents if i.material is None]

    @cached_property
    def exceedances(self) -> list[LossExceedance]:
        found = loss_exceedances(self.org, self.year)
        return [e for e in found if e.probability >= REASONABLY_LIKELY]

    # --- governance -------------------------------------------------------------------------
    @cached_property
    def committees(self) -> list[Committee]:
        return list(Committee.objects.for_org(self.org).select_related("parent").order_by("name"))

    @property
    def boards(self) -> list[Committee]:
        return [c for c in self.committees if c.kind == Committee.Kind.BOARD]

    @property
    def delegated_committees(self) -> list[Committee]:
        """Committees below the board whose delegated oversight covers cybersecurity."""
        return [
            c
            for c in self.committees
            if c.kind != Committee.Kind.BOARD and mentions_cyber(c.oversight)
        ]

    @cached_property
    def responsibilities(self) -> list[ResponsibilityAssignment]:
        """Responsibility assignments whose title or duties concern cybersecurity."""
        rows = ResponsibilityAssignment.objects.for_org(self.org).filter(
            _mentions("title", "duties")
        )
        rows = rows.select_related("person__department", "reports_to_committee")
        return list(rows.order_by("pk"))

    @property
    def primary_responsibility(self) -> ResponsibilityAssignment | None:
        """The head of the chain: reports to no other responsible person (to a committee first)."""
        people = {r.person_id for r in self.responsibilities}
        heads = [r for r in self.responsibilities if r.reports_to_person_id not in people]
        heads.sort(key=lambda r: (r.reports_to_committee_id is None, r.pk))
        return heads[0] if heads else None

    @cached_property
    def reports(self) -> list[CommitteeReport]:
        """Reports on cybersecurity presented to any committee or the board during the year."""
        rows = CommitteeReport.objects.for_org(self.org).filter(
            _mentions("title", "topics"), presented_on__range=(self.start, self.end)
        )
        rows = rows.select_related("committee", "from_department", "from_person")
        return list(rows.order_by("presented_on", "pk"))

    @property
    def board_reports(self) -> list[CommitteeReport]:
        """Those presented to the board or a committee with delegated cybersecurity oversight."""
        bodies = {c.pk for c in [*self.boards, *self.delegated_committees]}
        return [r for r in self.reports if r.committee_id in bodies]

    @cached_property
    def meetings(self) -> list[Meeting]:
        """Meetings of those bodies in the year with cybersecurity on the agenda or minutes."""
        bodies = [c.pk for c in [*self.boards, *self.delegated_committees]]
        rows = Meeting.objects.for_org(self.org).filter(
            _mentions("agenda", "minutes"),
            committee__in=bodies,
            held_on__range=(self.start, self.end),
        )
        return list(rows.select_related("committee").order_by("held_on", "pk"))

    @cached_property
    def departments(self) -> list[Department]:
        return list(Department.objects.for_org(self.org).order_by("name"))

    # --- program ----------------------------------------------------------------------------
    @cached_property
    def training(self) -> list[TrainingSession]:
        rows = TrainingSession.objects.for_org(self.org).filter(
            held_on__range=(self.start, self.end)
        )
        return list(rows.order_by("held_on", "pk"))

    @property
    def quarters(self) -> list[Quarter]:
        """The four fiscal quarters with their sessions (calendar quarters for a December end)."""
        prefix = "" if is_calendar_year(self.org) else "FY"
        found = []
        for number in range(4):
            starts = add_months(self.start, 3 * number)
            next_start = add_months(self.start, 3 * number + 3)
            ends = self.end if number == 3 else next_start - timedelta(days=1)
            sessions = tuple(s for s in self.training if starts <= s.held_on <= ends)
            found.append(Quarter(f"Q{number + 1} {prefix}{self.year}", starts, ends, sessions))
        return found

    @cached_property
    def drills(self) -> list[Drill]:
        rows = Drill.objects.for_org(self.org).filter(held_on__range=(self.start, self.end))
        return list(rows.order_by("held_on", "pk"))


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
        f"({len(rec.immaterial_incidents)} determined not material{caveat}), and no quantified "
        "risk is reasonably likely to exceed the materiality threshold (risk quantification "
        "is not yet in the record)."
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
