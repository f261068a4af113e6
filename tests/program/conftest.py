"""Program records shared by the service, page and API tests."""

from __future__ import annotations

from datetime import date

import pytest

from riskward.core.models import Person
from riskward.program.models import Drill, DrillAction, TrainingSession


@pytest.fixture
def rita(users):
    """The risk owner's own person record."""
    return Person.objects.get(user=users["risk_owner"])


@pytest.fixture
def colleague(org):
    return Person.objects.create(organization=org, name="Chen Wei")


@pytest.fixture
def training(org):
    return TrainingSession.objects.create(
        organization=org,
        held_on=date(2024, 2, 20),
        topic="Phishing awareness",
        audience="All employees",
        invited=120,
        completed=111,
    )


@pytest.fixture
def drill(org):
    return Drill.objects.create(
        organization=org,
        held_on=date(2024, 6, 12),
        title="Regional ransomware exercise",
        organizer_kind="external",
        organizer="Local administrative department",
    )


@pytest.fixture
def action(org, drill, rita):
    """An open follow-up action owned by the risk owner."""
    return DrillAction.objects.create(
        organization=org, drill=drill, title="Update the call tree", owner=rita
    )


@pytest.fixture
def others_action(org, drill, colleague):
    return DrillAction.objects.create(
        organization=org, drill=drill, title="Patch the VPN", owner=colleague
    )
