"""Reads for pages, the dashboard and the disclosure. Nothing here writes."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Evidence,
    Framework,
    Requirement,
    RequirementResult,
)

Result = RequirementResult.Result
BADGES = {
    Result.COMPLIANT: "ok",
    Result.PARTIAL: "warn",
    Result.NON_COMPLIANT: "bad",
    Result.NOT_APPLICABLE: "",
    Result.NOT_ASSESSED: "",
}


@dataclass
class TreeNode:
    """A requirement with its children, annotated with its latest assessed result."""

    requirement: Any
    children: list[TreeNode] = field(default_factory=list)

    @property
    def result_label(self) -> str:
        value = getattr(self.requirement, "latest_result", None)
        return Result(value).label if value else ""

    @property
    def result_badge(self) -> str:
        value = getattr(self.requirement, "latest_result", None)
        return BADGES.get(value, "") if value else ""


def requirement_tree(framework: Framework, include_withdrawn: bool = False) -> list[TreeNode]:
    """The framework's tree in three queries: requirements, their controls, nothing per row.

    Each node carries `latest_result` (and `latest_assessment_id`): the most recent result
    other than "not assessed" from any assessment of the framework.
    """
    latest = (
        RequirementResult.objects.filter(requirement=OuterRef("pk"))
        .exclude(result=Result.NOT_ASSESSED)
        .order_by("-assessment__started_on", "-assessment_id")
    )
    rows = (
        Requirement.objects.filter(framework=framework)
        .annotate(
            latest_result=Subquery(latest.values("result")[:1]),
            latest_assessment_id=Subquery(latest.values("assessment_id")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "controls",
                queryset=Control.objects.only("id", "reference", "name").order_by("reference"),
            )
        )
        .order_by("sort_key")
    )
    if not include_withdrawn:
        rows = rows.filter(withdrawn=False)
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    for row in rows:  # depth-first order: a parent always comes before its children
        node = nodes[row.pk] = TreeNode(row)
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def framework_overview(org: Any) -> QuerySet[Framework]:
    """Loaded frameworks with their active requirement and assessment counts."""
    active = (
        Requirement.objects.filter(framework=OuterRef("pk"), withdrawn=False)
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assessments = (
        ComplianceAssessment.objects.filter(framework=OuterRef("pk"))
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows: QuerySet[Framework] = Framework.objects.filter(organization=org).annotate(
        active_count=Coalesce(Subquery(active), 0),
        assessment_count=Coalesce(Subquery(assessments), 0),
    )
    return rows.order_by("name")


def result_summary(assessment: ComplianceAssessment) -> dict[str, int]:
    """Count of results per result value, plus `total`, in one aggregate query."""
    counts = RequirementResult.objects.filter(assessment=assessment).aggregate(
        total=Count("pk"), **{value: Count("pk", filter=Q(result=value)) for value in Result.values}
    )
    return {name: int(count or 0) for name, count in counts.items()}


def assessment_results(assessment: ComplianceAssessment) -> QuerySet[RequirementResult]:
    """Results in the framework's order, with requirement and evidence loaded."""
    return (
        RequirementResult.objects.filter(assessment=assessment)
        .select_related("requirement")
        .prefetch_related(Prefetch("evidence", queryset=_evidence_titles()))
        .order_by("requirement__sort_key")
    )


def _evidence_titles() -> QuerySet[Evidence]:
    return Evidence.objects.only("id", "title", "kind").order_by("title")


@dataclass(frozen=True)
class CertificationDue:
    """A certification whose next required assessment falls inside the window (or is past)."""

    certification: Certification
    last_assessed_on: date | None
    due_on: date
    overdue: bool
    days_left: int


def certifications_due(org: Any, today: date, within_days: int = 60) -> list[CertificationDue]:
    """Active certifications due for assessment by `today + within_days`, soonest first."""
    horizon = today + timedelta(days=within_days)
    due = []
    for certification in Certification.objects.filter(
        organization=org, is_active=True
    ).with_schedule():
        due_on = certification.next_assessment_due
        if due_on is not None and due_on <= horizon:
            due.append(
                CertificationDue(
                    certification=certification,
                    last_assessed_on=certification.last_assessed_on,
                    due_on=due_on,
                    overdue=due_on < today,
                    days_left=(due_on - today).days,
                )
            )
    return sorted(due, key=lambda item: (item.due_on, item.certification.pk))


def _year_end(org: Any, year: int) -> date:
    month = org.fiscal_year_end_month
    return date(year, month, min(org.fiscal_year_end_day, calendar.monthrange(year, month)[1]))


def fiscal_year_bounds(org: Any, year: int) -> tuple[date, date]:
    """First and last day of the organization's fiscal year that ends in calendar `year`."""
    return _year_end(org, year - 1) + timedelta(days=1), _year_end(org, year)


def engagements_in_year(org: Any, year: int) -> QuerySet[AssessorEngagement]:
    """Assessor engagements active at any time in fiscal year `year` (see fiscal_year_bounds).

    For a December year end that is the calendar year. An engagement with no end date counts
    from its start onwards.
    """
    start, end = fiscal_year_bounds(org, year)
    return (
        AssessorEngagement.objects.filter(organization=org, started_on__lte=end)
        .filter(Q(ended_on__gte=start) | Q(ended_on__isnull=True))
        .select_related("certification", "report")
        .order_by("started_on", "pk")
    )
