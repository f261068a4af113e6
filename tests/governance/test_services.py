from __future__ import annotations

from datetime import date

import pytest

from riskward.audit.models import AuditEvent
from riskward.controls.models import Evidence
from riskward.core.models import Department, Person
from riskward.governance import services
from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)
from riskward.lib.errors import InvalidInput


def _field(call, *args, **kwargs):
    with pytest.raises(InvalidInput) as error:
        call(*args, **kwargs)
    return error.value.field


# Committees


def test_create_committee_is_audited(org, users, board):
    committee = services.create_committee(
        org,
        users["admin"],
        {
            "name": "Risk Committee",
            "kind": "committee",
            "parent": board.pk,
            "oversight": "Enterprise and cybersecurity risk",
            "reporting_cadence_months": 6,
        },
    )
    assert committee.parent == board
    event = AuditEvent.objects.get(object_type="governance.Committee", action="create")
    assert event.after["oversight"] == "Enterprise and cybersecurity risk"
    assert event.after["parent_id"] == board.pk


@pytest.mark.parametrize(
    ("kind", "parent", "message"),
    [
        ("board", "board", "reports to no other body"),
        ("committee", "committee", "reports to the board"),
        ("subcommittee", None, "reports to a committee"),
        ("subcommittee", "board", "reports to a committee"),
    ],
)
def test_reporting_lines_follow_the_kind(org, users, board, audit_committee, kind, parent, message):
    parents = {"board": board.pk, "committee": audit_committee.pk, None: None}
    with pytest.raises(InvalidInput, match=message) as error:
        services.create_committee(
            org, users["admin"], {"name": "New body", "kind": kind, "parent": parents[parent]}
        )
    assert error.value.field == "parent"
    assert not Committee.objects.filter(name="New body").exists()


def test_subcommittee_under_a_committee_is_fine(org, users, audit_committee):
    sub = services.create_committee(
        org,
        users["admin"],
        {"name": "IT Subcommittee", "kind": "subcommittee", "parent": audit_committee},
    )
    assert sub.parent == audit_committee


def test_committee_cannot_report_to_itself(org, users, board):
    assert _field(services.update_committee, org, users["admin"], board, {"parent": board}) == (
        "parent"
    )


def test_committee_names_are_unique_ignoring_case(org, users, other_org, audit_committee):
    assert (
        _field(services.create_committee, org, users["admin"], {"name": "audit committee"})
        == "name"
    )
    Committee.objects.create(organization=other_org, name="Risk Committee")
    services.create_committee(org, users["admin"], {"name": "Risk Committee"})  # theirs differs
    services.update_committee(org, users["admin"], audit_committee, {"name": "Audit Committee"})


def test_kind_cannot_change_while_others_report_to_it(org, users, board, audit_committee):
    assert _field(services.update_committee, org, users["admin"], board, {"kind": "committee"}) == (
        "kind"
    )
    board.refresh_from_db()
    assert board.kind == "board"


def test_cadence_out_of_range_names_the_field(org, users):
    assert (
        _field(
            services.create_committee,
            org,
            users["admin"],
            {"name": "X", "reporting_cadence_months": 0},
        )
        == "reporting_cadence_months"
    )


def test_update_committee_records_before_and_after(org, users, audit_committee):
    services.update_committee(org, users["admin"], audit_committee, {"reporting_cadence_months": 6})
    event = AuditEvent.objects.get(action="update", object_type="governance.Committee")
    assert (event.before["reporting_cadence_months"], event.after["reporting_cadence_months"]) == (
        12,
        6,
    )


def test_deleting_a_committee_takes_its_memberships_each_audited(
    org, users, audit_committee, membership
):
    services.delete_committee(org, users["admin"], audit_committee)
    assert not Committee.objects.filter(pk=audit_committee.pk).exists()
    assert not CommitteeMembership.objects.exists()
    deleted = sorted(
        AuditEvent.objects.filter(action="delete").values_list("object_type", flat=True)
    )
    assert deleted == ["governance.Committee", "governance.CommitteeMembership"]


def test_committee_with_history_is_kept_whole(org, users, audit_committee, membership, meeting):
    with pytest.raises(InvalidInput, match="Still referenced by: meeting"):
        services.delete_committee(org, users["admin"], audit_committee)
    assert CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


# Memberships


def test_add_member_takes_the_committee_from_the_page(org, users, audit_committee, rita):
    seat = services.add_member(
        org, users["admin"], audit_committee, {"person": rita, "role": "member"}
    )
    assert seat.committee == audit_committee
    assert list(audit_committee.members.all()) == [rita]
    assert AuditEvent.objects.filter(
        action="create", object_type="governance.CommitteeMembership"
    ).exists()


def test_a_person_sits_once_per_committee(org, users, audit_committee, membership, director):
    assert (
        _field(services.add_member, org, users["admin"], audit_committee, {"person": director})
        == "person"
    )


def test_a_committee_has_one_chair(org, users, audit_committee, membership, rita):
    assert (
        _field(
            services.add_member,
            org,
            users["admin"],
            audit_committee,
            {"person": rita, "role": "chair"},
        )
        == "role"
    )
    seat = services.add_member(org, users["admin"], audit_committee, {"person": rita})
    assert (
        _field(services.update_membership, org, users["admin"], seat, {"role": "chair"}) == "role"
    )
    # The chair may be edited without tripping over themselves.
    services.update_membership(org, users["admin"], membership, {"since": date(2022, 1, 1)})


def test_member_from_another_organization_is_refused(org, other_org, users, audit_committee):
    stranger = Person.objects.create(organization=other_org, name="Stranger")
    assert (
        _field(services.add_member, org, users["admin"], audit_committee, {"person": stranger.pk})
        == "person"
    )


def test_delete_membership_is_audited(org, users, membership):
    services.delete_membership(org, users["admin"], membership)
    assert AuditEvent.objects.filter(
        action="delete", object_type="governance.CommitteeMembership"
    ).exists()


# Meetings and reports


def test_meeting_with_attendees_is_audited(org, users, audit_committee, director, rita):
    meeting = services.create_meeting(
        org,
        users["admin"],
        {
            "committee": audit_committee.pk,
            "held_on": date(2024, 5, 1),
            "attendees": [director.pk, rita.pk],
        },
    )
    event = AuditEvent.objects.get(object_type="governance.Meeting")
    assert event.after["attendees"] == sorted([director.pk, rita.pk])
    assert str(meeting) == "Audit Committee meeting, 2024-05-01"


def test_meeting_with_reports_cannot_move_committee(org, users, board, meeting, report):
    assert _field(services.update_meeting, org, users["admin"], meeting, {"committee": board}) == (
        "committee"
    )
    services.update_meeting(org, users["admin"], meeting, {"minutes": "Approved."})


def test_meeting_with_reports_cannot_be_deleted(org, users, meeting, report):
    with pytest.raises(InvalidInput, match="committee report"):
        services.delete_meeting(org, users["admin"], meeting)


def test_report_with_attachments_is_audited(org, users, audit_committee, internal_audit, evidence):
    report = services.create_committee_report(
        org,
        users["admin"],
        {
            "committee": audit_committee.pk,
            "title": "Internal control report",
            "presented_on": date(2024, 12, 1),
            "from_department": internal_audit.pk,
            "attachments": [evidence.pk],
        },
    )
    assert list(report.attachments.all()) == [evidence]
    event = AuditEvent.objects.get(object_type="governance.CommitteeReport")
    assert event.after["attachments"] == [evidence.pk]


def test_report_from_a_person_alone_is_fine(org, users, audit_committee, director):
    report = services.create_committee_report(
        org,
        users["admin"],
        {
            "committee": audit_committee,
            "title": "CISO update",
            "presented_on": date(2024, 12, 1),
            "from_person": director,
        },
    )
    assert report.from_department is None


def test_report_needs_a_sender(org, users, audit_committee):
    data = {"committee": audit_committee, "title": "X", "presented_on": date(2024, 1, 1)}
    assert _field(services.create_committee_report, org, users["admin"], data) == (
        "from_department"
    )
    assert not CommitteeReport.objects.exists()


def test_report_meeting_must_be_of_the_same_committee(
    org, users, board, audit_committee, internal_audit
):
    board_meeting = Meeting.objects.create(organization=org, committee=board, held_on=date.today())
    data = {
        "committee": audit_committee,
        "title": "X",
        "presented_on": date(2024, 1, 1),
        "from_department": internal_audit,
        "meeting": board_meeting,
    }
    assert _field(services.create_committee_report, org, users["admin"], data) == "meeting"


def test_attachment_from_another_organization_is_refused(
    org, other_org, users, audit_committee, internal_audit
):
    theirs = Evidence.objects.create(
        organization=other_org, title="Theirs", kind="link", url="https://example.com"
    )
    data = {
        "committee": audit_committee,
        "title": "X",
        "presented_on": date(2024, 1, 1),
        "from_department": internal_audit,
        "attachments": [theirs.pk],
    }
    assert _field(services.create_committee_report, org, users["admin"], data) == "attachments"


def test_update_and_delete_report_are_audited(org, users, report, evidence):
    services.update_committee_report(org, users["admin"], report, {"attachments": [evidence]})
    event = AuditEvent.objects.get(action="update", object_type="governance.CommitteeReport")
    assert (event.before["attachments"], event.after["attachments"]) == ([], [evidence.pk])
    services.delete_committee_report(org, users["admin"], report)
    assert AuditEvent.objects.filter(
        action="delete", object_type="governance.CommitteeReport"
    ).exists()


def test_department_that_reported_cannot_vanish(org, users, report, internal_audit):
    from riskward.core import services as core_services

    with pytest.raises(InvalidInput, match="committee report"):
        core_services.delete_department(org, users["admin"], internal_audit)
    assert Department.objects.filter(pk=internal_audit.pk).exists()


# Policies


def test_next_review_is_set_from_approval_and_cycle(org, users, rita):
    policy = services.create_policy(
        org,
        users["admin"],
        {
            "title": "Acceptable Use",
            "owner": rita,
            "status": "approved",
            "approved_on": date(2024, 1, 31),
            "review_interval_months": 13,
            "next_review_on": None,
        },
    )
    assert policy.next_review_on == date(2025, 2, 28)
    event = AuditEvent.objects.get(object_type="governance.Policy")
    assert event.after["next_review_on"] == "2025-02-28"


def test_an_explicit_next_review_is_kept(org, users):
    policy = services.create_policy(
        org,
        users["admin"],
        {
            "title": "Backup",
            "status": "approved",
            "approved_on": date(2024, 1, 1),
            "next_review_on": date(2024, 6, 1),
        },
    )
    assert policy.next_review_on == date(2024, 6, 1)


def test_changing_the_cycle_moves_the_next_review(org, users):
    policy = services.create_policy(
        org,
        users["admin"],
        {"title": "Backup", "status": "approved", "approved_on": date(2024, 1, 1)},
    )
    assert policy.next_review_on == date(2025, 1, 1)
    services.update_policy(org, users["admin"], policy, {"review_interval_months": 6})
    assert policy.next_review_on == date(2024, 7, 1)
    services.update_policy(org, users["admin"], policy, {"summary": "unrelated"})
    assert policy.next_review_on == date(2024, 7, 1)


def test_draft_without_approval_has_no_review_date(org, users):
    policy = services.create_policy(org, users["admin"], {"title": "Draft"})
    assert (policy.status, policy.next_review_on) == ("draft", None)


def test_approved_policy_needs_its_approval_date(org, users):
    assert (
        _field(services.create_policy, org, users["admin"], {"title": "X", "status": "approved"})
        == "approved_on"
    )
    assert not Policy.objects.exists()


def test_review_before_approval_names_the_field(org, users):
    data = {
        "title": "X",
        "status": "approved",
        "approved_on": date(2024, 5, 1),
        "next_review_on": date(2024, 4, 1),
    }
    assert _field(services.create_policy, org, users["admin"], data) == "next_review_on"


def test_approve_policy_sets_status_date_version_and_next_review(
    org, users, policy, audit_committee
):
    services.approve_policy(
        org,
        users["admin"],
        policy,
        date(2024, 8, 31),
        version="3.1",
        approved_by=audit_committee.pk,
    )
    policy.refresh_from_db()
    assert (policy.status, policy.approved_on, policy.version, policy.approved_by) == (
        "approved",
        date(2024, 8, 31),
        "3.1",
        audit_committee,
    )
    assert policy.next_review_on == date(2025, 8, 31)
    event = AuditEvent.objects.get(action="update", object_type="governance.Policy")
    assert (event.before["status"], event.after["status"]) == ("draft", "approved")


def test_retired_policy_cannot_be_approved(org, users, policy):
    policy.status = "retired"
    policy.save()
    assert _field(services.approve_policy, org, users["admin"], policy, date(2024, 1, 1)) == (
        "status"
    )


def test_delete_policy_is_audited(org, users, policy):
    services.delete_policy(org, users["admin"], policy)
    assert AuditEvent.objects.filter(action="delete", object_type="governance.Policy").exists()


def test_policy_owner_check(policy, users):
    assert policy.is_owned_by(users["risk_owner"])
    assert not policy.is_owned_by(users["admin"])


# Responsibilities


def test_responsibility_reporting_to_a_committee(org, users, director, audit_committee):
    duty = services.create_responsibility(
        org,
        users["admin"],
        {
            "person": director.pk,
            "title": "Head of R&D",
            "duties": "Daily supervision of cybersecurity risk",
            "expertise": "Network technology",
            "years_experience": 19,
            "reports_to_committee": audit_committee.pk,
        },
    )
    assert duty.reports_to == audit_committee
    assert (
        AuditEvent.objects.get(object_type="governance.ResponsibilityAssignment").after[
            "years_experience"
        ]
        == 19
    )


@pytest.mark.parametrize("target", ["neither", "both", "self"])
def test_responsibility_reports_to_exactly_one_other(
    org, users, director, rita, audit_committee, target
):
    data = {"person": director, "title": "Head of R&D"}
    if target in ("both", "self"):
        data["reports_to_person"] = director if target == "self" else rita
    if target in ("both",):
        data["reports_to_committee"] = audit_committee
    assert _field(services.create_responsibility, org, users["admin"], data) == (
        "reports_to_person"
    )
    assert not ResponsibilityAssignment.objects.exists()


def test_switching_reports_to_a_person_needs_the_committee_cleared(
    org, users, responsibility, rita
):
    assert (
        _field(
            services.update_responsibility,
            org,
            users["admin"],
            responsibility,
            {"reports_to_person": rita},
        )
        == "reports_to_person"
    )
    services.update_responsibility(
        org,
        users["admin"],
        responsibility,
        {"reports_to_person": rita, "reports_to_committee": None},
    )
    assert responsibility.reports_to == rita


def test_years_of_experience_are_bounded(org, users, director, rita):
    data = {"person": director, "title": "X", "reports_to_person": rita, "years_experience": 99}
    assert _field(services.create_responsibility, org, users["admin"], data) == "years_experience"


def test_delete_responsibility_is_audited(org, users, responsibility):
    services.delete_responsibility(org, users["admin"], responsibility)
    assert AuditEvent.objects.filter(
        action="delete", object_type="governance.ResponsibilityAssignment"
    ).exists()
