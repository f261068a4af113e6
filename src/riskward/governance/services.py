"""Governance changes: committees and their members, meetings, reports, policies, responsibilities.

Every change goes through core.changes (validated, organization-scoped, audited); the rules here
are the ones a single row cannot check on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from riskward.core.changes import create_row, delete_row, update_row
from riskward.core.models import Organization
from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)
from riskward.lib.dates import add_months
from riskward.lib.errors import InvalidInput


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _current(row: Any, data: Mapping[str, Any], name: str) -> Any:
    """The id foreign key `name` will hold after the change: from the input, else the row."""
    if name in data:
        return _pk(data[name])
    return getattr(row, f"{name}_id") if row is not None else None


def _check_committee(
    org: Organization, committee: Committee | None, data: Mapping[str, Any]
) -> None:
    name = data.get("name")
    if name is not None:
        taken = Committee.objects.for_org(org).filter(name__iexact=str(name).strip())
        if committee is not None:
            taken = taken.exclude(pk=committee.pk)
        if taken.exists():
            raise InvalidInput(f"name: a body named “{name}” already exists", "name")
    kind = data.get("kind")
    if (
        committee is not None
        and kind is not None
        and kind != committee.kind
        and committee.children.exists()
    ):
        raise InvalidInput(
            "kind: other committees report to this one; move them before changing its kind",
            "kind",
        )


def create_committee(org: Organization, actor: Any, data: Mapping[str, Any]) -> Committee:
    _check_committee(org, None, data)
    return create_row(org, actor, Committee, data)


def update_committee(
    org: Organization, actor: Any, committee: Committee, data: Mapping[str, Any]
) -> Committee:
    _check_committee(org, committee, data)
    return update_row(org, actor, committee, data)


@transaction.atomic
def delete_committee(org: Organization, actor: Any, committee: Committee) -> None:
    """Memberships go with the committee (each audited); its history (meetings, reports,
    committees under it) must be removed first, so nothing disappears unseen."""
    for membership in committee.memberships.all():
        delete_row(org, actor, membership)
    delete_row(org, actor, committee)


def _check_membership(
    org: Organization, membership: CommitteeMembership | None, data: Mapping[str, Any]
) -> None:
    """One seat per person per committee, and at most one chair."""
    committee = _current(membership, data, "committee")
    person = _current(membership, data, "person")
    others = CommitteeMembership.objects.for_org(org).filter(committee_id=committee)
    if membership is not None:
        others = others.exclude(pk=membership.pk)
    if person is not None and others.filter(person_id=person).exists():
        raise InvalidInput("person: already on this committee", "person")
    role = data.get("role", membership.role if membership is not None else None)
    if role == CommitteeMembership.Role.CHAIR and others.filter(role=role).exists():
        raise InvalidInput("role: this committee already has a chair", "role")


def create_membership(
    org: Organization, actor: Any, data: Mapping[str, Any]
) -> CommitteeMembership:
    _check_membership(org, None, data)
    return create_row(org, actor, CommitteeMembership, data)


def add_member(
    org: Organization, actor: Any, committee: Committee, data: Mapping[str, Any]
) -> CommitteeMembership:
    """A seat on this committee; the committee comes from the page, never from the input."""
    return create_membership(org, actor, {**data, "committee": committee})


def update_membership(
    org: Organization, actor: Any, membership: CommitteeMembership, data: Mapping[str, Any]
) -> CommitteeMembership:
    _check_membership(org, membership, data)
    return update_row(org, actor, membership, data)


def delete_membership(org: Organization, actor: Any, membership: CommitteeMembership) -> None:
    delete_row(org, actor, membership)


def create_meeting(org: Organization, actor: Any, data: Mapping[str, Any]) -> Meeting:
    return create_row(org, actor, Meeting, data)


def update_meeting(
    org: Organization, actor: Any, meeting: Meeting, data: Mapping[str, Any]
) -> Meeting:
    moving = "committee" in data and _pk(data["committee"]) != meeting.committee_id
    if moving and meeting.reports.exists():
        raise InvalidInput(
            "committee: reports were presented at this meeting; it cannot change committee",
            "committee",
        )
    return update_row(org, actor, meeting, data)


def delete_meeting(org: Organization, actor: Any, meeting: Meeting) -> None:
    delete_row(org, actor, meeting)


def create_committee_report(
    org: Organization, actor: Any, data: Mapping[str, Any]
) -> CommitteeReport:
    return create_row(org, actor, CommitteeReport, data)


def update_committee_report(
    org: Organization, actor: Any, report: CommitteeReport, data: Mapping[str, Any]
) -> CommitteeReport:
    return update_row(org, actor, report, data)


def delete_committee_report(org: Organization, actor: Any, report: CommitteeReport) -> None:
    delete_row(org, actor, report)


def _with_next_review(policy: Policy | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """Fill an empty next review date from the approval date plus the review cycle."""
    result = dict(data)
    if result.get("next_review_on"):
        return result
    changed = {"approved_on", "review_interval_months", "next_review_on"} & set(result)
    if policy is not None and not changed:
        return result
    approved_on = result.get("approved_on", policy.approved_on if policy is not None else None)
    months = result.get("review_interval_months") or (
        policy.review_interval_months if policy is not None else 12
    )
    if isinstance(approved_on, date) and isinstance(months, int) and months > 0:
        result["next_review_on"] = add_months(approved_on, months)
    return result


def create_policy(org: Organization, actor: Any, data: Mapping[str, Any]) -> Policy:
    return create_row(org, actor, Policy, _with_next_review(None, data))


def update_policy(org: Organization, actor: Any, policy: Policy, data: Mapping[str, Any]) -> Policy:
    return update_row(org, actor, policy, _with_next_review(policy, data))


def approve_policy(
    org: Organization,
    actor: Any,
    policy: Policy,
    approved_on: date,
    version: str | None = None,
    approved_by: Committee | int | None = None,
) -> Policy:
    """Approve (or re-approve after review): the next review is due one cycle later."""
    if policy.status == Policy.Status.RETIRED:
        raise InvalidInput("status: a retired policy cannot be approved", "status")
    data: dict[str, Any] = {
        "status": Policy.Status.APPROVED,
        "approved_on": approved_on,
        "next_review_on": add_months(approved_on, policy.review_interval_months),
    }
    if version:
        data["version"] = version
    if approved_by is not None:
        data["approved_by"] = approved_by
    return update_row(org, actor, policy, data)


def delete_policy(org: Organization, actor: Any, policy: Policy) -> None:
    delete_row(org, actor, policy)


def create_responsibility(
    org: Organization, actor: Any, data: Mapping[str, Any]
) -> ResponsibilityAssignment:
    return create_row(org, actor, ResponsibilityAssignment, data)


def update_responsibility(
    org: Organization, actor: Any, assignment: ResponsibilityAssignment, data: Mapping[str, Any]
) -> ResponsibilityAssignment:
    return update_row(org, actor, assignment, data)


def delete_responsibility(
    org: Organization, actor: Any, assignment: ResponsibilityAssignment
) -> None:
    delete_row(org, actor, assignment)
