from __future__ import annotations

from datetime import date

from riskward.core.models import Department
from riskward.governance import queries
from riskward.governance.models import Committee, CommitteeReport, Meeting, Policy


def _report(org, committee, presented_on, department):
    return CommitteeReport.objects.create(
        organization=org,
        committee=committee,
        title=f"Report {presented_on}",
        presented_on=presented_on,
        from_department=department,
    )


def _by_name(statuses):
    return {s.committee.name: s for s in statuses}


def test_committee_status_lists_last_report_next_due_and_overdue(
    org, board, audit_committee, internal_audit
):
    _report(org, audit_committee, date(2023, 11, 1), internal_audit)
    _report(org, audit_committee, date(2024, 3, 15), internal_audit)
    for held_on in (date(2024, 1, 10), date(2024, 6, 1)):
        Meeting.objects.create(organization=org, committee=audit_committee, held_on=held_on)
    statuses = queries.committee_status(org, date(2025, 3, 15))
    assert [s.committee.name for s in statuses] == ["Board of Directors", "Audit Committee"]
    audit = _by_name(statuses)["Audit Committee"]
    assert (audit.last_report_on, audit.last_meeting_on) == (date(2024, 3, 15), date(2024, 6, 1))
    assert (audit.next_due, audit.overdue) == (date(2025, 3, 15), False)
    assert audit.committee.parent == board
    board_status = _by_name(statuses)["Board of Directors"]
    assert (board_status.cadence.state, board_status.overdue) == ("none", False)


def test_committee_status_turns_overdue_the_day_after_the_due_date(
    org, audit_committee, internal_audit
):
    _report(org, audit_committee, date(2024, 3, 15), internal_audit)
    on_due_date = _by_name(queries.committee_status(org, date(2025, 3, 15)))
    assert not on_due_date["Audit Committee"].overdue
    late = _by_name(queries.committee_status(org, date(2025, 3, 16)))["Audit Committee"]
    assert (late.overdue, late.cadence.state) == (True, "overdue")


def test_committee_with_a_cadence_and_no_report_is_overdue(org, audit_committee):
    status = _by_name(queries.committee_status(org, date(2025, 1, 1)))["Audit Committee"]
    assert (status.last_report_on, status.next_due, status.overdue) == (None, None, True)


def test_committee_status_ignores_other_organizations(
    org, other_org, audit_committee, internal_audit
):
    theirs = Committee.objects.create(organization=other_org, name="Their board", kind="board")
    dept = Department.objects.create(organization=other_org, name="IA")
    CommitteeReport.objects.create(
        organization=other_org,
        committee=theirs,
        title="x",
        presented_on=date(2025, 1, 1),
        from_department=dept,
    )
    statuses = queries.committee_status(org, date(2025, 2, 1))
    assert [s.committee.name for s in statuses] == ["Board of Directors", "Audit Committee"]
    assert statuses[1].last_report_on is None


def test_committee_status_is_one_query(
    org, board, audit_committee, internal_audit, django_assert_num_queries
):
    for i in range(5):
        sub = Committee.objects.create(
            organization=org, name=f"C{i}", parent=board, reporting_cadence_months=6
        )
        for month in (1, 4, 7):
            _report(org, sub, date(2024, month, 1), internal_audit)
            Meeting.objects.create(organization=org, committee=sub, held_on=date(2024, month, 2))
    with django_assert_num_queries(1):
        statuses = queries.committee_status(org, date(2024, 12, 1))
        assert len(statuses) == 7
        assert {s.committee.parent.name for s in statuses if s.committee.parent} == {
            "Board of Directors"
        }
    c0 = _by_name(statuses)["C0"]
    assert (c0.last_report_on, c0.last_meeting_on, c0.next_due) == (
        date(2024, 7, 1),
        date(2024, 7, 2),
        date(2025, 1, 1),
    )


def test_policies_due_for_review(org, rita):
    def make(title, status, next_review_on, approved_on=date(2023, 1, 1)):
        return Policy.objects.create(
            organization=org,
            title=title,
            status=status,
            approved_on=approved_on,
            next_review_on=next_review_on,
        )

    late = make("late", "approved", date(2024, 5, 1))
    soon = make("soon", "approved", date(2024, 6, 30))
    make("later", "approved", date(2024, 8, 1))
    make("retired", "retired", date(2024, 5, 1))
    make("draft", "draft", date(2024, 5, 1), approved_on=None)
    assert queries.policies_due_for_review(org, date(2024, 6, 1), within_days=30) == [late, soon]
