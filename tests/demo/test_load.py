"""The demo program: the seed's facts are in the record, and loading twice changes nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from riskward.audit.models import AuditEvent
from riskward.controls.models import AssessorEngagement, Certification, Control, Framework
from riskward.core.models import Department, User
from riskward.demo.data.organization import DEMO_PASSWORD, LOGINS
from riskward.demo.services import load_demo
from riskward.disclosure import elements as el
from riskward.disclosure.models import DisclosureVersion
from riskward.disclosure.year_record import REASONABLY_LIKELY
from riskward.governance.models import Committee, CommitteeReport, ResponsibilityAssignment
from riskward.incidents import queries as incident_queries
from riskward.incidents.models import Incident
from riskward.program.models import Drill, TrainingSession
from riskward.program.queries import training_by_quarter
from riskward.risks import quantification
from riskward.risks.models import (
    QuantStudy,
    Risk,
    RiskAcceptance,
    RiskQuantification,
    TreatmentAction,
)

# The five flags the seed tags, as it tags them.
SEED_FLAGS = {
    el.FLAG_INTEGRATED: True,
    el.FLAG_THIRD_PARTY_ENGAGED: True,
    el.FLAG_THIRD_PARTY_OVERSIGHT: True,
    el.FLAG_MATERIALLY_AFFECTED: False,
    el.FLAG_POSITIONS_RESPONSIBLE: True,
}
SEED_DEPARTMENTS = {
    "Technical Support",
    "Internal Audit",
    "Internal Control",
    "IT",
    "Research and Development",
    "Legal",
}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load once for the module inside a transaction that is rolled back at the end.

    Like Django's setUpTestData: each test then runs in its own savepoint (the `db` fixture),
    so no test sees another's changes, and the module does not pay for a load per test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded


def riskward_counts() -> dict[str, int]:
    """Rows per model of every Riskward app, audit trail included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "audit",
            "core",
            "assets",
            "controls",
            "risks",
            "program",
            "governance",
            "incidents",
            "disclosure",
        }
    }


def test_the_organization_is_a_20f_filer_with_a_materiality_threshold(demo):
    org = demo.organization
    assert org.legal_name == "Demo Holdings Ltd."
    assert org.is_foreign_private_issuer
    assert (org.fiscal_year_end_month, org.fiscal_year_end_day) == (12, 31)
    assert org.reporting_currency == "CNY" and org.materiality_threshold > 0
    assert set(Department.objects.for_org(org).values_list("name", flat=True)) >= SEED_DEPARTMENTS


def test_the_head_of_rnd_supervises_and_reports_to_the_audit_committee(demo):
    head = ResponsibilityAssignment.objects.get(
        organization=demo.organization, title="Head of Research and Development"
    )
    assert head.years_experience >= 19
    assert "network" in head.expertise.lower()
    assert head.reports_to_committee.name == "Audit Committee"
    assert head.person.department.name == "Research and Development"


def test_the_audit_committee_has_delegated_oversight_and_yearly_reports(demo):
    committee = Committee.objects.get(organization=demo.organization, name="Audit Committee")
    assert committee.reporting_cadence_months == 12
    assert committee.parent.kind == Committee.Kind.BOARD
    assert "cybersecurity" in committee.oversight.lower()
    reports = CommitteeReport.objects.filter(committee=committee)
    for year in range(2022, 2026):
        senders = set(
            reports.filter(presented_on__year=year).values_list("from_department__name", flat=True)
        )
        assert senders == {"Internal Audit", "Internal Control"}, year


def test_two_level_3_certifications_with_a_passed_assessment_every_year(demo):
    certifications = Certification.objects.filter(organization=demo.organization, level="Level 3")
    obtained = {c.scheme: c.obtained_on.year for c in certifications}
    assert obtained == {
        "MLPS Information System Security Protection": 2017,
        "MLPS Communication Network Security Protection": 2022,
    }
    this_year = timezone.localdate().year
    for certification in certifications:
        passed = AssessorEngagement.objects.filter(
            certification=certification, result=AssessorEngagement.Result.PASSED
        )
        years = set(passed.values_list("started_on__year", flat=True))
        assert set(range(certification.obtained_on.year, 2026)) <= years
        assert years <= set(range(certification.obtained_on.year, this_year + 1))
        assert not certification.assessment_overdue
        assert all(e.report_id for e in passed)


def test_training_every_quarter_and_an_external_drill_in_2024(demo):
    org = demo.organization
    quarters = training_by_quarter(org, 2024, date(2025, 1, 1))
    assert [q.state for q in quarters] == ["trained"] * 4
    for year in (2023, 2025):
        assert TrainingSession.objects.filter(organization=org, held_on__year=year).count() == 4
    drill = Drill.objects.get(organization=org, held_on__year=2024, organizer_kind="external")
    assert drill.organizer == "Local administrative department"
    assert drill.findings and drill.actions.count() >= 2
    assert drill.participants.count() <= drill.participant_count


def test_bug_bounty_and_network_monitoring_are_implemented_controls(demo):
    controls = Control.objects.filter(organization=demo.organization, status="implemented")
    names = set(controls.values_list("name", flat=True))
    assert {"Vulnerability discovery and reward program", "Real-time network monitoring"} <= names
    bounty = controls.get(name="Vulnerability discovery and reward program")
    assert bounty.requirements.filter(framework__key="nist-csf-2.0").exists()
    keys = set(
        Framework.objects.filter(organization=demo.organization).values_list("key", flat=True)
    )
    assert keys == {"nist-csf-2.0", "iso-27001-2022", "mlps-2.0-l3"}


def test_risk_register_has_emerging_supplier_overdue_and_accepted_risks(demo):
    org = demo.organization
    risks = Risk.objects.filter(organization=org)
    assert 28 <= risks.count() <= 35
    ai = risks.get(title__icontains="misuse of artificial intelligence")
    assert ai.emerging and ai.threat_source == "external"
    assert risks.filter(threat_source="supplier").count() >= 3
    assert all(r.residual_score <= r.inherent_score for r in risks if r.residual_score)
    assert 1 <= sum(r.review_overdue for r in risks) <= 8
    acceptance = RiskAcceptance.objects.get(risk__organization=org)
    assert acceptance.state == "approved" and acceptance.risk.status == "accepted"
    assert acceptance.requested_by != acceptance.decided_by
    assert TreatmentAction.objects.filter(organization=org, status__in=["open", "in_progress"])


def test_the_2024_incidents_are_determined_not_material(demo):
    incidents = Incident.objects.filter(organization=demo.organization, discovered_at__year=2024)
    assert incidents.count() >= 3
    assert set(incidents.values_list("material", flat=True)) == {False}
    assert all(i.determined_on and i.determination_rationale for i in incidents)


def test_one_recent_material_incident_has_assessments_and_a_running_6k_clock(demo):
    org = demo.organization
    material = Incident.objects.get(organization=org, material=True)
    assert material.assessments.count() == 2
    assert material.determined_on == timezone.localdate() - timedelta(days=2)
    clocks = incident_queries.open_clocks(org, timezone.localdate())
    assert [(c.incident, c.form, c.due) for c in clocks] == [(material, "6-K", None)]
    report = material.disclosures.get()
    assert report.form == "6-K" and report.versions.get().status == "draft"


def test_the_fy2024_disclosure_is_filed_with_the_seed_flags_and_no_finding(demo):
    version = DisclosureVersion.objects.get(
        organization=demo.organization, disclosure__fiscal_year=2024
    )
    assert (version.status, version.accession_number) == ("filed", "0001234567-25-000042")
    assert version.approved_by.username == "admin" and version.submitted_by.username == "secmgr"
    assert version.findings == []
    assert {name: version.facts[name] for name in SEED_FLAGS} == SEED_FLAGS
    assert version.facts[el.TEXT_BOARD_COMMITTEE] == "audit committee"
    assert "on page 56 of this annual report" in version.facts[el.TEXT_PROCESSES]


def test_every_change_is_audited_by_the_admin_and_the_chain_verifies(demo):
    events = AuditEvent.objects.filter(organization=demo.organization)
    assert events.count() > 300
    assert set(events.exclude(actor=None).values_list("actor__username", flat=True)) <= {
        "admin",
        "riskowner",
        "secmgr",
    }
    call_command("audit_verify", stdout=io.StringIO())


def test_loading_twice_changes_and_duplicates_nothing(demo):
    before = riskward_counts()
    again = load_demo()
    assert again.organization == demo.organization and not again.new
    assert (again.created, again.updated) == (0, 0)
    assert riskward_counts() == before


@pytest.mark.parametrize(("username", "role", "_person"), LOGINS)
def test_each_demo_login_signs_in_with_the_documented_password(demo, username, role, _person):
    user = User.objects.get(username=username)
    assert (user.organization, user.role) == (demo.organization, role)
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/dashboard/").status_code == 200


def test_the_main_risks_are_quantified_and_the_portfolio_was_run(demo):
    org = demo.organization
    quantified = RiskQuantification.objects.filter(organization=org)
    assert quantified.count() == 10
    assert all(q.run_at is not None for q in quantified)
    controlled = [q for q in quantified if q.effects.exists()]
    assert len(controlled) == 8  # their controls lower the mean annual loss
    assert all(q.residual["mean"] < q.inherent["mean"] for q in controlled)
    study = QuantStudy.objects.get(organization=org)
    assert study.iterations == 100_000 and study.threshold == org.materiality_threshold
    exceedances = quantification.exceedances(org)
    likely = [risk.reference for risk, p in exceedances if p >= REASONABLY_LIKELY]
    assert likely == []  # no risk is reasonably likely to cost more than the threshold
