from __future__ import annotations

from typing import Any

from django import forms

from riskward.core.forms import DateInput, OrgModelForm
from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)


class CommitteeForm(OrgModelForm):
    class Meta:
        model = Committee
        fields = ["name", "kind", "parent", "oversight", "reporting_cadence_months"]


class MembershipForm(OrgModelForm):
    class Meta:
        model = CommitteeMembership
        fields = ["committee", "person", "role", "since"]


class MemberAddForm(OrgModelForm):
    """A seat added from the committee's page: the committee is fixed by the page."""

    class Meta:
        model = CommitteeMembership
        fields = ["person", "role", "since"]


class MeetingForm(OrgModelForm):
    class Meta:
        model = Meeting
        fields = ["committee", "held_on", "agenda", "minutes", "attendees"]


class CommitteeReportForm(OrgModelForm):
    class Meta:
        model = CommitteeReport
        fields = [
            "committee",
            "title",
            "presented_on",
            "from_department",
            "from_person",
            "topics",
            "meeting",
            "attachments",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.fields["meeting"]
        # A meeting's label names its committee: fetch them together, not one query per option.
        meeting.queryset = meeting.queryset.select_related("committee")  # type: ignore[attr-defined]


class PolicyForm(OrgModelForm):
    class Meta:
        model = Policy
        fields = [
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


class PolicyApprovalForm(forms.Form):
    approved_on = forms.DateField(label="Approved on", widget=DateInput())
    version = forms.CharField(label="Version", max_length=30, required=False)


class ResponsibilityForm(OrgModelForm):
    class Meta:
        model = ResponsibilityAssignment
        fields = [
            "person",
            "title",
            "duties",
            "expertise",
            "years_experience",
            "reports_to_person",
            "reports_to_committee",
        ]
