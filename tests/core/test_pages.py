"""People, departments, ERM categories and the organization profile, per role."""

from __future__ import annotations

import pytest

from riskward.core.models import Department
from tests.conftest import ROLES
from tests.roles import EDITORS, READERS


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/person/", "/department/", "/erm-category/", "/organization/"])
def test_register_pages_per_role(client_as, role, path):
    status = client_as(role).get(path).status_code
    assert status == (200 if role in READERS | {"outsider"} else 403)


@pytest.mark.parametrize("role", ROLES)
def test_department_create_per_role(client_as, org, role):
    client_as(role).post("/department/new/", {"name": "Internal Audit"})
    assert Department.objects.filter(organization=org, name="Internal Audit").exists() == (
        role in EDITORS
    )


def test_outsider_cannot_open_our_department(client_as, org):
    dept = Department.objects.create(organization=org, name="IT")
    assert client_as("outsider").get(f"/department/{dept.pk}/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_admin_edits_the_organization_profile(client_as, org, other_org, role):
    client_as(role).post(
        "/organization/",
        {
            "legal_name": "Renamed Ltd.",
            "filer_type": "20-F",
            "fiscal_year_end_month": 12,
            "fiscal_year_end_day": 31,
            "reporting_currency": "USD",
        },
    )
    org.refresh_from_db()
    other_org.refresh_from_db()
    assert (org.legal_name == "Renamed Ltd.") == (role == "admin")
    assert (other_org.legal_name == "Renamed Ltd.") == (role == "outsider")  # their own profile


def test_bad_cik_names_the_field(client_as, org):
    response = client_as("admin").post(
        "/organization/",
        {
            "legal_name": "X",
            "cik": "12",
            "filer_type": "20-F",
            "fiscal_year_end_month": 12,
            "fiscal_year_end_day": 31,
            "reporting_currency": "USD",
        },
    )
    assert b"A CIK is exactly 10 digits" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_people_api_per_role(api_as, role):
    response = api_as(role).post("/api/v1/core/people", {"name": "New Person"})
    assert response.status_code == (201 if role in EDITORS | {"outsider"} else 403)


def test_api_org_patch_bad_currency_names_field(api_as):
    response = api_as("admin").patch("/api/v1/core/organization", {"reporting_currency": "usd"})
    assert response.status_code == 422
    assert response.json()["field"] == "reporting_currency"


def test_openapi_document_is_served(client):
    body = client.get("/api/v1/openapi.json").json()
    assert body["info"]["title"] == "Riskward API"
    assert "/api/v1/assets/assets" in body["paths"]


@pytest.mark.parametrize(
    ("area", "register"),
    [
        ("risks", "/risks/risk/"),
        ("assets", "/assets/asset/"),
        ("controls", "/controls/control/"),
        ("governance", "/governance/committee/"),
        ("program", "/program/training/"),
        ("incidents", "/incidents/incident/"),
    ],
)
def test_area_address_opens_its_register(client_as, area, register):
    response = client_as("auditor").get(f"/{area}/")
    assert response.status_code == 302 and response.url == register


def test_every_navigation_entry_resolves(client_as):
    from riskward.core.context_processors import NAVIGATION

    nav = client_as("admin").get("/organization/").context["nav"]
    assert len(nav) == len(NAVIGATION)


def test_duplicate_name_in_the_organization_is_a_clear_error(org, users):
    from riskward.core import services
    from riskward.lib.errors import InvalidInput

    services.create_department(org, users["admin"], {"name": "IT"})
    with pytest.raises(InvalidInput, match="already exists"):
        services.create_department(org, users["admin"], {"name": "IT"})
