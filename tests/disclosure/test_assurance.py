"""The narrative's claims checked against the record: each rule firing, and not firing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from riskward.controls.models import AssessorEngagement, Certification
from riskward.core.models import Department, Person
from riskward.disclosure import assurance, year_record
from riskward.disclosure import elements as el
from riskward.disclosure.assurance import ERROR, WARNING, Finding, check_claims
from riskward.governance.models import Committee, CommitteeReport, ResponsibilityAssignment
from riskward.incidents.models import Incident
from riskward.program.models import Drill, TrainingSession
from riskward.risks import services as risk_services

FY = 2024


def check(org, text, element=el.TEXT_PROCESSES):
    return check_claims(org, FY, {element: text})


def messages(findings):
    return [f.message for f in findings]


def test_no_text_no_findings(org):
    assert check_claims(org, FY, {}) == []
    assert check(org, "") == []


# --- quarterly training -----------------------------------------------------------------------

TRAINING = "We provide quarterly cybersecurity training for employees."


def sessions(org, *days):
    for day in days:
        TrainingSession.objects.create(organization=org, held_on=day, topic="Awareness")


def test_quarterly_training_names_the_quarter_without_a_session(org):
    sessions(org, date(2024, 2, 1), date(2024, 5, 1), date(2024, 11, 1))
    [found] = check(org, TRAINING)
    assert found == Finding(
        element=el.TEXT_PROCESSES,
        claim=TRAINING,
        message="Q3 2024 (2024-07-01 to 2024-09-30) has no training session in the record.",
        severity=ERROR,
        evidence_url="/program/training/by-quarter/?year=2024",
    )


def test_quarterly_training_holds_when_every_quarter_had_a_session(org, other_org):
    sessions(org, date(2024, 2, 1), date(2024, 5, 1), date(2024, 8, 1), date(2024, 11, 1))
    assert check(org, TRAINING) == []
    assert len(check_claims(other_org, FY, {el.TEXT_PROCESSES: TRAINING})) == 4


def test_training_without_a_quarterly_claim_is_not_checked_by_quarter(org):
    assert check(org, "We provide cybersecurity training for employees.") == []


# --- reports to the committee -----------------------------------------------------------------

INFORMED = (
    "Supported by our internal audit department, the audit committee receives reports "
    "concerning cybersecurity at least once a year."
)


def report(org, committee, day, title="Internal audit report on cybersecurity"):
    department, _ = Department.objects.get_or_create(organization=org, name="Internal Audit")
    return CommitteeReport.objects.create(
        organization=org, committee=committee, title=title, presented_on=day,
        from_department=department,
    )  # fmt: skip


def test_yearly_reports_claimed_but_none_in_the_year(org, audit_committee):
    report(org, audit_committee, date(2023, 3, 18))
    report(org, audit_committee, date(2024, 3, 18), title="Treasury update")
    [found] = check(org, INFORMED, el.TEXT_INFORMING_COMMITTEE)
    assert found.element == el.TEXT_INFORMING_COMMITTEE
    assert found.message == (
        "The text says the Audit Committee receives reports at least once a year, but the record "
        "has 0 cybersecurity report(s) to it in 2024."
    )
    assert found.evidence_url == audit_committee.get_absolute_url()


def test_yearly_reports_claimed_and_made(org, audit_committee):
    report(org, audit_committee, date(2024, 3, 18))
    assert check(org, INFORMED) == []


def test_twice_a_year_needs_two_reports(org, audit_committee):
    report(org, audit_committee, date(2024, 3, 18))
    text = "The audit committee receives cybersecurity reports twice a year."
    assert "1 cybersecurity report(s)" in check(org, text)[0].message
    report(org, audit_committee, date(2024, 9, 18))
    assert check(org, text) == []


def test_annually_without_reports_or_committees_is_not_a_reporting_claim(org, audit_committee):
    text = "We have engaged qualified third parties for assessment annually."
    assert [f for f in check(org, text) if "reports" in f.message] == []


# --- annual assessments and lapsed certifications ---------------------------------------------

ASSESSED = (
    "We obtained a Level 3 certification for Communication Network Security Protection in 2022, "
    "and successfully completed annual assessments for the relevant security certifications."
)


def certification(org, obtained=date(2022, 6, 20), **data):
    return Certification.objects.create(
        organization=org,
        scheme="MLPS Communication Network Security Protection",
        level="Level 3",
        obtained_on=obtained,
        **data,
    )


def assessed(org, held, year, result="passed"):
    return AssessorEngagement.objects.create(
        organization=org, certification=held, firm="Assessors", started_on=date(year, 6, 8),
        ended_on=date(year, 6, 18), result=result,
    )  # fmt: skip


def test_annual_assessments_claimed_but_a_year_was_not_passed(org):
    held = certification(org)
    assessed(org, held, 2023)
    assessed(org, held, 2024, result="failed")
    [found] = check(org, ASSESSED)
    assert found.message == (
        "MLPS Communication Network Security Protection Level 3: no passed assessor engagement "
        "finished in fiscal year 2024."
    )
    assert found.evidence_url == held.get_absolute_url()


def test_annual_assessments_claimed_and_passed_every_year(org):
    held = certification(org)
    assessed(org, held, 2023)
    assessed(org, held, 2024)
    assert check(org, ASSESSED) == []


def test_a_certification_obtained_in_the_year_needs_no_assessment_yet(org):
    certification(org, obtained=date(2024, 3, 1))
    assert check(org, ASSESSED) == []


def test_a_named_certification_that_expired_before_the_year_end(org):
    held = certification(org, expires_on=date(2024, 6, 30))
    assessed(org, held, 2023)
    assessed(org, held, 2024)
    [found] = check(org, ASSESSED)
    assert found.message == (
        "MLPS Communication Network Security Protection Level 3 expired on 2024-06-30, before "
        "the end of 2024."
    )


def test_a_named_certification_surrendered_or_still_valid(org):
    held = certification(org, expires_on=date(2025, 6, 30))
    assessed(org, held, 2023)
    assessed(org, held, 2024)
    assert check(org, ASSESSED) == []
    Certification.objects.filter(pk=held.pk).update(is_active=False)
    assert messages(check(org, ASSESSED)) == [
        "MLPS Communication Network Security Protection Level 3 is marked inactive "
        "(surrendered), before the end of 2024."
    ]


def test_a_certification_the_text_does_not_name_is_not_checked(org):
    certification(org, expires_on=date(2023, 1, 1))
    assert check(org, "We hold an ISO/IEC 27001 certification.") == []


# --- drills -----------------------------------------------------------------------------------

DRILLS = "We participate in cybersecurity drills organized by the local administrative department."


def test_drills_claimed_but_none_in_the_year(org):
    Drill.objects.create(organization=org, held_on=date(2023, 6, 1), title="Tabletop")
    [found] = check(org, DRILLS)
    assert found.message == "No drill is recorded in 2024."
    assert found.evidence_url == "/program/drill/"


def test_drills_claimed_but_not_by_the_organizer_named(org):
    Drill.objects.create(organization=org, held_on=date(2024, 6, 1), title="Tabletop")
    assert messages(check(org, DRILLS)) == [
        "No drill organized by the local administrative department is recorded in 2024."
    ]


def test_drills_organized_by_the_body_named(org):
    Drill.objects.create(
        organization=org,
        held_on=date(2024, 6, 18),
        title="Attack-and-defence drill",
        organizer_kind="external",
        organizer="Local administrative department",
    )
    assert check(org, DRILLS) == []
    assert check(org, "We also run internal drills.") == []


# --- materiality ------------------------------------------------------------------------------

DENIAL = (
    "In 2024, we have not experienced any cybersecurity incidents or cybersecurity threats that "
    "have materially affected or are reasonably likely to materially affect our business."
)


def incident(org, determined_on, material=True):
    return Incident.objects.create(
        organization=org,
        title="Ransomware outage",
        discovered_at=datetime(2024, 1, 20, tzinfo=UTC),
        material=material,
        determined_on=determined_on,
    )


def test_a_denial_contradicted_by_an_incident_determined_material(org):
    found = incident(org, date(2024, 2, 1))
    [finding] = check(org, DENIAL, el.TEXT_MATERIALLY_AFFECTED)
    assert finding.severity == ERROR
    assert finding.message == (
        "The record has incidents determined material in 2024: "
        f"{found} (determined material on 2024-02-01)."
    )
    assert finding.evidence_url == found.get_absolute_url()


def test_a_denial_borne_out_by_the_record(org):
    incident(org, date(2023, 12, 1))
    incident(org, date(2024, 2, 1), material=False)
    assert check(org, DENIAL) == []


def test_a_denial_contradicted_by_a_quantified_risk(org, monkeypatch):
    risk = risk_services.create_risk(
        org, None, {"title": "Ransomware", "threat_source": "external"}
    )
    exceeds = [year_record.LossExceedance(risk, 0.3, Decimal("5000000"))]
    monkeypatch.setattr(year_record, "loss_exceedances", lambda org, year: exceeds)
    [finding] = check(org, DENIAL)
    assert finding.severity == ERROR and finding.message.startswith("The flag is true: ")


def test_a_claim_of_material_effect_when_the_flag_is_false_is_a_warning(org):
    text = "In 2024, a ransomware incident materially affected our results of operations."
    [finding] = check(org, text)
    assert finding.severity == WARNING and finding.message.startswith("The flag is false: ")
    hypothetical = "Future incidents could materially affect our results of operations."
    assert check(org, hypothetical) == []


# --- committees and people --------------------------------------------------------------------


def test_a_committee_the_record_does_not_have(org, audit_committee):
    [found] = check(org, "Our risk committee oversees cybersecurity.", el.TEXT_BOARD_OVERSIGHT)
    assert found.message == "No committee named “risk committee” is in the record."
    assert found.evidence_url == "/governance/committee/"
    assert messages(check(org, "risk committee", el.TEXT_BOARD_COMMITTEE)) == [found.message]


def test_committees_the_record_has_or_that_are_not_named(org, audit_committee, board):
    assert check(org, "audit committee", el.TEXT_BOARD_COMMITTEE) == []
    Committee.objects.create(organization=org, name="Audit and Risk Committee", parent=board)
    assert check(org, "The Audit and Risk Committee oversees it.") == []
    assert check(org, "Our board's audit committee is delegated to oversee it.") == []
    assert check(org, "A committee of the board, the responsible committee, oversees it.") == []


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Our audit committee is delegated.", ["audit committee"]),
        ("the Audit and Risk Committee meets", ["risk committee"]),
        ("reports from the board's nomination subcommittee", ["nomination subcommittee"]),
        ("a committee of the board", []),
        ("the delegated committee", []),
    ],
)
def test_committee_names_are_read_from_the_text(text, phrases):
    assert list(assurance.committee_phrases(text)) == phrases


@pytest.fixture
def head(org, audit_committee):
    person = Person.objects.create(organization=org, name="Li Wei")
    return ResponsibilityAssignment.objects.create(
        organization=org, person=person, title="Head of Research and Development",
        duties="Daily supervision of cybersecurity risks.", years_experience=19,
        reports_to_committee=audit_committee,
    )  # fmt: skip


EXPERIENCE = "With near 20 years of experience in network technology, he knows cybersecurity."


def test_years_of_experience_borne_out_by_the_record(org, head):
    assert check(org, EXPERIENCE, el.TEXT_EXPERTISE) == []


def test_years_of_experience_the_record_contradicts(org, head):
    [found] = check(org, EXPERIENCE.replace("near 20", "over 25"), el.TEXT_EXPERTISE)
    assert found.message == (
        "The text states over 25 years of experience; the record has Li Wei: 19."
    )
    assert found.evidence_url == head.get_absolute_url()


def test_years_of_experience_the_record_does_not_hold_are_a_warning(org, head):
    ResponsibilityAssignment.objects.filter(pk=head.pk).update(years_experience=None)
    [found] = check(org, EXPERIENCE, el.TEXT_EXPERTISE)
    assert found.severity == WARNING


@pytest.mark.parametrize(
    ("qualifier", "stated", "plus", "actual", "holds"),
    [
        ("near", 20, False, 19, True),
        ("near", 20, False, 20, True),
        ("near", 20, False, 17, False),
        ("near", 20, False, 21, False),
        ("over", 15, False, 16, True),
        ("over", 15, False, 15, False),
        ("about", 10, False, 12, True),
        ("about", 10, False, 13, False),
        ("", 20, True, 20, True),
        ("", 20, False, 19, False),
    ],
)
def test_stated_years_match_recorded_years(qualifier, stated, plus, actual, holds):
    assert assurance.matches_years(qualifier, stated, plus, actual) is holds


# --- third parties ----------------------------------------------------------------------------

ENGAGED = "We have engaged qualified third parties for assessment of cybersecurity risks annually."


def test_third_parties_claimed_but_no_engagement_in_the_year(org):
    AssessorEngagement.objects.create(organization=org, firm="A", started_on=date(2023, 5, 1))
    AssessorEngagement.objects.filter(organization=org).update(ended_on=date(2023, 5, 9))
    [found] = check(org, ENGAGED)
    assert found.message == "No third-party assessor engagement is recorded in 2024."
    assert found.evidence_url == "/controls/engagement/"


def test_third_parties_claimed_and_engaged(org):
    AssessorEngagement.objects.create(organization=org, firm="A", started_on=date(2024, 5, 1))
    assert check(org, ENGAGED) == []


def test_a_finding_cites_the_sentence_in_each_text_that_makes_the_claim(org):
    texts = {el.TEXT_PROCESSES: f"Intro. {DRILLS}", el.TEXT_INTEGRATED: DRILLS}
    found = check_claims(org, FY, texts)
    assert [(f.element, f.claim) for f in found] == [
        (el.TEXT_PROCESSES, DRILLS),
        (el.TEXT_INTEGRATED, DRILLS),
    ]
