"""The incident record: references, determination rules, pages and API per role."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from riskward.incidents import services
from riskward.incidents.models import Incident
from riskward.lib.errors import InvalidInput
from tests.conftest import ROLES
from tests.roles import EDITORS, READERS


@pytest.fixture
def incident(org, users):
    return services.create_incident(
        org,
        users["admin"],
        {
            "title": "Phishing of a support account",
            "discovered_at": timezone.now(),
        },
    )


def test_reference_is_numbered_per_organization(org, other_org, users, incident):
    second = services.create_incident(
        org, users["admin"], {"title": "B", "discovered_at": timezone.now()}
    )
    elsewhere = services.create_incident(
        other_org, users["outsider"], {"title": "C", "discovered_at": timezone.now()}
    )
    assert (incident.reference, second.reference, elsewhere.reference) == (
        "INC-001",
        "INC-002",
        "INC-001",
    )


def test_determination_needs_its_date(org, users, incident):
    with pytest.raises(InvalidInput) as error:
        services.update_incident(org, users["admin"], incident, {"material": False})
    assert error.value.field == "determined_on"
    services.update_incident(
        org,
        users["admin"],
        incident,
        {"material": False, "determined_on": date(2024, 5, 2), "determination_rationale": "Minor"},
    )
    incident.refresh_from_db()
    assert incident.material is False


@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role(client_as, incident, role):
    client = client_as(role)
    detail = client.get(f"/incidents/incident/{incident.pk}/").status_code
    listing = client.get("/incidents/incident/", {"material": "none"})
    if role in READERS:
        assert detail == 200 and b"Phishing" in listing.content
    elif role == "outsider":
        assert detail == 404 and b"Phishing" not in listing.content
    else:
        assert (detail, listing.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
def test_api_create_per_role(api_as, role):
    response = api_as(role).post(
        "/api/v1/incidents/incidents",
        {"title": "Lost laptop", "discovered_at": "2024-03-01T09:00:00Z"},
    )
    assert response.status_code == (201 if role in EDITORS | {"outsider"} else 403)


def test_material_filter(client_as, org, users, incident):
    services.create_incident(
        org,
        users["admin"],
        {
            "title": "Ransomware",
            "discovered_at": timezone.now(),
            "material": True,
            "determined_on": date(2024, 6, 1),
            "determination_rationale": "Payments stopped for two days.",
        },
    )
    listed = client_as("auditor").get("/incidents/incident/", {"material": "true"})
    assert [i.title for i in listed.context["listed"].page] == ["Ransomware"]
    assert Incident.objects.count() == 2
