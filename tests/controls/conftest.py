"""Controls fixtures: frameworks loaded from the bundled data, one control owned by Rita (the
risk owner), evidence files stored under a per-test MEDIA_ROOT."""

from __future__ import annotations

from datetime import date

import pytest

from riskward.controls import services
from riskward.controls.models import Control
from riskward.core.models import Person
from tests.controls import samples


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def nist(org):
    return services.load_framework(org, "nist-csf-2.0")


@pytest.fixture
def iso(org):
    return services.load_framework(org, "iso-27001-2022")


@pytest.fixture
def mlps(org):
    return services.load_framework(org, "mlps-2.0-l3")


@pytest.fixture
def rita(users):
    return users["risk_owner"].person


@pytest.fixture
def control(org, users, rita):
    return services.create_control(
        org,
        users["admin"],
        {
            "reference": "CTL-001",
            "name": "Real-time network monitoring",
            "control_type": Control.Type.TECHNICAL,
            "function": Control.Function.DETECTIVE,
            "owner": rita,
            "status": Control.Status.IMPLEMENTED,
            "test_frequency_days": 90,
            "last_tested": date(2024, 1, 15),
        },
    )


@pytest.fixture
def others_control(org, users):
    oscar = Person.objects.create(organization=org, name="Oscar Other")
    return services.create_control(
        org,
        users["admin"],
        {
            "reference": "CTL-002",
            "name": "Bug bounty programme",
            "control_type": Control.Type.ADMINISTRATIVE,
            "function": Control.Function.DETECTIVE,
            "owner": oscar,
        },
    )


@pytest.fixture
def pdf_evidence(org, users, control):
    return services.create_evidence(
        org,
        users["admin"],
        {
            "title": "Firewall review Q3",
            "kind": "file",
            "file": samples.upload("firewall-review.pdf", samples.PDF, "application/pdf"),
            "collected_on": date(2024, 10, 1),
            "controls": [control],
        },
    )


@pytest.fixture
def link_evidence(org, users):
    return services.create_evidence(
        org,
        users["admin"],
        {"title": "SOC dashboard", "kind": "link", "url": "https://intranet.example/soc"},
    )
