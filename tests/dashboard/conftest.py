"""A small program with known figures, built through the services, for the dashboard tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from riskward.controls import services as controls
from riskward.core.models import Person
from riskward.governance import services as governance
from riskward.program import services as program
from riskward.risks import services as risks


def rate(inherent, residual=None):
    values = {"inherent_likelihood": inherent[0], "inherent_impact": inherent[1]}
    if residual is not None:
        values.update(residual_likelihood=residual[0], residual_impact=residual[1])
    return values


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def owner(org, users):
    return Person.objects.get(organization=org, user=users["risk_owner"])


@pytest.fixture
def known_risks(org, users, owner):
    """Three rated open risks, one closed and one unrated (the last two are not mapped)."""
    admin = users["admin"]

    def make(title, ratings, **extra):
        return risks.create_risk(
            org,
            admin,
            {"title": title, "threat_source": "external", "owner": owner, **ratings, **extra},
        )

    return {
        "ransomware": make("Ransomware on servers", rate((5, 5), (3, 4))),
        "ddos": make("DDoS on the portal", rate((5, 5), (2, 2))),
        "phishing": make("Phishing of staff", rate((4, 3))),
        "closed": make("Old risk", rate((5, 5), (1, 1)), status="closed"),
        "unrated": make("Deepfake fraud", {}, emerging=True),
    }


@pytest.fixture
def actions(org, users, known_risks, owner, today):
    def make(title, days, status="open"):
        return risks.create_action(
            org,
            users["admin"],
            {
                "risk": known_risks["ransomware"],
                "title": title,
                "owner": owner,
                "due_on": today + timedelta(days=days),
                "status": status,
            },
        )

    return {
        "late": make("Immutable backups", -3),
        "soon": make("EDR on Linux", 10),
        "later": make("Tabletop exercise", 45),
        "done": make("MFA everywhere", -20, status="done"),
    }


@pytest.fixture
def compliance(org, users, owner, today):
    admin = users["admin"]
    for ref, status in [("CTL-1", "implemented"), ("CTL-2", "implemented"), ("CTL-3", "planned")]:
        controls.create_control(
            org,
            admin,
            {
                "reference": ref,
                "name": ref,
                "control_type": "technical",
                "function": "detective",
                "status": status,
            },
        )
    for title, expires in [("SIEM review", 10), ("Old report", -5), ("Policy", None)]:
        controls.create_evidence(
            org,
            admin,
            {
                "title": title,
                "kind": "link",
                "url": "https://example.com/x",
                "collected_on": today - timedelta(days=30),
                "expires_on": today + timedelta(days=expires) if expires is not None else None,
            },
        )
    cert = controls.create_certification(
        org,
        admin,
        {
            "scheme": "MLPS Information System Security Protection",
            "level": "Level 3",
            "obtained_on": today - timedelta(days=800),
            "assessment_frequency_months": 12,
        },
    )
    return cert


@pytest.fixture
def committees(org, users, owner, today):
    admin = users["admin"]
    board = governance.create_committee(org, admin, {"name": "Board", "kind": "board"})
    audit = governance.create_committee(
        org,
        admin,
        {
            "name": "Audit Committee",
            "kind": "committee",
            "parent": board,
            "reporting_cadence_months": 12,
        },
    )
    governance.create_committee_report(
        org,
        admin,
        {
            "committee": audit,
            "title": "Internal audit report",
            "presented_on": today - timedelta(days=400),
            "from_person": owner,
        },
    )
    return audit


@pytest.fixture
def training(org, users, today):
    """One session in the first quarter of this year."""
    return program.create_training_session(
        org,
        users["admin"],
        {"held_on": date(today.year, 1, 15), "topic": "Phishing", "invited": 200, "completed": 180},
    )
