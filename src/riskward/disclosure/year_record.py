"""One fiscal year of the record, read once: what the flags, the narrative and the assurance
checks all look at.

`YearRecord` reads each app through its querysets and query helpers and caches what it read, so
the three can share one read. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Prefetch, Q

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


# Quantifications run after the fiscal year but before the annual report is due still speak for
# that year (a 20-F is due four months after the year end; a 10-K within 60 to 90 days).
REPORTING_WINDOW_DAYS = 120


def loss_exceedances(org: Organization, year: int) -> list[LossExceedance]:
    """Open risks whose quantified annual loss may exceed the materiality threshold, for `year`.

    Each risk's residual probability from its last run against the current threshold, counted
    when the run was made during the fiscal year or before its annual report was due; a run
    made years later speaks for its own year, not this one.
    """
    threshold = org.materiality_threshold
    if threshold is None:
        return []
    # Imported here: it loads numpy and the Monte Carlo engine, which reading a filing never needs.
    from riskward.risks import quantification

    start, end = fiscal_year_bounds(org, year)
    found = quantification.exceedances(org, start, end + timedelta(days=REPORTING_WINDOW_DAYS))
    return [LossExceedance(risk, probability, threshold) for risk, probability in found]


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
