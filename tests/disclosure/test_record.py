"""The six annual flags computed from the record, each true and false, with the evidence links."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import resolve

from riskward.controls.models import AssessorEngagement, Control, Evidence, Framework
from riskward.controls.models import Requirement as Req
from riskward.core.models import Department, ErmCategory, Person
from riskward.disclosure import elements as el
from riskward.disclosure import year_record
from riskward.disclosure.record import compute_flags
from riskward.disclosure.year_record import LossExceedance, YearRecord
from riskward.governance.models import (
    Committee,
    CommitteeReport,
    Meeting,
    ResponsibilityAssignment,
)
from riskward.incidents.models import Incident
from riskward.program.models import TrainingSession
from riskward.risks import services as risk_services

FY = 2024


def flag(org, name, year=FY):
    return compute_flags(org, year)[name]


def urls(result):
    return [e.url for e in result.evidence]


@pytest.fixture
def erm(org):
    return ErmCategory.objects.create(organization=org, name="Technology and cybersecurity")


def make_risk(org, **data):
    data.setdefault("title", "Ransomware on the ERP")
    data.setdefault("threat_source", "external")
    return risk_services.create_risk(org, None, data)


@pytest.fixture
def internal_audit(org):
    return Department.objects.create(organization=org, name="Internal Audit")


def incident(org, **data):
    data.setdefault("discovered_at", datetime(2024, 3, 1, 9, tzinfo=UTC))
    return Incident.objects.create(organization=org, title="Mailbox compromise", **data)


# --- fiscal years -----------------------------------------------------------------------------


def test_a_december_year_end_makes_the_calendar_year(org):
    assert year_record.fiscal_year_bounds(org, 2024) == (date(2024, 1, 1), date(2024, 12, 31))
    assert year_record.period_label(org, 2024) == "2024"


def test_a_june_year_end_names_the_year_it_ends_in(org):
    org.fiscal_year_end_month, org.fiscal_year_end_day = 6, 30
    assert year_record.fiscal_year_bounds(org, 2024) == (date(2023, 7, 1), date(2024, 6, 30))
    assert year_record.period_label(org, 2024) == "fiscal year 2024"
    assert year_record.fiscal_year_of(org, date(2023, 7, 1)) == 2024
    assert year_record.fiscal_year_of(org, date(2023, 6, 30)) == 2023


def test_fiscal_quarters_follow_the_fiscal_year_and_hold_their_sessions(org):
    org.fiscal_year_end_month, org.fiscal_year_end_day = 6, 30
    TrainingSession.objects.create(organization=org, held_on=date(2023, 9, 30), topic="Phishing")
    TrainingSession.objects.create(organization=org, held_on=date(2024, 7, 1), topic="Too late")
    quarters = YearRecord(org, 2024).quarters
    assert [q.label for q in quarters] == ["Q1 FY2024", "Q2 FY2024", "Q3 FY2024", "Q4 FY2024"]
    assert (quarters[0].starts_on, quarters[0].ends_on) == (date(2023, 7, 1), date(2023, 9, 30))
    assert (quarters[3].starts_on, quarters[3].ends_on) == (date(2024, 4, 1), date(2024, 6, 30))
    assert [len(q.sessions) for q in quarters] == [1, 0, 0, 0]


def test_every_flag_is_computed_with_a_reason(org):
    flags = compute_flags(org, FY)
    assert list(flags) == [
        el.FLAG_INTEGRATED,
        el.FLAG_THIRD_PARTY_ENGAGED,
        el.FLAG_THIRD_PARTY_OVERSIGHT,
        el.FLAG_MATERIALLY_AFFECTED,
        el.FLAG_POSITIONS_RESPONSIBLE,
        el.FLAG_REPORT_TO_BOARD,
    ]
    assert all(isinstance(f.value, bool) and f.reason.endswith(".") for f in flags.values())
    assert not any(f.value for f in flags.values())  # an empty record supports no claim


# --- integrated -------------------------------------------------------------------------------


def test_integrated_when_cyber_risks_sit_in_erm_categories_with_appetite_and_threshold(org, erm):
    org.risk_appetite = "Low appetite for customer-facing outages."
    org.save()
    make_risk(org, erm_category=erm, inherent_likelihood=3, inherent_impact=4)
    make_risk(org, title="Uncategorised")
    result = flag(org, el.FLAG_INTEGRATED)
    assert result.value
    assert "1 of 2 open cyber risks" in result.reason
    assert urls(result) == ["/organization/", f"/erm-category/{erm.pk}/"]
    assert "1 open cyber risk, 1 assessed" in result.evidence[1].detail


def test_not_integrated_without_a_risk_appetite(org, erm):
    make_risk(org, erm_category=erm)
    result = flag(org, el.FLAG_INTEGRATED)
    assert not result.value
    assert "risk appetite statement" in result.reason
    assert "ERM category" not in result.reason.split("(")[0]


def test_not_integrated_when_no_open_risk_is_in_an_erm_category(org, erm):
    org.risk_appetite = "Low."
    org.save()
    make_risk(org)
    make_risk(org, title="Closed one", erm_category=erm, status="closed")
    result = flag(org, el.FLAG_INTEGRATED)
    assert not result.value
    assert "an ERM category holding a cyber risk" in result.reason


def test_not_integrated_without_a_materiality_threshold(org, erm):
    org.risk_appetite, org.materiality_threshold = "Low.", None
    org.save()
    make_risk(org, erm_category=erm)
    result = flag(org, el.FLAG_INTEGRATED)
    assert not result.value and "materiality threshold" in result.reason


# --- third party engaged ----------------------------------------------------------------------


def engagement(org, started, ended, **data):
    return AssessorEngagement.objects.create(
        organization=org, firm="Assessors Ltd", started_on=started, ended_on=ended, **data
    )


def test_third_party_engaged_by_an_engagement_active_in_the_year(org):
    across = engagement(org, date(2023, 12, 10), date(2024, 1, 12), result="passed")
    result = flag(org, el.FLAG_THIRD_PARTY_ENGAGED)
    assert result.value and "Assessors Ltd" in result.reason
    assert urls(result) == [across.get_absolute_url()]
    assert "2023-12-10 to 2024-01-12" in result.evidence[0].detail


def test_no_third_party_engaged_when_engagements_fall_outside_the_year(org, other_org):
    engagement(org, date(2023, 3, 1), date(2023, 3, 20))
    engagement(org, date(2025, 1, 2), None)
    engagement(other_org, date(2024, 5, 1), date(2024, 5, 9))
    result = flag(org, el.FLAG_THIRD_PARTY_ENGAGED)
    assert not result.value and result.evidence == ()
    assert "2024" in result.reason


# --- third-party oversight --------------------------------------------------------------------


def supplier_control(org, **data):
    data.setdefault("threat_source", "supplier")
    data.setdefault("status", "implemented")
    return Control.objects.create(
        organization=org,
        reference=data.pop("reference", "CTL-013"),
        name="Supplier cybersecurity assessment",
        control_type="administrative",
        function="preventive",
        **data,
    )


def test_no_oversight_without_a_supplier_control(org):
    result = flag(org, el.FLAG_THIRD_PARTY_OVERSIGHT)
    assert not result.value and "GV.SC" in result.reason


def test_no_oversight_when_the_supplier_control_shows_no_activity_in_the_year(org):
    control = supplier_control(org, last_tested=date(2023, 11, 1))
    result = flag(org, el.FLAG_THIRD_PARTY_OVERSIGHT)
    assert not result.value
    assert "nothing dated in 2024" in result.reason
    assert urls(result) == [control.get_absolute_url()]


def test_oversight_shown_by_supplier_evidence_collected_in_the_year(org):
    control = supplier_control(org)
    evidence = Evidence.objects.create(
        organization=org,
        title="Supplier register 2024",
        kind="link",
        url="https://example.com/suppliers",
        collected_on=date(2024, 11, 29),
    )
    evidence.controls.add(control)
    result = flag(org, el.FLAG_THIRD_PARTY_OVERSIGHT)
    assert result.value
    assert urls(result) == [control.get_absolute_url(), evidence.get_absolute_url()]
    assert result.evidence[1].detail == "Collected on 2024-11-29."


def test_oversight_through_a_control_mapped_to_a_supply_chain_requirement(org):
    iso = Framework.objects.create(organization=org, key="iso-27001-2022", name="ISO 27001")
    a519 = Req.objects.create(
        organization=org, framework=iso, ref_id="A.5.19", title="Suppliers", kind="control",
        sort_key="05.19",
    )  # fmt: skip
    control = supplier_control(org, threat_source="any", last_tested=date(2024, 4, 2))
    control.requirements.add(a519)
    result = flag(org, el.FLAG_THIRD_PARTY_OVERSIGHT)
    assert result.value
    assert "mapped to A.5.19" in result.evidence[0].detail
    assert result.evidence[1].detail == "Tested on 2024-04-02."


def test_a_planned_supplier_control_is_no_process(org):
    supplier_control(org, status="planned", last_tested=date(2024, 4, 2))
    assert not flag(org, el.FLAG_THIRD_PARTY_OVERSIGHT).value


def test_a_supplier_risk_reviewed_in_the_year_is_activity(org):
    supplier_control(org)
    risk = make_risk(org, title="Cloud provider outage", threat_source="supplier")
    type(risk).objects.filter(pk=risk.pk).update(last_reviewed_on=date(2024, 8, 1))
    # its initial assessment is dated today: only the review falls in 2024
    result = flag(org, el.FLAG_THIRD_PARTY_OVERSIGHT)
    assert result.value and risk.get_absolute_url() in urls(result)


# --- materially affected ----------------------------------------------------------------------


def test_materially_affected_by_an_incident_determined_material_in_the_year(org):
    found = incident(
        org, material=True, determined_on=date(2024, 3, 6), determination_rationale="Outage."
    )
    result = flag(org, el.FLAG_MATERIALLY_AFFECTED)
    assert result.value
    assert urls(result) == [found.get_absolute_url()]
    assert result.evidence[0].detail == "Determined material on 2024-03-06. Outage."


def test_a_material_determination_of_another_year_or_organization_does_not_count(org, other_org):
    incident(org, material=True, determined_on=date(2023, 12, 30))
    incident(other_org, material=True, determined_on=date(2024, 5, 1))
    not_material = incident(org, material=False, determined_on=date(2024, 3, 3))
    pending = incident(org, discovered_at=datetime(2024, 10, 2, tzinfo=UTC))
    result = flag(org, el.FLAG_MATERIALLY_AFFECTED)
    assert not result.value
    assert "1 determined not material; 1 incident still await a determination" in result.reason
    assert urls(result) == [not_material.get_absolute_url(), pending.get_absolute_url()]


def test_quantification_is_a_seam_that_returns_nothing_yet(org):
    assert year_record.loss_exceedances(org, FY) == []


@pytest.mark.parametrize(("probability", "expected"), [(0.25, True), (0.05, False)])
def test_a_quantified_risk_reasonably_likely_to_exceed_the_threshold_is_material(
    org, monkeypatch, probability, expected
):
    risk = make_risk(org)
    found = [LossExceedance(risk, probability, Decimal("5000000"))]
    monkeypatch.setattr(year_record, "loss_exceedances", lambda org, year: found)
    result = flag(org, el.FLAG_MATERIALLY_AFFECTED)
    assert result.value is expected
    assert (risk.get_absolute_url() in urls(result)) is expected


# --- positions responsible --------------------------------------------------------------------


@pytest.fixture
def head(org):
    return Person.objects.create(organization=org, name="Li Wei")


def test_positions_responsible_by_a_cybersecurity_responsibility(org, head, audit_committee):
    duty = ResponsibilityAssignment.objects.create(
        organization=org,
        person=head,
        title="Head of Research and Development",
        duties="Daily supervision and management of cybersecurity risks.",
        reports_to_committee=audit_committee,
    )
    result = flag(org, el.FLAG_POSITIONS_RESPONSIBLE)
    assert result.value
    assert urls(result) == [duty.get_absolute_url(), audit_committee.get_absolute_url()]
    assert "Head of Research and Development" in result.reason


def test_positions_responsible_by_a_committee_with_delegated_oversight(org, audit_committee):
    result = flag(org, el.FLAG_POSITIONS_RESPONSIBLE)
    assert result.value and urls(result) == [audit_committee.get_absolute_url()]


def test_no_positions_responsible_for_unrelated_duties_and_committees(org, head, board):
    Committee.objects.create(
        organization=org, name="Nomination Committee", parent=board, oversight="Board seats."
    )
    ResponsibilityAssignment.objects.create(
        organization=org, person=head, title="Facilities Manager", duties="Buildings and leases.",
        reports_to_committee=board,
    )  # fmt: skip
    assert not flag(org, el.FLAG_POSITIONS_RESPONSIBLE).value


# --- report to board --------------------------------------------------------------------------


def report(org, committee, presented_on, department, **data):
    data.setdefault("title", "Internal audit report on cybersecurity")
    return CommitteeReport.objects.create(
        organization=org,
        committee=committee,
        presented_on=presented_on,
        from_department=department,
        **data,
    )


def test_report_to_board_by_a_cybersecurity_report_to_the_delegated_committee(
    org, audit_committee, internal_audit
):
    made = report(org, audit_committee, date(2024, 3, 18), internal_audit)
    result = flag(org, el.FLAG_REPORT_TO_BOARD)
    assert result.value and urls(result) == [made.get_absolute_url()]
    assert result.evidence[0].detail == (
        "Presented to the Audit Committee on 2024-03-18 by Internal Audit."
    )


def test_report_to_board_by_a_board_meeting_on_cybersecurity(org, board):
    meeting = Meeting.objects.create(
        organization=org, committee=board, held_on=date(2024, 4, 25), agenda="Cybersecurity review"
    )
    result = flag(org, el.FLAG_REPORT_TO_BOARD)
    assert result.value and urls(result) == [meeting.get_absolute_url()]


def test_no_report_to_board_outside_the_year_or_to_other_committees(
    org, board, audit_committee, internal_audit
):
    nomination = Committee.objects.create(
        organization=org, name="Nomination Committee", parent=board, oversight="Board seats."
    )
    report(org, audit_committee, date(2023, 3, 18), internal_audit)
    report(org, nomination, date(2024, 3, 18), internal_audit)
    report(org, audit_committee, date(2024, 5, 2), internal_audit, title="Treasury update")
    Meeting.objects.create(
        organization=org, committee=board, held_on=date(2024, 6, 1), agenda="Dividend policy"
    )
    result = flag(org, el.FLAG_REPORT_TO_BOARD)
    assert not result.value and result.evidence == ()


def test_every_evidence_link_opens_a_record_page(org, erm, audit_committee, internal_audit, head):
    org.risk_appetite = "Low."
    org.save()
    make_risk(org, erm_category=erm)
    engagement(org, date(2024, 6, 1), date(2024, 6, 9))
    report(org, audit_committee, date(2024, 3, 18), internal_audit)
    incident(org, material=True, determined_on=date(2024, 3, 6))
    for result in compute_flags(org, FY).values():
        for evidence in result.evidence:
            assert resolve(evidence.url).url_name.endswith("detail") or evidence.url == (
                "/organization/"
            ), evidence
