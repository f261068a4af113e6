"""The narrative drafted from the record: phrases, templates, and the demo's FY2024 texts against
the seed disclosure (the company the demo is), which they must state."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from riskward.controls.models import Certification
from riskward.core.models import Department, Organization, Person
from riskward.demo.services import load_demo
from riskward.disclosure import assurance, narrative, record, year_record
from riskward.disclosure import elements as el
from riskward.disclosure.elements import element_by_label
from riskward.governance.models import Committee, CommitteeReport, ResponsibilityAssignment
from riskward.incidents.models import Incident
from riskward.program.models import Drill, TrainingSession
from tests.disclosure.seed import SEED_TEXT, needs_seed

FY = 2024


# Where the seed is wrong our text is right: these seed spellings are corrected before comparing.
SEED_TYPOS = {
    "implementaing": "implementing",
    "promulagated": "promulgated",
    "by Chinese Ministry": "by the Chinese Ministry",
    "These methods include, implementing": "These methods include implementing",
}


def parse_seed(text: str) -> dict[str, str | bool]:
    """Facts by element name from EDGAR's rendering: "|label" then "|value" or "|" and lines."""
    labels, lines, facts = element_by_label(), text.splitlines(), {}
    at = 0
    while at < len(lines):
        found, at = labels.get(lines[at][1:]), at + 1
        if found is None:
            continue
        if lines[at] == "|":
            end = next(
                (n for n in range(at + 1, len(lines)) if lines[n].startswith("|")), len(lines)
            )
            value, at = "\n".join(lines[at + 1 : end]), end
        else:
            value, at = lines[at][1:], at + 1
        facts[found.name] = value == "true" if found.is_flag else value
    return facts


SEED_FACTS = parse_seed(SEED_TEXT)
SEED_TEXTS = {name: value for name, value in SEED_FACTS.items() if isinstance(value, str)}
SEED_FLAGS = {name: value for name, value in SEED_FACTS.items() if isinstance(value, bool)}
# Where the annual report's risk factors are: the filing document's page, not a record.
_RISK_FACTORS = re.search(r"please see (.+)\.$", SEED_TEXTS.get(el.TEXT_PROCESSES, ""))
SEED_RISK_FACTORS = _RISK_FACTORS[1] if _RISK_FACTORS else ""


def normalized(text: str, corrections: dict[str, str] | None = None) -> str:
    text = " ".join(text.split())
    for wrong, right in (corrections or {}).items():
        text = text.replace(wrong, right)
    return text


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        org = load_demo().organization
        yield org
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded


# --- the demo states what the seed states -----------------------------------------------------


@needs_seed
def test_the_seed_excerpt_holds_eight_texts_and_five_flags():
    assert len(SEED_TEXTS) == 8 and len(SEED_FLAGS) == 5
    assert SEED_TEXTS[el.TEXT_BOARD_COMMITTEE] == "audit committee"
    assert SEED_RISK_FACTORS.endswith("on page 56 of this annual report")


@needs_seed
@pytest.mark.parametrize("name", list(SEED_TEXTS))
def test_the_demo_fy2024_text_states_what_the_seed_states(demo, name):
    ours = narrative.draft_texts(demo, FY, risk_factors=SEED_RISK_FACTORS)[name]
    assert normalized(ours) == normalized(SEED_TEXTS[name], SEED_TYPOS)


@needs_seed
def test_the_demo_fy2024_paragraphs_are_the_seeds(demo):
    ours = narrative.draft_texts(demo, FY, risk_factors=SEED_RISK_FACTORS)
    for name, seed in SEED_TEXTS.items():
        assert ours[name].count("\n") == seed.count("\n"), name


@needs_seed
def test_the_demo_fy2024_flags_are_the_seeds(demo):
    flags = record.compute_flags(demo, FY)
    assert {name: flags[name].value for name in SEED_FLAGS} == SEED_FLAGS
    assert flags[el.FLAG_REPORT_TO_BOARD].value  # the seed does not tag it; the record shows it


def test_the_demo_fy2024_texts_pass_the_assurance_checks(demo):
    texts = narrative.draft_texts(demo, FY)
    assert assurance.check_claims(demo, FY, texts) == []


def test_the_demo_texts_the_seed_lacks_are_drafted_from_the_record(demo):
    texts = narrative.draft_texts(demo, FY)
    assert texts[el.TEXT_MATERIALLY_AFFECTED] == normalized(narrative.NOT_MATERIAL).format(
        period="2024"
    )
    assert texts[el.TEXT_INFORMING_MANAGEMENT].startswith(
        "Our technical support manager reports to the head of our research and development team"
    )
    assert "reports to the audit committee" in texts[el.TEXT_INFORMING_MANAGEMENT]
    assert "4 incidents were determined in 2024" in texts[el.TEXT_INFORMING_MANAGEMENT]


def test_drafting_the_demo_reads_each_table_a_few_times_not_per_row(
    demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        record.compute_flags(demo, FY)
    with django_assert_max_num_queries(24):
        narrative.draft_texts(demo, FY)
    shared = year_record.YearRecord(demo, FY)
    with django_assert_max_num_queries(24):  # flags, texts and checks share one read
        record.compute_flags(demo, FY, shared)
        texts = narrative.draft_texts(demo, FY, rec=shared)
        assurance.check_claims(demo, FY, texts, rec=shared)


# --- phrases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "joined"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b, and c")],
)
def test_lists_are_joined_with_the_serial_comma(items, joined):
    assert narrative.english_join(items) == joined


@pytest.mark.parametrize(
    ("name", "lowered"),
    [
        ("Technical Support", "technical support"),
        ("IT", "IT"),
        ("Head of Research and Development", "head of research and development"),
        ("CISO Office", "CISO office"),
    ],
)
def test_names_used_as_common_nouns_are_lowered_but_acronyms_stay(name, lowered):
    assert narrative.lower_name(name) == lowered


@pytest.mark.parametrize(
    ("text", "lowered"),
    [
        ("Local administrative department", "local administrative department"),
        ("Municipal Cyberspace Administration", "Municipal Cyberspace Administration"),
        ("AI products and data", "AI products and data"),
    ],
)
def test_sentence_case_is_lowered_and_proper_names_are_kept(text, lowered):
    assert narrative.sentence_lower(text) == lowered


@pytest.mark.parametrize(
    ("years", "phrase"),
    [(19, "near 20"), (20, "20"), (22, "over 20"), (24, "near 25"), (16, "over 15"), (3, "3")],
)
def test_years_of_experience_are_rounded_as_prose_rounds_them(years, phrase):
    assert narrative.years_phrase(years) == phrase


@pytest.mark.parametrize(
    ("months", "phrase"),
    [
        (12, "at least once a year"),
        (6, "at least twice a year"),
        (3, "at least quarterly"),
        (9, "at least every 9 months"),
        (None, ""),
    ],
)
def test_reporting_cadence_in_words(months, phrase):
    assert narrative.cadence_phrase(months) == phrase


def test_departments_are_named_once_with_department_or_departments():
    phrase = narrative.departments_phrase
    assert phrase(["Internal Audit", "Internal Control"]) == (
        "internal audit and internal control departments"
    )
    assert phrase(["Technical Support"]) == "technical support department"
    assert phrase(["IT Department"]) == "IT department"


def test_a_certification_is_named_by_level_scheme_and_issuer():
    certification = Certification(
        scheme="MLPS Information System Security Protection",
        level="Level 3",
        issuer="Chinese Ministry of Public Security (filed with the local bureau)",
    )
    assert narrative.certification_phrase(certification) == (
        "a Level 3 certification for Information System Security Protection"
    )
    assert narrative.certification_phrase(certification, "our").startswith("our Level 3")
    assert narrative.issuer_name(certification) == "the Chinese Ministry of Public Security"
    assert narrative.certification_phrase(Certification(scheme="ISO/IEC 27001")) == (
        "a certification for ISO/IEC 27001"
    )


# --- templates from records -------------------------------------------------------------------


@pytest.fixture
def risk_committee(org, board):
    return Committee.objects.create(
        organization=org,
        name="Risk Committee",
        parent=board,
        oversight="Oversight of cybersecurity risk.",
        reporting_cadence_months=6,
    )


def responsibility(org, committee, **data):
    department = Department.objects.create(organization=org, name="Information Security")
    person = Person.objects.create(organization=org, name="Ann Lee", department=department)
    data.setdefault("title", "Chief Information Security Officer")
    data.setdefault("duties", "Oversight of the cybersecurity program.")
    return ResponsibilityAssignment.objects.create(
        organization=org, person=person, reports_to_committee=committee, **data
    )


def test_an_empty_record_drafts_only_what_it_can_state(org):
    texts = narrative.draft_texts(org, FY)
    assert set(texts) == {e.name for e in el.annual_elements() if not e.is_flag}
    for name in (el.TEXT_BOARD_COMMITTEE, el.TEXT_POSITIONS_RESPONSIBLE, el.TEXT_EXPERTISE):
        assert texts[name] == ""
    processes = texts[el.TEXT_PROCESSES]
    assert "have not experienced any cybersecurity incidents" in processes
    assert "“Item 3. Key Information—3.D. Risk Factors” in this annual report." in processes
    for claim in ("integral part", "quarterly", "drills", "certification", "artificial"):
        assert claim not in processes


def test_a_10k_filer_is_pointed_to_item_1a(org):
    org.filer_type = Organization.FilerType.DOMESTIC_10K
    processes = narrative.draft_texts(org, FY)[el.TEXT_PROCESSES]
    assert processes.endswith("please see “Item 1A. Risk Factors” in this annual report.")


def test_a_given_risk_factor_reference_is_used_as_given(org):
    processes = narrative.draft_texts(org, FY, risk_factors="“Risk Factors” on page 12")[
        el.TEXT_PROCESSES
    ]
    assert processes.endswith("please see “Risk Factors” on page 12.")


def training(org, *days):
    for day in days:
        TrainingSession.objects.create(organization=org, held_on=day, topic="Phishing")


def test_training_is_called_quarterly_only_when_every_quarter_had_a_session(org):
    training(org, date(2024, 2, 1), date(2024, 5, 1), date(2024, 11, 1))
    texts = narrative.draft_texts(org, FY)
    assert "providing cybersecurity training for employees" in texts[el.TEXT_INTEGRATED]
    training(org, date(2024, 8, 30))
    texts = narrative.draft_texts(org, FY)
    assert "providing quarterly cybersecurity training for employees" in texts[el.TEXT_INTEGRATED]


def test_drills_name_their_outside_organizer(org):
    Drill.objects.create(organization=org, held_on=date(2024, 3, 1), title="Tabletop")
    texts = narrative.draft_texts(org, FY)
    assert "conducting internal cybersecurity drills" in texts[el.TEXT_INTEGRATED]
    Drill.objects.create(
        organization=org,
        held_on=date(2024, 6, 1),
        title="Red team",
        organizer_kind="external",
        organizer="Municipal Cyberspace Administration",
    )
    text = narrative.draft_texts(org, FY)[el.TEXT_INTEGRATED]
    assert (
        "conducting internal cybersecurity drills and participating in cybersecurity drills "
        "organized by the Municipal Cyberspace Administration"
    ) in text


def test_the_committee_is_informed_by_who_reported_at_its_cadence(org, risk_committee):
    texts = narrative.draft_texts(org, FY)
    assert texts[el.TEXT_INFORMING_COMMITTEE] == (
        "The risk committee is to receive reports concerning cybersecurity at least twice a year."
    )
    audit = Department.objects.create(organization=org, name="Internal Audit")
    CommitteeReport.objects.create(
        organization=org,
        committee=risk_committee,
        title="Cybersecurity audit",
        presented_on=date(2024, 5, 1),
        from_department=audit,
    )
    texts = narrative.draft_texts(org, FY)
    assert texts[el.TEXT_INFORMING_COMMITTEE] == (
        "Supported by our internal audit department, the risk committee receives reports "
        "concerning cybersecurity from our internal audit department at least twice a year."
    )
    assert texts[el.TEXT_BOARD_COMMITTEE] == "risk committee"
    assert texts[el.TEXT_BOARD_OVERSIGHT].startswith(
        "Our board of directors has overall oversight responsibility"
    )
    assert "Our risk committee is delegated to oversee" in texts[el.TEXT_BOARD_OVERSIGHT]


def test_the_responsible_position_and_expertise_come_from_the_responsibility(org, risk_committee):
    responsibility(org, risk_committee, years_experience=22, expertise="Cloud security. CISSP.")
    texts = narrative.draft_texts(org, FY)
    assert texts[el.TEXT_POSITIONS_RESPONSIBLE] == "chief information security officer"
    assert texts[el.TEXT_EXPERTISE] == (
        "Our chief information security officer is responsible for the oversight of the "
        "cybersecurity program. With over 20 years of experience in cloud security, they "
        "possess extensive knowledge and skills in cybersecurity."
    )
    assert texts[el.TEXT_INFORMING_MANAGEMENT] == (
        "The chief information security officer reports to the risk committee on cybersecurity "
        "risks."
    )


def test_expertise_without_years_says_what_the_record_has(org, risk_committee):
    responsibility(org, risk_committee, expertise="Network technology")
    expertise = narrative.draft_texts(org, FY)[el.TEXT_EXPERTISE]
    assert expertise.endswith("They have experience in network technology.")


def certification(org, obtained, *passed_years):
    made = Certification.objects.create(
        organization=org,
        scheme="MLPS Communication Network Security Protection",
        level="Level 3",
        issuer="Chinese Ministry of Industry and Information Technology",
        obtained_on=obtained,
    )
    for year in passed_years:
        made.engagements.create(
            organization=org,
            firm="Assessors",
            started_on=date(year, 6, 8),
            ended_on=date(year, 6, 18),
            result="passed",
        )
    return made


def test_annual_assessments_are_claimed_only_when_every_year_was_passed(org):
    held = certification(org, date(2022, 6, 20), 2024)
    processes = narrative.draft_texts(org, FY)[el.TEXT_PROCESSES]
    assert (
        "Additionally, we obtained a Level 3 certification for Communication Network Security "
        "Protection in 2022 in accordance with the standards promulgated by the Chinese Ministry "
        "of Industry and Information Technology."
    ) in processes
    role = narrative.draft_texts(org, FY)[el.TEXT_ROLE_OF_MANAGEMENT]
    assert role == (
        "In 2024, we engaged qualified third parties for assessment, identification, or "
        "management of material risks from cybersecurity threats."
    )
    held.engagements.create(
        organization=org, firm="Assessors", started_on=date(2023, 6, 8), result="passed"
    )
    texts = narrative.draft_texts(org, FY)
    assert "and successfully completed annual assessments" in texts[el.TEXT_PROCESSES]
    assert texts[el.TEXT_ROLE_OF_MANAGEMENT].endswith(
        "annually, subject to the requirements in connection with our Level 3 certification for "
        "Communication Network Security Protection since 2022."
    )


def test_a_material_incident_is_stated_instead_of_the_denial(org):
    Incident.objects.create(
        organization=org,
        title="Ransomware outage at the plant",
        discovered_at=datetime(2024, 2, 1, tzinfo=UTC),
        material=True,
        determined_on=date(2024, 2, 5),
    )
    texts = narrative.draft_texts(org, FY)
    assert texts[el.TEXT_MATERIALLY_AFFECTED] == (
        "In 2024, we determined that the ransomware outage at the plant materially affected or "
        "is reasonably likely to materially affect our business strategy, results of operations, "
        "or financial condition."
    )
    assert "have not experienced" not in texts[el.TEXT_PROCESSES]


def test_a_fiscal_year_not_ending_in_december_is_named_as_such(org):
    org.fiscal_year_end_month, org.fiscal_year_end_day = 6, 30
    text = narrative.draft_texts(org, FY)[el.TEXT_MATERIALLY_AFFECTED]
    assert text.startswith("In fiscal year 2024, we have not experienced")
