"""Incident workflow endpoints per role: assessments, determination, delays, filings, clocks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from riskward.incidents import services
from riskward.incidents.models import (
    AttorneyGeneralDelay,
    IncidentFiling,
    MaterialityAssessment,
)
from tests.conftest import ROLES
from tests.roles import DASHBOARD, EDITORS, READERS

D = date.fromisoformat
BASE = "/api/v1/incidents"


def expected(role, allowed, ok):
    if role == "outsider":
        return 404
    return ok if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_assessments(api_as, domestic, material, role):
    api = api_as(role)
    created = api.post(
        f"{BASE}/incidents/{material.pk}/assessments",
        {"loss_low": "100", "loss_high": "900", "customers_impact": "high", "conclusion": "Yes"},
    )
    assert created.status_code == expected(role, EDITORS, 201)
    if role in EDITORS:
        body = created.json()
        assert (body["currency"], body["customers_impact"]) == ("USD", "high")
        assert Decimal(body["loss_high"]) == 900
    listed = api.get(f"{BASE}/incidents/{material.pk}/assessments")
    assert listed.status_code == expected(role, READERS, 200)
    assert MaterialityAssessment.objects.count() == (1 if role in EDITORS else 0)


def test_assessment_input_is_explicit(api_as, material):
    response = api_as("admin").post(
        f"{BASE}/incidents/{material.pk}/assessments", {"conclusion": "Yes", "currency": "EUR"}
    )
    assert response.status_code == 422 and "currency" in response.json()["fields"]


@pytest.mark.parametrize("role", ROLES)
def test_determination(api_as, make_incident, role):
    incident = make_incident()
    response = api_as(role).post(
        f"{BASE}/incidents/{incident.pk}/determination",
        {
            "material": True,
            "determined_on": "2024-12-20",
            "determined_time": "16:30",
            "rationale": "Data taken",
        },
    )
    assert response.status_code == expected(role, EDITORS, 200)
    if role in EDITORS:
        body = response.json()
        assert body["material"] is True and body["determined_on"] == "2024-12-20"
        assert body["determined_at"].startswith("2024-12-20T16:30")


def test_determination_without_rationale_names_the_field(api_as, make_incident):
    response = api_as("admin").post(
        f"{BASE}/incidents/{make_incident().pk}/determination",
        {"material": True, "determined_on": "2024-12-20", "rationale": " "},
    )
    assert response.status_code == 422 and response.json()["field"] == "rationale"


@pytest.mark.parametrize("role", ROLES)
def test_ag_delays(api_as, domestic, material, role):
    api = api_as(role)
    created = api.post(
        f"{BASE}/incidents/{material.pk}/ag-delays",
        {"days": 30, "requested_on": "2024-12-23", "written_determination": "DOJ-1"},
    )
    assert created.status_code == expected(role, EDITORS, 201)
    if role in EDITORS:
        assert created.json()["sequence"] == 1
    listed = api.get(f"{BASE}/incidents/{material.pk}/ag-delays")
    assert listed.status_code == expected(role, READERS, 200)
    assert AttorneyGeneralDelay.objects.exists() == (role in EDITORS)


def test_ag_delay_over_the_cap(api_as, domestic, material):
    response = api_as("admin").post(
        f"{BASE}/incidents/{material.pk}/ag-delays",
        {"days": 31, "requested_on": "2024-12-23", "written_determination": "DOJ-1"},
    )
    assert response.status_code == 422 and response.json()["field"] == "days"


@pytest.mark.parametrize("role", ROLES)
def test_filings(api_as, domestic, users, material, role):
    api = api_as(role)
    created = api.post(f"{BASE}/incidents/{material.pk}/filings", {"form": "8-K"})
    assert created.status_code == expected(role, EDITORS, 201)
    filing = IncidentFiling.objects.first() or services.record_filing(
        domestic, users["admin"], material, {"form": "8-K"}
    )
    assert filing.due == D("2024-12-30")
    patched = api.patch(
        f"{BASE}/filings/{filing.pk}",
        {"filed_on": "2024-12-31", "accession_number": "0000123456-24-000001"},
    )
    assert patched.status_code == expected(role, EDITORS, 200)
    if role in EDITORS:
        assert patched.json()["late"] is True and patched.json()["due"] == "2024-12-30"
    listed = api.get(f"{BASE}/incidents/{material.pk}/filings")
    assert listed.status_code == expected(role, READERS, 200)


def test_filing_conflict_is_409(api_as, domestic, material):
    api = api_as("admin")
    api.post(f"{BASE}/incidents/{material.pk}/filings", {"form": "8-K"})
    assert api.post(f"{BASE}/incidents/{material.pk}/filings", {"form": "8-K"}).status_code == 409


@pytest.mark.parametrize("role", ROLES)
def test_open_clocks(api_as, domestic, material, role):
    response = api_as(role).get(f"{BASE}/clocks")
    if role == "outsider":
        assert response.status_code == 200 and response.json()["items"] == []
        return
    assert response.status_code == (200 if role in DASHBOARD else 403)
    [item] = response.json()["items"]
    assert (item["reference"], item["form"], item["due"], item["overdue"]) == (
        material.reference,
        "8-K",
        "2024-12-30",
        True,
    )
    assert item["business_days"] == ["2024-12-23", "2024-12-26", "2024-12-27", "2024-12-30"]
    assert {"day": "2024-12-24", "reason": "Federal closure: Christmas Eve"} in item["skipped"]


@pytest.mark.parametrize("role", ROLES)
def test_incident_clocks(api_as, material, role):
    response = api_as(role).get(f"{BASE}/incidents/{material.pk}/clocks")
    assert response.status_code == expected(role, READERS, 200)
    if role in READERS:
        [item] = response.json()
        assert (item["form"], item["due"]) == ("6-K", None)  # `org` files a 20-F
        assert "promptly" in item["note"]


def test_incident_output_has_the_new_fields(api_as, material):
    body = api_as("auditor").get(f"{BASE}/incidents/{material.pk}").json()
    assert body["determined_by"] is not None and "scope_systems" in body
