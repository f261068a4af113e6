"""Register pages for controls, evidence, assessments, certifications and engagements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from riskward.controls import queries, services
from riskward.controls.forms import (
    AssessmentForm,
    CertificationForm,
    ControlForm,
    EngagementForm,
    EvidenceForm,
)
from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    CertificationQuerySet,
    ComplianceAssessment,
    Control,
    ControlQuerySet,
    Evidence,
    RequirementResult,
)
from riskward.core.listing import (
    Column,
    Filter,
    ListSpec,
    boolean_filter,
    choice_filter,
    related_filter,
)
from riskward.core.middleware import OrgRequest
from riskward.core.records import Resource

YES_NO = [("true", "Yes"), ("false", "No")]


def _unchanged(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows


def _controls(rows: QuerySet[Any]) -> ControlQuerySet:
    assert isinstance(rows, ControlQuerySet)  # Control's default manager makes these
    return rows


def _certifications(rows: QuerySet[Any]) -> CertificationQuerySet:
    assert isinstance(rows, CertificationQuerySet)
    return rows


@dataclass(frozen=True)
class PreparedResource(Resource):
    """A register whose rows need annotations or prefetches to list in a fixed number of queries."""

    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] = _unchanged

    def rows(self, request: OrgRequest) -> QuerySet[Any]:
        return self.prepare(super().rows(request))


# --- Controls ---------------------------------------------------------------------------------


def _test_overdue(rows: QuerySet[Any], value: str) -> QuerySet[Any]:
    today = timezone.localdate()
    controls = _controls(rows)
    return controls.test_overdue(today) if value == "true" else controls.test_not_overdue(today)


CONTROL_LISTING = ListSpec(
    columns=[
        Column("reference", "Reference", sort="reference", link=True),
        Column("name", "Name", sort="name"),
        Column("get_control_type_display", "Type", sort="control_type"),
        Column("get_function_display", "Function", sort="function"),
        Column("get_status_display", "Status", sort="status"),
        Column("owner", "Owner", sort="owner__name"),
        Column("next_test_due", "Next test due", sort="test_due_on"),
        Column("test_overdue", "Test overdue"),
    ],
    filters=[
        choice_filter(Control, "control_type", "Type"),
        choice_filter(Control, "function"),
        choice_filter(Control, "status"),
        related_filter(Control, "owner"),
        choice_filter(Control, "threat_source"),
        Filter("test_overdue", "Test overdue", choices=lambda org: YES_NO, apply=_test_overdue),
    ],
    search=["reference", "name", "description"],
    default_sort="reference",
    select_related=["owner"],
)


def control_context(request: HttpRequest, control: Control) -> dict[str, Any]:
    return {
        "requirements": control.requirements.select_related("framework").order_by(
            "framework__name", "sort_key"
        ),
        "evidence": control.evidence.order_by("-collected_on", "title"),
    }


CONTROL = PreparedResource(
    app="controls",
    name="control",
    list_template="controls/list.html",
    list_actions=[
        ("controls:evidence_list", "Evidence"),
        ("controls:framework_list", "Frameworks"),
    ],
    model=Control,
    form=ControlForm,
    listing=CONTROL_LISTING,
    create=services.create_control,
    update=services.update_control,
    delete=services.delete_control,
    detail_fields=[
        "reference",
        "description",
        "control_type",
        "function",
        "threat_source",
        "owner",
        "status",
        "test_frequency_days",
        "last_tested",
    ],
    detail_template="controls/control_detail.html",
    detail_context=control_context,
    prepare=lambda rows: _controls(rows).with_test_due(),
)


# --- Evidence ---------------------------------------------------------------------------------


def _expired(rows: QuerySet[Any], value: str) -> QuerySet[Any]:
    past = Q(expires_on__lt=timezone.localdate())
    return rows.filter(past) if value == "true" else rows.exclude(past)


def _control_choices(org: Any) -> list[tuple[str, str]]:
    return [(str(c.pk), str(c)) for c in Control.objects.filter(organization=org)[:500]]


EVIDENCE_LISTING = ListSpec(
    columns=[
        Column("title", "Title", sort="title", link=True),
        Column("get_kind_display", "Kind", sort="kind"),
        Column("filename", "File"),
        Column("collected_on", "Collected", sort="collected_on"),
        Column("expires_on", "Expires", sort="expires_on"),
        Column("expired", "Expired"),
    ],
    filters=[
        choice_filter(Evidence, "kind"),
        Filter("expired", "Expired", choices=lambda org: YES_NO, apply=_expired),
        Filter("control", "Control", lookup="controls", choices=_control_choices),
    ],
    search=["title", "description", "filename", "sha256"],
    default_sort="-collected_on",
)


def evidence_context(request: HttpRequest, evidence: Evidence) -> dict[str, Any]:
    return {
        "controls": evidence.controls.all(),
        "results": evidence.requirement_results.select_related("assessment", "requirement"),
    }


EVIDENCE = Resource(
    app="controls",
    name="evidence",
    list_template="controls/list.html",
    list_actions=[("controls:control_list", "Controls")],
    model=Evidence,
    form=EvidenceForm,
    listing=EVIDENCE_LISTING,
    create=services.create_evidence,
    update=services.update_evidence,
    delete=services.delete_evidence,
    detail_fields=[
        "kind",
        "description",
        "collected_on",
        "expires_on",
        "filename",
        "content_type",
        "size",
        "sha256",
    ],
    detail_template="controls/evidence_detail.html",
    detail_context=evidence_context,
)


# --- Compliance assessments -------------------------------------------------------------------

Result = RequirementResult.Result


def _with_progress(rows: QuerySet[Any]) -> QuerySet[Any]:
    annotated: QuerySet[Any] = rows.annotate(
        result_total=Count("results"),
        assessed_count=Count("results", filter=~Q(results__result=Result.NOT_ASSESSED)),
        compliant_count=Count("results", filter=Q(results__result=Result.COMPLIANT)),
    )
    return annotated


ASSESSMENT_LISTING = ListSpec(
    columns=[
        Column("title", "Title", sort="title", link=True),
        Column("framework", "Framework", sort="framework__name"),
        Column("get_status_display", "Status", sort="status"),
        Column("started_on", "Started", sort="started_on"),
        Column("completed_on", "Completed", sort="completed_on"),
        Column("assessed_count", "Assessed"),
        Column("result_total", "Requirements"),
        Column("compliant_count", "Compliant"),
    ],
    filters=[
        related_filter(ComplianceAssessment, "framework"),
        choice_filter(ComplianceAssessment, "status"),
    ],
    search=["title", "scope"],
    default_sort="-started_on",
    select_related=["framework", "assessor"],
)


def assessment_context(request: HttpRequest, assessment: ComplianceAssessment) -> dict[str, Any]:
    return {
        "summary": queries.result_summary(assessment),
        "results": queries.assessment_results(assessment),
        "result_choices": Result.choices,
        "badges": queries.BADGES,
        "closed": assessment.status == ComplianceAssessment.Status.COMPLETED,
    }


ASSESSMENT = PreparedResource(
    app="controls",
    name="assessment",
    list_template="controls/list.html",
    list_actions=[
        ("controls:framework_list", "Frameworks"),
        ("controls:evidence_list", "Evidence"),
    ],
    model=ComplianceAssessment,
    form=AssessmentForm,
    listing=ASSESSMENT_LISTING,
    create=services.create_assessment,
    update=services.update_assessment,
    delete=services.delete_assessment,
    detail_fields=["framework", "status", "scope", "started_on", "completed_on", "assessor"],
    detail_template="controls/assessment_detail.html",
    detail_context=assessment_context,
    prepare=_with_progress,
)


# --- Certifications and engagements -----------------------------------------------------------

CERTIFICATION_LISTING = ListSpec(
    columns=[
        Column("scheme", "Scheme", sort="scheme", link=True),
        Column("level", "Level", sort="level"),
        Column("issuer", "Issuer", sort="issuer"),
        Column("obtained_on", "Obtained", sort="obtained_on"),
        Column("expires_on", "Expires", sort="expires_on"),
        Column("last_assessed_on", "Last assessed", sort="latest_pass_on"),
        Column("next_assessment_due", "Next assessment due"),
        Column("assessment_overdue", "Overdue"),
    ],
    filters=[boolean_filter("is_active", "Active")],
    search=["scheme", "level", "issuer", "scope", "certificate_number"],
    default_sort="scheme",
)


def certification_context(request: HttpRequest, certification: Certification) -> dict[str, Any]:
    return {
        "engagements": certification.engagements.select_related("report").order_by(
            "-started_on", "-pk"
        )
    }


CERTIFICATION = PreparedResource(
    app="controls",
    name="certification",
    list_template="controls/list.html",
    list_actions=[("controls:engagement_list", "Assessor engagements")],
    model=Certification,
    form=CertificationForm,
    listing=CERTIFICATION_LISTING,
    create=services.create_certification,
    update=services.update_certification,
    delete=services.delete_certification,
    detail_fields=[
        "scheme",
        "level",
        "scope",
        "issuer",
        "certificate_number",
        "obtained_on",
        "expires_on",
        "assessment_frequency_months",
        "is_active",
        "notes",
    ],
    detail_template="controls/certification_detail.html",
    detail_context=certification_context,
    prepare=lambda rows: _certifications(rows).with_schedule(),
)

ENGAGEMENT_LISTING = ListSpec(
    columns=[
        Column("firm", "Firm", sort="firm", link=True),
        Column("certification", "Certification", sort="certification__scheme"),
        Column("started_on", "Started", sort="started_on"),
        Column("ended_on", "Ended", sort="ended_on"),
        Column("get_result_display", "Result", sort="result"),
    ],
    filters=[
        choice_filter(AssessorEngagement, "result"),
        related_filter(AssessorEngagement, "certification"),
    ],
    search=["firm", "qualification", "scope"],
    default_sort="-started_on",
    select_related=["certification"],
)

ENGAGEMENT = Resource(
    app="controls",
    name="engagement",
    list_template="controls/list.html",
    list_actions=[("controls:certification_list", "Certifications")],
    model=AssessorEngagement,
    form=EngagementForm,
    listing=ENGAGEMENT_LISTING,
    create=services.create_engagement,
    update=services.update_engagement,
    delete=services.delete_engagement,
    detail_fields=[
        "certification",
        "qualification",
        "scope",
        "started_on",
        "ended_on",
        "result",
        "report",
        "notes",
    ],
)
