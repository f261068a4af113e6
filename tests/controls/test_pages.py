"""The register pages (controls, evidence, assessments, certifications, engagements) for every
role and the other organization's user, and their query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskward.controls import services
from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Evidence,
)
from riskward.core.models import Person
from tests.conftest import ROLES
from tests.controls import samples
from tests.roles import EDITORS, READERS

REGISTERS = ["control", "evidence", "assessment", "certification", "engagement"]
MODELS = {
    "control": Control,
    "evidence": Evidence,
    "assessment": ComplianceAssessment,
    "certification": Certification,
    "engagement": AssessorEngagement,
}


@pytest.fixture
def records(org, users, control, pdf_evidence, iso):
    admin = users["admin"]
    certification = services.create_certification(
        org,
        admin,
        {
            "scheme": "MLPS Information System Security Protection",
            "level": "Level 3",
            "obtained_on": date(2017, 9, 20),
        },
    )
    return {
        "control": control,
        "evidence": pdf_evidence,
        "assessment": services.create_assessment(
            org, admin, {"framework": iso, "title": "ISO pre-audit"}
        ),
        "certification": certification,
        "engagement": services.create_engagement(
            org,
            admin,
            {
                "certification": certification,
                "firm": "Assessor Co.",
                "started_on": date(2024, 9, 2),
            },
        ),
    }


def new_data(register, records):
    """Valid form data for a new row; only rows of our organization are referenced."""
    return {
        "control": {"reference": "CTL-900", "name": "New control", "control_type": "technical",
                    "function": "preventive", "threat_source": "any", "status": "planned"},
        "evidence": {"title": "New evidence", "kind": "file", "collected_on": "2024-10-01",
                     "file": samples.upload("new.pdf", samples.PDF)},
        "assessment": {"framework": records["assessment"].framework_id, "title": "New assessment",
                       "started_on": "2024-10-01", "status": "in_progress"},
        "certification": {"scheme": "New certification", "obtained_on": "2024-01-01",
                          "assessment_frequency_months": 12, "is_active": "on"},
        "engagement": {"firm": "New firm", "started_on": "2024-10-01", "result": "pending"},
    }[register]  # fmt: skip


def edit_data(register, row):
    """The row's own values with its name changed to "Renamed"."""
    data = {
        "control": {"reference": row.reference if register == "control" else "", "name": "Renamed",
                    "control_type": "technical", "function": "detective", "threat_source": "any",
                    "status": "implemented", "owner": getattr(row, "owner_id", "") or ""},
        "evidence": {"title": "Renamed", "kind": "file", "collected_on": "2024-10-01"},
        "assessment": {"framework": getattr(row, "framework_id", ""), "title": "Renamed",
                       "started_on": "2024-10-01", "status": "in_progress"},
        "certification": {"scheme": "Renamed", "obtained_on": "2017-09-20",
                          "assessment_frequency_months": 12, "is_active": "on"},
        "engagement": {"firm": "Renamed", "started_on": "2024-09-02", "result": "pending"},
    }  # fmt: skip
    return data[register]


NAME_FIELD = {
    "control": "name",
    "evidence": "title",
    "assessment": "title",
    "certification": "scheme",
    "engagement": "firm",
}


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_are_for_readers_only(client_as, records, register, role):
    row = records[register]
    client = client_as(role)
    listing = client.get(f"/controls/{register}/")
    detail = client.get(f"/controls/{register}/{row.pk}/")
    shown = getattr(row, NAME_FIELD[register]).encode()
    if role in READERS:
        assert (listing.status_code, detail.status_code) == (200, 200)
        assert shown in listing.content and shown in detail.content
    elif role == "outsider":
        assert listing.status_code == 200
        assert shown not in listing.content
        assert detail.status_code == 404
    else:
        assert (listing.status_code, detail.status_code) == (403, 403)


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("role", ROLES)
def test_create_is_for_editors_only(client_as, org, records, register, role):
    model = MODELS[register]
    before = model.objects.filter(organization=org).count()
    response = client_as(role).post(f"/controls/{register}/new/", new_data(register, records))
    created = model.objects.filter(organization=org).count() - before
    assert created == (1 if role in EDITORS else 0)
    if role in EDITORS:
        assert response.status_code == 302
    elif role == "outsider":  # an admin elsewhere creates in their organization, or is refused
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            assert model.objects.exclude(organization=org).count() == 1
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("role", ROLES)
def test_edit_and_delete_are_for_editors_only(client_as, records, register, role):
    row = records[register]
    client = client_as(role)
    edited = client.post(f"/controls/{register}/{row.pk}/edit/", edit_data(register, row))
    row.refresh_from_db()
    may_edit = EDITORS | ({"risk_owner"} if register == "control" else set())  # Rita's control
    assert (getattr(row, NAME_FIELD[register]) == "Renamed") == (role in may_edit)
    deleted = client.post(f"/controls/{register}/{row.pk}/delete/")
    still_there = type(row).objects.filter(pk=row.pk).exists()
    if role in EDITORS:
        assert (edited.status_code, deleted.status_code) == (302, 302)
        assert not still_there
    else:
        assert still_there
        expected = 404 if role == "outsider" else 403
        assert deleted.status_code == expected
        assert edited.status_code == (302 if role in may_edit else expected)


def test_deleting_a_certification_keeps_its_engagements(client_as, records):
    client_as("admin").post(f"/controls/certification/{records['certification'].pk}/delete/")
    engagement = AssessorEngagement.objects.get(pk=records["engagement"].pk)
    assert engagement.certification is None


@pytest.mark.parametrize("role", ROLES)
def test_risk_owner_edits_the_controls_they_own_only(client_as, control, others_control, role):
    client = client_as(role)
    mine = client.post(f"/controls/control/{control.pk}/edit/", edit_data("control", control))
    theirs = client.post(
        f"/controls/control/{others_control.pk}/edit/", edit_data("control", others_control)
    )
    control.refresh_from_db()
    others_control.refresh_from_db()
    assert (control.name == "Renamed") == (role in EDITORS | {"risk_owner"})
    assert (others_control.name == "Renamed") == (role in EDITORS)
    if role == "risk_owner":
        assert (mine.status_code, theirs.status_code) == (302, 403)
        assert client.post(f"/controls/control/{control.pk}/delete/").status_code == 403


def test_invalid_control_form_names_the_field(client_as):
    response = client_as("admin").post(
        "/controls/control/new/",
        {"reference": "", "name": "X", "control_type": "magic", "function": "preventive"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"reference", "control_type"}


def test_duplicate_reference_is_shown_on_the_field(client_as, control):
    data = {**edit_data("control", control), "reference": "CTL-001"}
    response = client_as("admin").post("/controls/control/new/", data)
    assert response.status_code == 400
    assert "already used" in response.context["form"].errors["reference"][0]


def test_control_form_maps_requirements_and_detail_lists_them(client_as, control, iso, nist):
    ids = list(
        iso.requirements.filter(ref_id__in=["A.8.15", "A.8.16"]).values_list("pk", flat=True)
    )
    data = {**edit_data("control", control), "requirements": ids}
    assert client_as("admin").post(f"/controls/control/{control.pk}/edit/", data).status_code == 302
    assert set(control.requirements.values_list("ref_id", flat=True)) == {"A.8.15", "A.8.16"}
    page = client_as("auditor").get(f"/controls/control/{control.pk}/")
    assert b"A.8.16" in page.content and b"ISO/IEC 27001:2022 Annex A" in page.content


def test_control_form_offers_active_requirements_of_our_frameworks(client_as, nist, other_org):
    services.load_framework(other_org, "iso-27001-2022")
    form = client_as("admin").get("/controls/control/new/").context["form"]
    offered = form.fields["requirements"].queryset
    assert offered.count() == 6 + 22 + 106
    assert "NIST CSF 2.0 · GV.OC-01" in form.fields["requirements"].label_from_instance(
        offered.get(ref_id="GV.OC-01")
    )


def test_control_list_filters_on_every_declared_filter(
    client_as, org, control, others_control, rita
):
    client = client_as("auditor")

    def found(**params):
        return {
            c.reference for c in client.get("/controls/control/", params).context["listed"].page
        }

    assert found(control_type="technical") == {"CTL-001"}
    assert found(function="detective") == {"CTL-001", "CTL-002"}
    assert found(status="planned") == {"CTL-002"}
    assert found(owner=rita.pk) == {"CTL-001"}
    assert found(threat_source="any") == {"CTL-001", "CTL-002"}
    assert found(test_overdue="true") == {"CTL-001"}  # quarterly, last tested 2024-01-15
    assert found(test_overdue="false") == {"CTL-002"}
    assert found(q="bounty") == {"CTL-002"}
    sorted_refs = [
        c.reference
        for c in client.get("/controls/control/", {"sort": "-test_due_on"}).context["listed"].page
    ]
    assert sorted_refs[0] in {"CTL-001", "CTL-002"}


def test_evidence_list_filters_expired_and_by_control(
    client_as, org, users, pdf_evidence, link_evidence, control
):
    services.update_evidence(
        org,
        users["admin"],
        link_evidence,
        {"expires_on": date.today() - timedelta(days=1), "collected_on": date(2020, 1, 1)},
    )
    client = client_as("auditor")

    def found(**params):
        return {e.title for e in client.get("/controls/evidence/", params).context["listed"].page}

    assert found(expired="true") == {"SOC dashboard"}
    assert found(expired="false") == {"Firewall review Q3"}
    assert found(control=control.pk) == {"Firewall review Q3"}
    assert found(kind="link") == {"SOC dashboard"}


def test_certification_detail_shows_schedule_and_engagements(client_as, org, users, records):
    certification = records["certification"]
    services.update_engagement(
        org,
        users["admin"],
        records["engagement"],
        {"ended_on": date(2024, 9, 13), "result": "passed", "report": records["evidence"]},
    )
    page = client_as("auditor").get(f"/controls/certification/{certification.pk}/")
    assert b"2025-09-13" in page.content  # next assessment due: a year after the last pass
    assert b"Assessor Co." in page.content and b"Firewall review Q3" in page.content


def test_overdue_certification_is_flagged_in_list_and_detail(client_as, records):
    certification = records["certification"]  # obtained 2017, never passed since
    listing = client_as("auditor").get("/controls/certification/")
    row = next(iter(listing.context["listed"].page))
    assert row.assessment_overdue and row.next_assessment_due == date(2018, 9, 20)
    detail = client_as("auditor").get(f"/controls/certification/{certification.pk}/")
    assert b"Overdue" in detail.content


def test_assessment_list_shows_progress(client_as, org, users, records):
    assessment = records["assessment"]
    first = assessment.results.first()
    services.record_result(org, users["admin"], first, {"result": "compliant"})
    row = next(iter(client_as("auditor").get("/controls/assessment/").context["listed"].page))
    assert (row.result_total, row.assessed_count, row.compliant_count) == (93, 1, 1)


# --- Query counts -----------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(org, users, iso, n):
    admin = users["admin"]
    owner = Person.objects.create(organization=org, name=f"Owner {n}")
    requirement = iso.requirements.filter(kind="control").first()
    for i in range(n):
        control = services.create_control(
            org,
            admin,
            {"reference": f"G{n}-{i}", "name": "Grown", "control_type": "technical",
             "function": "preventive", "owner": owner, "requirements": [requirement]},
        )  # fmt: skip
        evidence = services.create_evidence(
            org,
            admin,
            {
                "title": f"E{n}-{i}",
                "kind": "link",
                "url": "https://x.example",
                "controls": [control],
            },
        )
        certification = services.create_certification(
            org, admin, {"scheme": f"S{n}-{i}", "obtained_on": date(2020, 1, 1)}
        )
        services.create_engagement(
            org,
            admin,
            {"certification": certification, "firm": f"F{n}-{i}", "started_on": date(2021, 1, 1),
             "ended_on": date(2021, 1, 9), "result": "passed", "report": evidence},
        )  # fmt: skip
        services.create_assessment(org, admin, {"framework": iso, "title": f"A{n}-{i}"})


@pytest.mark.parametrize("register", REGISTERS)
def test_list_query_count_does_not_grow_with_rows(client_as, org, users, iso, register):
    client = client_as("admin")
    grow(org, users, iso, 2)
    few = count_queries(client, f"/controls/{register}/")
    grow(org, users, iso, 20)
    many = count_queries(client, f"/controls/{register}/")
    assert few == many
    assert many <= 10


def test_assessment_detail_query_count_does_not_grow(
    client_as, org, users, iso, nist, link_evidence
):
    client = client_as("admin")
    small = services.create_assessment(org, users["admin"], {"framework": iso, "title": "ISO"})
    large = services.create_assessment(org, users["admin"], {"framework": nist, "title": "NIST"})
    for result in large.results.all()[:40]:
        services.record_result(
            org, users["admin"], result, {"result": "partial", "evidence": [link_evidence]}
        )
    assert count_queries(client, f"/controls/assessment/{small.pk}/") == count_queries(
        client, f"/controls/assessment/{large.pk}/"
    )
