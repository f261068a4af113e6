"""Incident pages per role: the incident page's sections and actions, and the filing clocks."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskward.incidents import services
from riskward.incidents.models import (
    AttorneyGeneralDelay,
    IncidentFiling,
    MaterialityAssessment,
)
from tests.conftest import ROLES
from tests.roles import DASHBOARD, EDITORS, READERS

D = date.fromisoformat
FACTOR_LEVELS = {
    f"assess-{name}_impact": "none"
    for name in ("customers", "reputation", "regulators", "litigation", "operations", "data")
}


def expected(role, allowed, ok=302):
    """Editors' actions redirect; others are refused, another organization's user sees 404."""
    if role == "outsider":
        return 404
    return ok if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_incident_page_shows_the_clock_to_readers(client_as, domestic, material, role):
    response = client_as(role).get(f"/incidents/incident/{material.pk}/")
    assert response.status_code == expected(role, READERS, ok=200)
    if role in READERS:
        page = response.content.decode()
        assert "2024-12-30" in page  # the 8-K due date
        assert "Federal closure: Christmas Eve" in page and "Christmas Day" in page
        assert "Customer data taken; ERP down." in page
        assert (f'action="/incidents/incident/{material.pk}/determine/"' in page) == (
            role in EDITORS
        )


def test_incident_page_of_a_20f_filer_shows_6k_promptly(client_as, material):
    page = client_as("auditor").get(f"/incidents/incident/{material.pk}/").content.decode()
    assert "6-K" in page and "Promptly" in page
    assert "Attorney General delays" not in page


def test_incident_page_lists_assessments_delays_and_filings(client_as, domestic, users, material):
    services.assess_materiality(
        domestic, users["admin"], material, {"conclusion": "Likely material", "loss_high": 9}
    )
    services.record_ag_delay(
        domestic,
        users["admin"],
        material,
        {"days": 30, "requested_on": D("2024-12-23"), "written_determination": "DOJ-77"},
    )
    services.record_filing(domestic, users["admin"], material, {"form": "8-K"})
    page = client_as("auditor").get(f"/incidents/incident/{material.pk}/").content.decode()
    assert "Likely material" in page and "DOJ-77" in page
    assert "2024-12-31 \u2013 2025-01-29" in page  # the delay's period
    assert "Form 8-K Item 1.05" in page and "Pending" in page


@pytest.mark.parametrize("role", ROLES)
def test_assess_is_for_editors(client_as, domestic, material, role):
    data = {**FACTOR_LEVELS, "assess-recommendation": "material", "assess-conclusion": "Yes"}
    response = client_as(role).post(f"/incidents/incident/{material.pk}/assess/", data)
    assert response.status_code == expected(role, EDITORS)
    assert MaterialityAssessment.objects.exists() == (role in EDITORS)


def test_assess_with_bad_range_shows_the_form_again(client_as, domestic, material):
    data = {
        **FACTOR_LEVELS,
        "assess-recommendation": "material",
        "assess-conclusion": "Yes",
        "assess-loss_low": "10",
        "assess-loss_high": "5",
    }
    response = client_as("admin").post(f"/incidents/incident/{material.pk}/assess/", data)
    assert response.status_code == 400
    assert b"the high estimate is below the low estimate" in response.content
    assert not MaterialityAssessment.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_determine_is_for_editors(client_as, domestic, make_incident, role):
    incident = make_incident()
    data = {
        "determine-material": "yes",
        "determine-determined_on": "2024-12-20",
        "determine-determined_time": "16:30",
        "determine-rationale": "Data taken",
    }
    response = client_as(role).post(f"/incidents/incident/{incident.pk}/determine/", data)
    assert response.status_code == expected(role, EDITORS)
    incident.refresh_from_db()
    assert (incident.material is True) == (role in EDITORS)


def test_determination_without_rationale_is_refused_on_the_form(client_as, make_incident):
    incident = make_incident()
    data = {"determine-material": "yes", "determine-determined_on": "2024-12-20"}
    response = client_as("admin").post(f"/incidents/incident/{incident.pk}/determine/", data)
    assert response.status_code == 400
    assert response.context["determination_form"].errors["rationale"]
    incident.refresh_from_db()
    assert incident.material is None


@pytest.mark.parametrize("role", ROLES)
def test_add_delay_is_for_editors(client_as, domestic, material, role):
    data = {
        "delay-days": "30",
        "delay-requested_on": "2024-12-23",
        "delay-written_determination": "DOJ-1",
    }
    response = client_as(role).post(f"/incidents/incident/{material.pk}/delays/new/", data)
    assert response.status_code == expected(role, EDITORS)
    assert AttorneyGeneralDelay.objects.exists() == (role in EDITORS)


def test_delay_over_the_cap_is_refused_on_the_form(client_as, domestic, material):
    data = {
        "delay-days": "45",
        "delay-requested_on": "2024-12-23",
        "delay-written_determination": "DOJ-1",
    }
    response = client_as("admin").post(f"/incidents/incident/{material.pk}/delays/new/", data)
    assert response.status_code == 400
    assert "1 to 30 days" in str(response.context["delay_form"].errors["days"])


@pytest.mark.parametrize("role", ROLES)
def test_add_filing_and_mark_filed_are_for_editors(client_as, domestic, users, material, role):
    client = client_as(role)
    response = client.post(
        f"/incidents/incident/{material.pk}/filings/new/", {"filing-form": "8-K"}
    )
    assert response.status_code == expected(role, EDITORS)
    assert IncidentFiling.objects.exists() == (role in EDITORS)
    filing = IncidentFiling.objects.first() or services.record_filing(
        domestic, users["admin"], material, {"form": "8-K"}
    )
    marked = client.post(
        f"/incidents/filing/{filing.pk}/filed/",
        {"filed_on": "2024-12-27", "accession_number": "0000123456-24-000001"},
    )
    assert marked.status_code == expected(role, EDITORS)
    filing.refresh_from_db()
    assert (filing.filed_on == D("2024-12-27")) == (role in EDITORS)


def test_conflicting_filing_becomes_a_message(client_as, domestic, material):
    client = client_as("admin")
    client.post(f"/incidents/incident/{material.pk}/filings/new/", {"filing-form": "8-K"})
    response = client.post(
        f"/incidents/incident/{material.pk}/filings/new/", {"filing-form": "8-K"}, follow=True
    )
    assert b"already has its Item 1.05 8-K" in response.content
    assert IncidentFiling.objects.count() == 1


def test_filing_form_offers_only_the_filer_type_forms(client_as, material):
    form = client_as("admin").get(f"/incidents/incident/{material.pk}/").context["filing_form"]
    assert [value for value, _ in form.fields["form"].choices] == ["6-K"]


@pytest.mark.parametrize("role", ROLES)
def test_clocks_page_is_for_dashboard_roles(client_as, domestic, material, role):
    response = client_as(role).get("/incidents/clocks/")
    if role == "outsider":
        assert response.status_code == 200 and material.reference.encode() not in response.content
        return
    assert response.status_code == (200 if role in DASHBOARD else 403)
    page = response.content.decode()
    assert material.reference in page and "Overdue" in page and "2024-12-30" in page
    link = f'href="/incidents/incident/{material.pk}/"'
    assert (link in page) == (role in READERS)  # the board sees the clock, not the register


def test_incident_list_links_to_the_clocks(client_as):
    assert b'href="/incidents/clocks/"' in client_as("auditor").get("/incidents/incident/").content


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_records(client_as, domestic, users, material, make_incident):
    client = client_as("admin")
    reviewer = users["risk_owner"].person
    detail = f"/incidents/incident/{material.pk}/"

    def add_records(n):
        services.assess_materiality(
            domestic, users["admin"], material, {"conclusion": f"c{n}", "reviewers": [reviewer.pk]}
        )
        other = make_incident(f"Other {n}")
        services.determine_materiality(domestic, users["admin"], other, True, D("2024-12-20"), "y")
        services.record_filing(domestic, users["admin"], other, {"form": "8-K"})
        services.record_ag_delay(
            domestic,
            users["admin"],
            material,
            {
                "days": 10,
                "requested_on": D("2024-12-23"),
                "written_determination": f"DOJ-{n}",
                "national_security": True,
            },
        )

    add_records(0)
    before = (_queries(client, detail), _queries(client, "/incidents/clocks/"))
    add_records(1)
    add_records(2)
    assert (_queries(client, detail), _queries(client, "/incidents/clocks/")) == before
