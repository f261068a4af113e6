"""Risk fixtures: the risk owner "Rita" owns one risk; someone else owns another."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from riskward.core.models import Person
from riskward.risks import services


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def future(today):
    return today + timedelta(days=90)


@pytest.fixture
def rita(users):
    return users["risk_owner"].person


@pytest.fixture
def oscar(org):
    return Person.objects.create(organization=org, name="Oscar Other")


@pytest.fixture
def make_risk(org, users):
    def make(**data):
        data.setdefault("title", "Ransomware on the ERP")
        data.setdefault("threat_source", "external")
        return services.create_risk(org, users["admin"], data)

    return make


@pytest.fixture
def own_risk(make_risk, rita):
    return make_risk(title="Rita's risk", owner=rita, inherent_likelihood=4, inherent_impact=4)


@pytest.fixture
def others_risk(make_risk, oscar):
    return make_risk(title="Oscar's risk", owner=oscar, inherent_likelihood=3, inherent_impact=3)
