"""Governance records shared by the service, query, page and API tests."""

from __future__ import annotations

from datetime import date

import pytest

from riskward.controls.models import Evidence
from riskward.core.models import Department, Person
from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)


@pytest.fixture
def rita(users):
    return Person.objects.get(user=users["risk_owner"])


@pytest.fixture
def director(org):
    return Person.objects.create(organization=org, name="Dana Director")


@pytest.fixture
def internal_audit(org):
    return Department.objects.create(organization=org, name="Internal Audit")


@pytest.fixture
def board(org):
    return Committee.objects.create(organization=org, name="Board of Directors", kind="board")


@pytest.fixture
def audit_committee(org, board):
    return Committee.objects.create(
        organization=org,
        name="Audit Committee",
        kind="committee",
        parent=board,
        oversight="Oversight of cybersecurity risk, delegated by the board.",
        reporting_cadence_months=12,
    )


@pytest.fixture
def membership(org, audit_committee, director):
    return CommitteeMembership.objects.create(
        organization=org, committee=audit_committee, person=director, role="chair"
    )


@pytest.fixture
def meeting(org, audit_committee):
    return Meeting.objects.create(
        organization=org,
        committee=audit_committee,
        held_on=date(2024, 11, 20),
        agenda="Annual cybersecurity review",
    )


@pytest.fixture
def evidence(org):
    return Evidence.objects.create(
        organization=org, title="IA report 2024", kind="link", url="https://example.com/ia.pdf"
    )


@pytest.fixture
def report(org, audit_committee, internal_audit, meeting):
    return CommitteeReport.objects.create(
        organization=org,
        committee=audit_committee,
        title="Internal audit: cybersecurity 2024",
        presented_on=date(2024, 11, 20),
        from_department=internal_audit,
        topics="Control testing results",
        meeting=meeting,
    )


@pytest.fixture
def policy(org, rita):
    return Policy.objects.create(
        organization=org, title="Information Security Policy", owner=rita, version="3.0"
    )


@pytest.fixture
def responsibility(org, director, audit_committee):
    return ResponsibilityAssignment.objects.create(
        organization=org,
        person=director,
        title="Head of Research and Development",
        years_experience=19,
        reports_to_committee=audit_committee,
    )


@pytest.fixture
def others_policy(org, director):
    return Policy.objects.create(
        organization=org, title="Backup Policy", owner=director, version="1.0"
    )
