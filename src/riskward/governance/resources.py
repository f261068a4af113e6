"""Governance register pages: committees, memberships, meetings, reports, policies, duties."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from riskward.core import rbac
from riskward.core.listing import Column, ListSpec, choice_filter, related_filter
from riskward.core.records import Resource
from riskward.governance import queries, services
from riskward.governance.cadence import cadence
from riskward.governance.forms import (
    CommitteeForm,
    CommitteeReportForm,
    MeetingForm,
    MemberAddForm,
    MembershipForm,
    PolicyApprovalForm,
    PolicyForm,
    ResponsibilityForm,
)
from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)

LIST_TEMPLATE = "governance/list.html"
RECENT = 50  # rows of history shown on a committee's page; the registers hold the rest

COMMITTEE_LISTING = ListSpec(
    columns=[
        Column("name", "Name", sort="name", link=True),
        Column("get_kind_display", "Kind", sort="kind"),
        Column("parent", "Reports to", sort="parent__name"),
        Column(
            "reporting_cadence_months",
            "Reporting cadence (months)",
            sort="reporting_cadence_months",
        ),
        Column("oversight", "Delegated oversight"),
    ],
    filters=[choice_filter(Committee, "kind"), related_filter(Committee, "parent", "Reports to")],
    search=["name", "oversight"],
    default_sort="name",
    select_related=["parent"],
)

MEMBERSHIP_LISTING = ListSpec(
    columns=[
        Column("person", "Person", sort="person__name", link=True),
        Column("committee", "Committee", sort="committee__name"),
        Column("get_role_display", "Role", sort="role"),
        Column("since", "Since", sort="since"),
    ],
    filters=[
        related_filter(CommitteeMembership, "committee"),
        choice_filter(CommitteeMembership, "role"),
    ],
    search=["person__name", "committee__name"],
    default_sort="committee__name",
    select_related=["person", "committee"],
)

MEETING_LISTING = ListSpec(
    columns=[
        Column("held_on", "Held on", sort="held_on", link=True),
        Column("committee", "Committee", sort="committee__name"),
        Column("agenda", "Agenda"),
    ],
    filters=[related_filter(Meeting, "committee")],
    search=["agenda", "minutes", "committee__name"],
    default_sort="-held_on",
    select_related=["committee"],
)

REPORT_LISTING = ListSpec(
    columns=[
        Column("presented_on", "Presented on", sort="presented_on"),
        Column("title", "Title", sort="title", link=True),
        Column("committee", "To", sort="committee__name"),
        Column("from_department", "From department", sort="from_department__name"),
        Column("from_person", "From person", sort="from_person__name"),
    ],
    filters=[
        related_filter(CommitteeReport, "committee", "To committee"),
        related_filter(CommitteeReport, "from_department"),
    ],
    search=["title", "topics"],
    default_sort="-presented_on",
    select_related=["committee", "from_department", "from_person"],
)

POLICY_LISTING = ListSpec(
    columns=[
        Column("title", "Title", sort="title", link=True),
        Column("version", "Version"),
        Column("owner", "Owner", sort="owner__name"),
        Column("get_status_display", "Status", sort="status"),
        Column("approved_on", "Approved on", sort="approved_on"),
        Column("next_review_on", "Next review", sort="next_review_on"),
    ],
    filters=[choice_filter(Policy, "status"), related_filter(Policy, "owner")],
    search=["title", "summary"],
    default_sort="title",
    select_related=["owner"],
)

RESPONSIBILITY_LISTING = ListSpec(
    columns=[
        Column("title", "Title", sort="title", link=True),
        Column("person", "Person", sort="person__name"),
        Column("years_experience", "Years of experience", sort="years_experience"),
        Column("reports_to", "Reports to"),
    ],
    filters=[
        related_filter(ResponsibilityAssignment, "person"),
        related_filter(ResponsibilityAssignment, "reports_to_committee", "Reports to committee"),
    ],
    search=["title", "duties", "expertise", "person__name"],
    default_sort="title",
    select_related=["person", "reports_to_person", "reports_to_committee"],
)


def committee_context(request: HttpRequest, committee: Committee) -> dict[str, Any]:
    reports = list(
        committee.reports.select_related("from_department", "from_person", "meeting")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-presented_on", "-pk")[:RECENT]
    )
    meetings = list(
        committee.meetings.annotate(attendee_count=Count("attendees")).order_by("-held_on", "-pk")[
            :RECENT
        ]
    )
    last_report_on = reports[0].presented_on if reports else None
    return {
        "cadence": cadence(
            committee.reporting_cadence_months, last_report_on, timezone.localdate()
        ),
        "last_meeting_on": meetings[0].held_on if meetings else None,
        "memberships": committee.memberships.select_related("person").order_by("role", "pk"),
        "children": committee.children.order_by("name"),
        "reports": reports,
        "meetings": meetings,
        "responsibilities": committee.responsibilities_reporting.select_related("person"),
        "can_add_member": rbac.can_edit(request.user),
        "member_form": MemberAddForm(org=request.org),  # type: ignore[attr-defined]
    }


def meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        "attendees": meeting.attendees.all(),
        "reports": meeting.reports.select_related("from_department", "from_person"),
    }


def report_context(request: HttpRequest, report: CommitteeReport) -> dict[str, Any]:
    return {"attachments": report.attachments.all()}


def policy_context(request: HttpRequest, policy: Policy) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "review_overdue": policy.status == Policy.Status.APPROVED
        and policy.next_review_on is not None
        and policy.next_review_on < today,
        "can_approve": policy.status != Policy.Status.RETIRED
        and rbac.has_cap(request.user, rbac.Cap.EDIT_RECORDS),
        "approval_form": PolicyApprovalForm(
            initial={"approved_on": today, "version": policy.version}
        ),
    }


def committee_list_context(request: HttpRequest) -> dict[str, Any]:
    """Every committee's reporting cadence status, shown above the register."""
    return {"statuses": queries.committee_status(request.org, timezone.localdate())}  # type: ignore[attr-defined]


COMMITTEE = Resource(
    app="governance",
    name="committee",
    model=Committee,
    form=CommitteeForm,
    listing=COMMITTEE_LISTING,
    create=services.create_committee,
    update=services.update_committee,
    delete=services.delete_committee,
    detail_fields=["kind", "parent", "oversight", "reporting_cadence_months"],
    detail_template="governance/committee_detail.html",
    list_template="governance/committee_list.html",
    detail_context=committee_context,
    list_context=committee_list_context,
)

MEMBERSHIP = Resource(
    app="governance",
    name="membership",
    model=CommitteeMembership,
    form=MembershipForm,
    listing=MEMBERSHIP_LISTING,
    create=services.create_membership,
    update=services.update_membership,
    delete=services.delete_membership,
    detail_fields=["committee", "person", "role", "since"],
    list_template=LIST_TEMPLATE,
)

MEETING = Resource(
    app="governance",
    name="meeting",
    model=Meeting,
    form=MeetingForm,
    listing=MEETING_LISTING,
    create=services.create_meeting,
    update=services.update_meeting,
    delete=services.delete_meeting,
    detail_fields=["committee", "held_on", "agenda", "minutes"],
    detail_template="governance/meeting_detail.html",
    list_template=LIST_TEMPLATE,
    detail_context=meeting_context,
)

REPORT = Resource(
    app="governance",
    name="report",
    model=CommitteeReport,
    form=CommitteeReportForm,
    listing=REPORT_LISTING,
    create=services.create_committee_report,
    update=services.update_committee_report,
    delete=services.delete_committee_report,
    detail_fields=[
        "committee",
        "presented_on",
        "from_department",
        "from_person",
        "topics",
        "meeting",
    ],
    detail_template="governance/report_detail.html",
    list_template=LIST_TEMPLATE,
    detail_context=report_context,
)

POLICY = Resource(
    app="governance",
    name="policy",
    model=Policy,
    form=PolicyForm,
    listing=POLICY_LISTING,
    create=services.create_policy,
    update=services.update_policy,
    delete=services.delete_policy,
    detail_fields=[
        "owner",
        "version",
        "status",
        "approved_on",
        "approved_by",
        "review_interval_months",
        "next_review_on",
        "document",
        "summary",
    ],
    detail_template="governance/policy_detail.html",
    list_template=LIST_TEMPLATE,
    detail_context=policy_context,
)

RESPONSIBILITY = Resource(
    app="governance",
    name="responsibility",
    model=ResponsibilityAssignment,
    form=ResponsibilityForm,
    listing=RESPONSIBILITY_LISTING,
    create=services.create_responsibility,
    update=services.update_responsibility,
    delete=services.delete_responsibility,
    detail_fields=[
        "person",
        "title",
        "duties",
        "expertise",
        "years_experience",
        "reports_to_person",
        "reports_to_committee",
    ],
    list_template=LIST_TEMPLATE,
)
