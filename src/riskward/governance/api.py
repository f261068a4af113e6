"""REST endpoints for governance: CRUD for each register, committee reporting status, approvals."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from riskward.core import rbac
from riskward.core.api_crud import get_row, register_crud
from riskward.governance import queries, services
from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)
from riskward.governance.resources import (
    COMMITTEE_LISTING,
    MEETING_LISTING,
    MEMBERSHIP_LISTING,
    POLICY_LISTING,
    REPORT_LISTING,
    RESPONSIBILITY_LISTING,
)
from riskward.governance.schemas import (
    CommitteeFilter,
    CommitteeIn,
    CommitteeOut,
    CommitteePatch,
    CommitteeReportFilter,
    CommitteeReportIn,
    CommitteeReportOut,
    CommitteeReportPatch,
    CommitteeStatusOut,
    MeetingFilter,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MembershipFilter,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    PolicyApprovalIn,
    PolicyFilter,
    PolicyIn,
    PolicyOut,
    PolicyPatch,
    ResponsibilityFilter,
    ResponsibilityIn,
    ResponsibilityOut,
    ResponsibilityPatch,
)

router = Router(tags=["governance"])


@router.get("/committee-status", response=list[CommitteeStatusOut], operation_id="committee_status")
def committee_status(request: HttpRequest) -> Any:
    """Each body's required reporting cadence, last report and meeting, next due date, overdue."""
    user = request.auth  # type: ignore[attr-defined]
    rbac.require(user, rbac.Cap.VIEW_DASHBOARD)
    return [
        {
            "committee_id": s.committee.pk,
            "name": s.committee.name,
            "kind": s.committee.kind,
            "reporting_cadence_months": s.cadence.months,
            "last_report_on": s.last_report_on,
            "last_meeting_on": s.last_meeting_on,
            "next_due": s.next_due,
            "state": s.cadence.state,
            "overdue": s.overdue,
        }
        for s in queries.committee_status(user.organization, timezone.localdate())
    ]


@router.post("/policies/{pk}/approve", response=PolicyOut, operation_id="approve_policy")
def approve_policy(request: HttpRequest, pk: int, payload: PolicyApprovalIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    policy = get_row(request, Policy, pk)
    rbac.require(user, rbac.Cap.EDIT_RECORDS)  # approval is not an owner's edit
    return services.approve_policy(
        user.organization,
        user,
        policy,
        payload.approved_on,
        version=payload.version,
        approved_by=payload.approved_by_id,
    )


register_crud(
    router,
    name="committee",
    model=Committee,
    out=CommitteeOut,
    create_in=CommitteeIn,
    patch_in=CommitteePatch,
    filter_schema=CommitteeFilter,
    listing=COMMITTEE_LISTING,
    create=services.create_committee,
    update=services.update_committee,
    delete=services.delete_committee,
)

register_crud(
    router,
    name="committee_membership",
    path="memberships",
    model=CommitteeMembership,
    out=MembershipOut,
    create_in=MembershipIn,
    patch_in=MembershipPatch,
    filter_schema=MembershipFilter,
    listing=MEMBERSHIP_LISTING,
    create=services.create_membership,
    update=services.update_membership,
    delete=services.delete_membership,
)

register_crud(
    router,
    name="committee_meeting",
    path="meetings",
    model=Meeting,
    out=MeetingOut,
    create_in=MeetingIn,
    patch_in=MeetingPatch,
    filter_schema=MeetingFilter,
    listing=MEETING_LISTING,
    create=services.create_meeting,
    update=services.update_meeting,
    delete=services.delete_meeting,
)

register_crud(
    router,
    name="committee_report",
    path="reports",
    model=CommitteeReport,
    out=CommitteeReportOut,
    create_in=CommitteeReportIn,
    patch_in=CommitteeReportPatch,
    filter_schema=CommitteeReportFilter,
    listing=REPORT_LISTING,
    create=services.create_committee_report,
    update=services.update_committee_report,
    delete=services.delete_committee_report,
)

register_crud(
    router,
    name="policy",
    path="policies",
    model=Policy,
    out=PolicyOut,
    create_in=PolicyIn,
    patch_in=PolicyPatch,
    filter_schema=PolicyFilter,
    listing=POLICY_LISTING,
    create=services.create_policy,
    update=services.update_policy,
    delete=services.delete_policy,
)

register_crud(
    router,
    name="responsibility",
    path="responsibilities",
    model=ResponsibilityAssignment,
    out=ResponsibilityOut,
    create_in=ResponsibilityIn,
    patch_in=ResponsibilityPatch,
    filter_schema=ResponsibilityFilter,
    listing=RESPONSIBILITY_LISTING,
    create=services.create_responsibility,
    update=services.update_responsibility,
    delete=services.delete_responsibility,
)
