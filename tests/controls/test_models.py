"""Derived dates: control test schedule, certification assessment schedule, expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    Control,
    Evidence,
)
from riskward.lib.dates import add_months


def control(**fields):
    fields.setdefault("status", Control.Status.IMPLEMENTED)
    return Control(
        reference="C", name="C", control_type="technical", function="detective", **fields
    )


def test_next_test_due_is_last_test_plus_frequency():
    assert control(last_tested=date(2024, 1, 15), test_frequency_days=90).next_test_due == date(
        2024, 4, 14
    )
    assert control(last_tested=date(2024, 1, 15)).next_test_due is None
    assert control(test_frequency_days=90).next_test_due is None


def test_test_overdue():
    today = timezone.localdate()
    assert control(last_tested=today - timedelta(days=91), test_frequency_days=90).test_overdue
    assert not control(last_tested=today - timedelta(days=90), test_frequency_days=90).test_overdue
    assert control(test_frequency_days=90).test_overdue  # scheduled but never tested
    assert not control(last_tested=today - timedelta(days=400)).test_overdue  # no schedule
    planned = control(test_frequency_days=30, status=Control.Status.PLANNED)
    assert not planned.test_overdue  # not in operation yet


def test_database_filter_agrees_with_the_property(org):
    today = timezone.localdate()
    cases = {
        "late": {"last_tested": today - timedelta(days=31), "test_frequency_days": 30},
        "due-today": {"last_tested": today - timedelta(days=30), "test_frequency_days": 30},
        "never": {"test_frequency_days": 30},
        "unscheduled": {"last_tested": today - timedelta(days=999)},
        "retired": {"test_frequency_days": 1, "status": Control.Status.RETIRED},
    }
    for reference, fields in cases.items():
        row = control(**fields)
        row.reference, row.organization = reference, org
        row.save()
    overdue = set(
        Control.objects.filter(organization=org)
        .test_overdue(today)
        .values_list("reference", flat=True)
    )
    assert overdue == {"late", "never"}
    assert overdue == {c.reference for c in Control.objects.all() if c.test_overdue}
    current = Control.objects.filter(organization=org).test_not_overdue(today)
    assert set(current.values_list("reference", flat=True)) == set(cases) - overdue
    annotated = Control.objects.with_test_due().get(reference="late")
    assert annotated.test_due_on == annotated.next_test_due


@pytest.fixture
def certification(org):
    return Certification.objects.create(
        organization=org,
        scheme="MLPS Information System Security Protection",
        level="Level 3",
        obtained_on=date(2017, 9, 20),
        assessment_frequency_months=12,
    )


def engagement(certification, started, ended, result):
    return AssessorEngagement.objects.create(
        organization=certification.organization,
        certification=certification,
        firm="Assessor Co.",
        started_on=started,
        ended_on=ended,
        result=result,
    )


def test_next_assessment_due_counts_from_obtained_without_a_passed_engagement(certification):
    engagement(certification, date(2018, 9, 1), date(2018, 9, 10), AssessorEngagement.Result.FAILED)
    engagement(certification, date(2019, 9, 1), None, AssessorEngagement.Result.PENDING)
    assert certification.last_assessed_on is None
    assert certification.next_assessment_due == date(2018, 9, 20)
    assert certification.assessment_overdue


def test_next_assessment_due_counts_from_the_last_passed_engagement(certification):
    engagement(certification, date(2023, 9, 1), date(2023, 9, 12), AssessorEngagement.Result.PASSED)
    engagement(
        certification,
        date(2024, 9, 2),
        date(2024, 9, 13),
        AssessorEngagement.Result.PASSED_WITH_FINDINGS,
    )
    engagement(certification, date(2025, 1, 5), date(2025, 1, 6), AssessorEngagement.Result.FAILED)
    assert certification.last_assessed_on == date(2024, 9, 13)
    assert certification.next_assessment_due == date(2025, 9, 13)
    annotated = Certification.objects.with_schedule().get(pk=certification.pk)
    assert annotated.last_assessed_on == date(2024, 9, 13)


def test_not_overdue_while_the_due_date_is_ahead(certification):
    today = timezone.localdate()
    engagement(certification, today - timedelta(days=20), today - timedelta(days=10), "passed")
    assert not certification.assessment_overdue
    assert certification.next_assessment_due == add_months(today - timedelta(days=10), 12)


def test_inactive_certification_is_not_scheduled(certification):
    certification.is_active = False
    assert certification.next_assessment_due is None
    assert not certification.assessment_overdue


def test_expiry_is_visible(certification):
    certification.expires_on = timezone.localdate() - timedelta(days=1)
    assert certification.expired
    certification.expires_on = None
    assert not certification.expired


def test_evidence_expiry():
    assert Evidence(expires_on=timezone.localdate() - timedelta(days=1)).expired
    assert not Evidence(expires_on=timezone.localdate()).expired
    assert not Evidence().expired
