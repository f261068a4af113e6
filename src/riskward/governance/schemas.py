"""API schemas for governance records: explicit fields, unknown input fields refused."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from django.db.models import QuerySet
from ninja import FilterLookup, FilterSchema, ModelSchema, Schema
from pydantic import ConfigDict

from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)

FORBID = ConfigDict(extra="forbid")
Rows = TypeVar("Rows", bound=QuerySet[Any])

COMMITTEE_FIELDS = ["name", "kind", "parent", "oversight", "reporting_cadence_months"]


class CommitteeOut(ModelSchema):
    class Meta:
        model = Committee
        fields = ["id", *COMMITTEE_FIELDS, "members", "created_at", "updated_at"]


class CommitteeIn(ModelSchema):
    model_config = FORBID

    class Meta:
        model = Committee
        fields = COMMITTEE_FIELDS


class CommitteePatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = Committee
        fields = COMMITTEE_FIELDS
        fields_optional = "__all__"


class CommitteeFilter(FilterSchema):
    kind: str | None = None
    parent: int | None = None


class CommitteeStatusOut(Schema):
    committee_id: int
    name: str
    kind: str
    reporting_cadence_months: int | None
    last_report_on: date | None
    last_meeting_on: date | None
    next_due: date | None
    state: str
    overdue: bool


MEMBERSHIP_FIELDS = ["committee", "person", "role", "since"]


class MembershipOut(ModelSchema):
    class Meta:
        model = CommitteeMembership
        fields = ["id", *MEMBERSHIP_FIELDS]


class MembershipIn(ModelSchema):
    model_config = FORBID

    class Meta:
        model = CommitteeMembership
        fields = MEMBERSHIP_FIELDS


class MembershipPatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = CommitteeMembership
        fields = MEMBERSHIP_FIELDS
        fields_optional = "__all__"


class MembershipFilter(FilterSchema):
    committee: int | None = None
    person: int | None = None
    role: str | None = None


MEETING_FIELDS = ["committee", "held_on", "agenda", "minutes", "attendees"]


class MeetingOut(ModelSchema):
    class Meta:
        model = Meeting
        fields = ["id", *MEETING_FIELDS, "created_at", "updated_at"]


class MeetingIn(ModelSchema):
    model_config = FORBID
    attendees: list[int] = []

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS


class MeetingPatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        fields_optional = "__all__"


class MeetingFilter(FilterSchema):
    committee: int | None = None
    year: Annotated[int | None, FilterLookup("held_on__year")] = None


REPORT_FIELDS = [
    "committee",
    "title",
    "presented_on",
    "from_department",
    "from_person",
    "topics",
    "meeting",
    "attachments",
]


class CommitteeReportOut(ModelSchema):
    class Meta:
        model = CommitteeReport
        fields = ["id", *REPORT_FIELDS, "created_at", "updated_at"]


class CommitteeReportIn(ModelSchema):
    model_config = FORBID
    attachments: list[int] = []

    class Meta:
        model = CommitteeReport
        fields = REPORT_FIELDS


class CommitteeReportPatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = CommitteeReport
        fields = REPORT_FIELDS
        fields_optional = "__all__"


class CommitteeReportFilter(FilterSchema):
    committee: int | None = None
    from_department: int | None = None
    from_person: int | None = None
    presented_from: Annotated[date | None, FilterLookup("presented_on__gte")] = None
    presented_to: Annotated[date | None, FilterLookup("presented_on__lte")] = None


POLICY_FIELDS = [
    "title",
    "owner",
    "version",
    "status",
    "approved_on",
    "approved_by",
    "review_interval_months",
    "next_review_on",
    "document",
    "summary",
]


class PolicyOut(ModelSchema):
    class Meta:
        model = Policy
        fields = ["id", *POLICY_FIELDS, "created_at", "updated_at"]


class PolicyIn(ModelSchema):
    model_config = FORBID

    class Meta:
        model = Policy
        fields = POLICY_FIELDS


class PolicyPatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = Policy
        fields = POLICY_FIELDS
        fields_optional = "__all__"


class PolicyFilter(FilterSchema):
    status: str | None = None
    owner: int | None = None
    review_due_by: Annotated[date | None, FilterLookup("next_review_on__lte")] = None


class PolicyApprovalIn(Schema):
    model_config = FORBID
    approved_on: date
    version: str | None = None
    approved_by_id: int | None = None


RESPONSIBILITY_FIELDS = [
    "person",
    "title",
    "duties",
    "expertise",
    "years_experience",
    "reports_to_person",
    "reports_to_committee",
]


class ResponsibilityOut(ModelSchema):
    class Meta:
        model = ResponsibilityAssignment
        fields = ["id", *RESPONSIBILITY_FIELDS, "created_at", "updated_at"]


class ResponsibilityIn(ModelSchema):
    model_config = FORBID

    class Meta:
        model = ResponsibilityAssignment
        fields = RESPONSIBILITY_FIELDS


class ResponsibilityPatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = ResponsibilityAssignment
        fields = RESPONSIBILITY_FIELDS
        fields_optional = "__all__"


class ResponsibilityFilter(FilterSchema):
    person: int | None = None
    reports_to_person: int | None = None
    reports_to_committee: int | None = None
