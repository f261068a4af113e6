"""Incident reports: Form 8-K Item 1.05, Form 6-K and the voluntary Item 8.01, drafted from the
incident record, built as Inline XBRL and validated with Arelle."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from riskward.disclosure import elements as el
from riskward.disclosure import outputs, services
from riskward.disclosure.models import Disclosure
from riskward.incidents import services as incidents
from riskward.lib.errors import Conflict, InvalidInput
from tests.conftest import ROLES
from tests.roles import EDITORS


@pytest.fixture
def incident(org, users):
    return incidents.create_incident(
        org,
        users["admin"],
        {
            "title": "Ransomware on the ERP",
            "discovered_at": datetime(2024, 12, 18, 9, 0, tzinfo=UTC),
            "nature": "A ransomware attack encrypted the ERP servers.",
            "scope_systems": "ERP and warehouse systems",
            "scope_data": "Customer order history",
            "timing": "The attack began on December 17, 2024 and was contained on December 19.",
            "impact_operational": "Shipping stopped for three days.",
            "impact_financial": "Estimated loss of USD 4 to 6 million.",
            "undetermined_information": "The full extent of data taken is still being assessed.",
        },
    )


def _determine(org, users, incident, material):
    return incidents.determine_materiality(
        org, users["admin"], incident, material, date(2024, 12, 20), "Shipping stopped."
    )


@pytest.fixture
def domestic(org):
    org.filer_type = "10-K"
    org.save()
    return org


def test_a_material_incident_of_a_domestic_filer_gets_an_item_105_draft(domestic, users, incident):
    _determine(domestic, users, incident, True)
    version = services.start_incident_report(domestic, users["admin"], incident)
    assert version.disclosure.form == Disclosure.Form.FORM_8K
    assert version.facts[el.INCIDENT_NATURE] == "A ransomware attack encrypted the ERP servers."
    assert "Systems affected: ERP and warehouse systems" in version.facts[el.INCIDENT_SCOPE]
    assert "December 20, 2024" in version.facts[el.INCIDENT_TIMING]
    assert "Shipping stopped" in version.facts[el.INCIDENT_IMPACT]
    assert "amendment" in version.facts[el.INCIDENT_UNDETERMINED]
    assert list(version.facts) == [e.name for e in el.incident_elements()]


def test_the_item_105_draft_is_valid_inline_xbrl_dated_by_the_determination(
    domestic, users, incident
):
    _determine(domestic, users, incident, True)
    version = services.start_incident_report(domestic, users["admin"], incident)
    package, report = outputs.validate_package(domestic, version)
    document = package.files[package.document_name]
    assert b"MaterialCybersecurityIncidentNatureTextBlock" in document
    assert b"2024-12-20" in document  # dei:DocumentPeriodEndDate: the date of the report
    assert report.errors == () and report.fact_count >= 5
    assert report.official is False and report.ready_to_file is False


def test_a_non_material_incident_gets_a_voluntary_item_801_without_cyd_tags(
    domestic, users, incident
):
    _determine(domestic, users, incident, False)
    version = services.start_incident_report(domestic, users["admin"], incident)
    assert version.disclosure.form == Disclosure.Form.FORM_8K_801
    package, report = outputs.validate_package(domestic, version)
    document = package.files[package.document_name]
    assert b"Item 8.01" in document
    assert b'name="cyd:' not in document
    assert report.errors == ()


def test_a_foreign_private_issuer_furnishes_a_6k(org, users, incident):
    _determine(org, users, incident, True)  # `org` files a 20-F
    version = services.start_incident_report(org, users["admin"], incident)
    assert version.disclosure.form == Disclosure.Form.FORM_6K
    _, report = outputs.validate_package(org, version)
    assert report.errors == ()


def test_no_report_before_a_determination(org, users, incident):
    with pytest.raises(Conflict, match="Determine"):
        services.start_incident_report(org, users["admin"], incident)


def test_one_report_per_incident_and_form(org, users, incident):
    _determine(org, users, incident, True)
    services.start_incident_report(org, users["admin"], incident)
    with pytest.raises(Conflict):
        services.start_incident_report(org, users["admin"], incident)


def test_incident_report_text_edits_accept_only_incident_elements(org, users, incident):
    _determine(org, users, incident, True)
    version = services.start_incident_report(org, users["admin"], incident)
    with pytest.raises(InvalidInput):
        services.edit_texts(org, users["admin"], version, {el.TEXT_EXPERTISE: "Annual words."})
    edited = services.edit_texts(org, users["admin"], version, {el.INCIDENT_SCOPE: "ERP only."})
    assert edited.facts[el.INCIDENT_SCOPE] == "ERP only."


def test_refresh_redrafts_from_the_incident_but_keeps_edits(org, users, incident):
    _determine(org, users, incident, True)
    version = services.start_incident_report(org, users["admin"], incident)
    version = services.edit_texts(org, users["admin"], version, {el.INCIDENT_SCOPE: "ERP only."})
    incidents.update_incident(org, users["admin"], incident, {"nature": "Ransomware (LockBit)."})
    version = services.refresh_from_record(org, users["admin"], version)
    assert version.facts[el.INCIDENT_NATURE] == "Ransomware (LockBit)."
    assert version.facts[el.INCIDENT_SCOPE] == "ERP only."


@pytest.mark.parametrize("role", ROLES)
def test_drafting_from_the_incident_page_is_for_editors(client_as, org, users, incident, role):
    _determine(org, users, incident, True)
    page = client_as(role).get(incident.get_absolute_url())
    response = client_as(role).post(f"/disclosure/incident/{incident.pk}/start/")
    created = Disclosure.objects.filter(incident=incident).exists()
    assert created == (role in EDITORS)
    if role in EDITORS:
        assert b"Draft the Form 6-K report" in page.content
        assert response.status_code == 302
    elif role == "outsider":
        assert response.status_code == 404
