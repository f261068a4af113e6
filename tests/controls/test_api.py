"""Every controls endpoint for every role and the other organization's user."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskward.audit.models import AuditEvent
from riskward.controls import services
from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Evidence,
    Framework,
    Requirement,
)
from tests.conftest import ROLES
from tests.controls import samples
from tests.roles import EDITORS, READERS

API = "/api/v1/controls"
IMPORTERS = {"admin", "security_manager"}


@pytest.fixture
def records(org, users, control, pdf_evidence, iso):
    admin = users["admin"]
    certification = services.create_certification(
        org, admin, {"scheme": "MLPS", "level": "Level 3", "obtained_on": date(2022, 6, 1)}
    )
    return {
        "controls": control,
        "evidence": pdf_evidence,
        "assessments": services.create_assessment(
            org, admin, {"framework": iso, "title": "Pre-audit"}
        ),
        "certifications": certification,
        "engagements": services.create_engagement(
            org,
            admin,
            {
                "certification": certification,
                "firm": "Assessor Co.",
                "started_on": date(2023, 6, 1),
            },
        ),
    }


MODELS = {
    "controls": Control,
    "evidence": Evidence,
    "assessments": ComplianceAssessment,
    "certifications": Certification,
    "engagements": AssessorEngagement,
}


def new_payload(path, records):
    return {
        "controls": {"reference": "CTL-900", "name": "MFA", "control_type": "technical",
                     "function": "preventive"},
        "evidence": {"title": "Wiki page", "url": "https://wiki.example/mfa"},
        "assessments": {"framework_id": records["assessments"].framework_id, "title": "Second"},
        "certifications": {"scheme": "ISO/IEC 27001", "obtained_on": "2023-05-01"},
        "engagements": {"firm": "Audit LLP", "started_on": "2024-02-01"},
    }[path]  # fmt: skip


RENAME = {
    "controls": {"name": "Renamed"},
    "evidence": {"title": "Renamed"},
    "assessments": {"title": "Renamed"},
    "certifications": {"scheme": "Renamed"},
    "engagements": {"firm": "Renamed"},
}


@pytest.mark.parametrize("path", list(MODELS))
@pytest.mark.parametrize("role", ROLES)
def test_read_endpoints_per_role(api_as, records, path, role):
    api = api_as(role)
    listing = api.get(f"{API}/{path}")
    one = api.get(f"{API}/{path}/{records[path].pk}")
    if role in READERS:
        assert (listing.status_code, one.status_code) == (200, 200)
        assert listing.json()["count"] == 1
        assert one.json()["id"] == records[path].pk
    elif role == "outsider":
        assert listing.json()["count"] == 0
        assert one.status_code == 404
    else:
        assert (listing.status_code, one.status_code) == (403, 403)


@pytest.mark.parametrize("path", list(MODELS))
@pytest.mark.parametrize("role", ROLES)
def test_write_endpoints_per_role(api_as, org, records, path, role):
    api = api_as(role)
    row = records[path]
    created = api.post(f"{API}/{path}", new_payload(path, records))
    patched = api.patch(f"{API}/{path}/{row.pk}", RENAME[path])
    deleted = api.delete(f"{API}/{path}/{row.pk}")
    ours = MODELS[path].objects.filter(organization=org)
    if role in EDITORS:
        assert (created.status_code, patched.status_code, deleted.status_code) == (201, 200, 204)
        assert not ours.filter(pk=row.pk).exists()
    elif role == "outsider":
        assert created.status_code in (201, 422)  # 422: it named one of our rows
        assert (patched.status_code, deleted.status_code) == (404, 404)
        assert ours.filter(pk=row.pk).exists()
    elif role == "risk_owner" and path == "controls":  # Rita owns the control
        assert (created.status_code, patched.status_code, deleted.status_code) == (403, 200, 403)
    else:
        assert (created.status_code, patched.status_code, deleted.status_code) == (403, 403, 403)
    assert ours.count() == 1  # editors created one and deleted one; nobody else changed ours


def test_control_out_has_schedule_and_mappings(api_as, iso, control):
    requirement = Requirement.objects.get(framework=iso, ref_id="A.8.16")
    control.requirements.add(requirement)
    body = api_as("auditor").get(f"{API}/controls/{control.pk}").json()
    assert body["requirements"] == [requirement.pk]
    assert body["next_test_due"] == "2024-04-14"
    assert body["test_overdue"] is True
    assert body["owner"] == control.owner_id


def test_control_filters(api_as, control, others_control, iso):
    control.requirements.add(Requirement.objects.get(framework=iso, ref_id="A.8.16"))
    api = api_as("auditor")

    def refs(**params):
        return {row["reference"] for row in api.get(f"{API}/controls", **params).json()["items"]}

    assert refs(test_overdue="true") == {"CTL-001"}
    assert refs(test_overdue="false") == {"CTL-002"}
    assert refs(status="planned") == {"CTL-002"}
    assert refs(control_type="technical") == {"CTL-001"}
    assert refs(requirement=control.requirements.get().pk) == {"CTL-001"}
    assert refs(owner=control.owner_id) == {"CTL-001"}
    assert [
        r["reference"] for r in api.get(f"{API}/controls", sort="-reference").json()["items"]
    ] == [
        "CTL-002",
        "CTL-001",
    ]


def test_control_create_with_requirements_and_bad_input(api_as, iso):
    api = api_as("admin")
    ids = list(iso.requirements.filter(kind="control").values_list("pk", flat=True)[:2])
    payload = {
        "reference": "CTL-9",
        "name": "X",
        "control_type": "technical",
        "function": "preventive",
    }
    created = api.post(f"{API}/controls", {**payload, "requirements": ids})
    assert created.status_code == 201 and sorted(created.json()["requirements"]) == sorted(ids)
    duplicate = api.post(f"{API}/controls", payload)
    assert (duplicate.status_code, duplicate.json()["field"]) == (422, "reference")
    unknown = api.post(f"{API}/controls", {**payload, "reference": "CTL-10", "colour": "red"})
    assert unknown.status_code == 422 and "colour" in unknown.json()["fields"]


# --- Frameworks and requirements --------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_framework_endpoints_per_role(api_as, org, iso, role):
    api = api_as(role)
    catalogs = api.get(f"{API}/framework-catalogs")
    listing = api.get(f"{API}/frameworks")
    one = api.get(f"{API}/frameworks/{iso.pk}")
    requirements = api.get(f"{API}/requirements", framework=iso.pk, kind="control", limit=5)
    requirement = api.get(f"{API}/requirements/{iso.requirements.first().pk}")
    if role in READERS:
        assert [c["loaded"] for c in catalogs.json()] == [None, iso.pk, None]
        assert listing.json()["items"][0]["key"] == "iso-27001-2022"
        assert one.json()["name"] == "ISO/IEC 27001:2022 Annex A"
        assert requirements.json()["count"] == 93
        assert requirement.status_code == 200
    elif role == "outsider":
        assert [c["loaded"] for c in catalogs.json()] == [None, None, None]
        assert listing.json()["count"] == 0
        assert (one.status_code, requirement.status_code) == (404, 404)
        assert requirements.json()["count"] == 0
    else:
        statuses = {r.status_code for r in (catalogs, listing, one, requirements, requirement)}
        assert statuses == {403}


@pytest.mark.parametrize("role", ROLES)
def test_framework_load_per_role(api_as, org, role):
    response = api_as(role).post(f"{API}/frameworks/load", {"key": "nist-csf-2.0"})
    if role in IMPORTERS | {"outsider"}:
        assert response.status_code == 200
        assert response.json()["key"] == "nist-csf-2.0"
        owner = org if role != "outsider" else Framework.objects.get().organization
        assert Requirement.objects.filter(organization=owner, withdrawn=False).count() == 134
    else:
        assert response.status_code == 403
        assert not Framework.objects.exists()


def test_framework_load_twice_is_idempotent_and_unknown_key_is_422(api_as):
    api = api_as("admin")
    first = api.post(f"{API}/frameworks/load", {"key": "mlps-2.0-l3"}).json()
    second = api.post(f"{API}/frameworks/load", {"key": "mlps-2.0-l3"}).json()
    assert first["id"] == second["id"]
    assert Requirement.objects.count() == 81
    assert AuditEvent.objects.filter(action="import").count() == 1
    bad = api.post(f"{API}/frameworks/load", {"key": "cobit"})
    assert (bad.status_code, bad.json()["field"]) == (422, "key")


@pytest.mark.parametrize("role", ROLES)
def test_requirement_text_import_per_role(api_as, mlps, role):
    payload = {
        "rows": [
            {"ref_id": "8.1.4.1", "text": "Licensed text"},
            {"ref_id": "8.1.4.1.a", "text": "a)"},
        ]
    }
    response = api_as(role).post(f"{API}/frameworks/{mlps.pk}/requirement-text", payload)
    if role in IMPORTERS:
        assert response.json() == {"updated": 1, "added": 1}
    else:
        assert response.status_code == (404 if role == "outsider" else 403)
        assert not Requirement.objects.filter(ref_id="8.1.4.1.a").exists()


def test_requirement_text_import_problems_name_rows_and_columns(api_as, mlps):
    payload = {"rows": [{"ref_id": "8.1.4.1", "text": "ok"}, {"ref_id": "x", "text": "bad"}]}
    response = api_as("admin").post(f"{API}/frameworks/{mlps.pk}/requirement-text", payload)
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"row": 2, "column": "ref_id", "message": f"x is not a reference of {mlps}"}
    ]


@pytest.mark.parametrize("role", ROLES)
def test_framework_delete_per_role(api_as, org, iso, role):
    response = api_as(role).delete(f"{API}/frameworks/{iso.pk}")
    exists = Framework.objects.filter(pk=iso.pk).exists()
    if role in EDITORS:
        assert (response.status_code, exists) == (204, False)
    else:
        assert (response.status_code, exists) == (404 if role == "outsider" else 403, True)


def test_framework_delete_is_refused_while_assessed(api_as, records, iso):
    response = api_as("admin").delete(f"{API}/frameworks/{iso.pk}")
    assert response.status_code == 422
    assert "Still referenced" in response.json()["detail"]


# --- Evidence ---------------------------------------------------------------------------------


def upload(api, name, content, **fields):
    data = {"title": "Uploaded", **fields, "file": samples.upload(name, content)}
    return api.client.post(f"{API}/evidence/upload", data, headers=api.headers)


@pytest.mark.parametrize("role", ROLES)
def test_upload_per_role(api_as, org, control, role):
    response = upload(api_as(role), "report.pdf", samples.PDF, controls=[control.pk])
    if role in EDITORS:
        assert response.status_code == 201
        body = response.json()
        assert body["sha256"] == hashlib.sha256(samples.PDF).hexdigest()
        assert (body["kind"], body["size"], body["controls"]) == (
            "file",
            len(samples.PDF),
            [control.pk],
        )
        assert body["download"] == f"{API}/evidence/{body['id']}/download"
        assert "file" not in body  # the storage path stays private
    elif role == "outsider":
        assert response.status_code == 422  # our control is not theirs
        assert response.json()["field"] == "controls"
    else:
        assert response.status_code == 403
    assert Evidence.objects.filter(organization=org).count() == (1 if role in EDITORS else 0)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", samples.EXE, "the name says .pdf"),
        ("pixel.png", samples.HTML, "HTML/markup"),
        ("big.pdf", samples.PDF + b" " * 4096, "the limit is"),
    ],
)
def test_upload_refusals_name_the_file_field(api_as, settings, name, content, message):
    settings.UPLOAD_MAX_BYTES = 2048
    response = upload(api_as("admin"), name, content)
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    assert message in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_upload_without_title_is_422_naming_it(api_as):
    api = api_as("admin")
    response = api.client.post(
        f"{API}/evidence/upload",
        {"file": samples.upload("a.pdf", samples.PDF)},
        headers=api.headers,
    )
    assert response.status_code == 422
    assert [name.rpartition(".")[2] for name in response.json()["fields"]] == ["title"]


@pytest.mark.parametrize("role", ROLES)
def test_download_per_role(api_as, pdf_evidence, role):
    response = api_as(role).get(f"{API}/evidence/{pdf_evidence.pk}/download")
    if role in READERS:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == samples.PDF
        assert response["Content-Disposition"] == 'attachment; filename="firewall-review.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
    else:
        assert response.status_code == (404 if role == "outsider" else 403)


def test_json_create_makes_link_evidence_and_refuses_bad_urls(api_as):
    api = api_as("admin")
    link = api.post(f"{API}/evidence", {"title": "SOC", "url": "https://soc.example/board"})
    assert link.status_code == 201 and link.json()["kind"] == "link"
    assert link.json()["download"] is None
    bad = api.post(f"{API}/evidence", {"title": "X", "url": "javascript:alert(1)"})
    assert (bad.status_code, bad.json()["field"]) == (422, "url")
    as_file = api.post(f"{API}/evidence", {"title": "X", "kind": "file"})
    assert (as_file.status_code, as_file.json()["field"]) == (422, "file")


def test_evidence_filters(api_as, org, users, pdf_evidence, link_evidence, control):
    api = api_as("auditor")
    assert api.get(f"{API}/evidence", kind="link").json()["count"] == 1
    assert (
        api.get(f"{API}/evidence", control=control.pk).json()["items"][0]["title"]
        == "Firewall review Q3"
    )
    services.update_evidence(
        org,
        users["admin"],
        link_evidence,
        {"collected_on": date(2020, 1, 1), "expires_on": date(2020, 2, 1)},
    )
    assert [e["title"] for e in api.get(f"{API}/evidence", expired="true").json()["items"]] == [
        "SOC dashboard"
    ]


# --- Assessments ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_result_endpoints_per_role(api_as, records, link_evidence, role):
    assessment = records["assessments"]
    result = assessment.results.order_by("requirement__sort_key").first()
    api = api_as(role)
    listing = api.get(f"{API}/assessments/{assessment.pk}/results", limit=3)
    summary = api.get(f"{API}/assessments/{assessment.pk}/summary")
    patched = api.patch(
        f"{API}/assessments/{assessment.pk}/results/{result.pk}",
        {"result": "compliant", "findings": "Seen", "evidence": [link_evidence.pk]},
    )
    if role in READERS:
        first = listing.json()["items"][0]
        assert (first["ref_id"], first["result"], listing.json()["count"]) == (
            "A.5.1",
            "not_assessed",
            93,
        )
        assert summary.json()["total"] == 93
    else:
        expected = 404 if role == "outsider" else 403
        assert (listing.status_code, summary.status_code) == (expected, expected)
    if role in EDITORS:
        assert patched.status_code == 200
        assert (patched.json()["result"], patched.json()["evidence"]) == (
            "compliant",
            [link_evidence.pk],
        )
    else:
        assert patched.status_code == (404 if role == "outsider" else 403)


def test_result_patch_bad_value_and_filter(api_as, records):
    assessment = records["assessments"]
    result = assessment.results.first()
    api = api_as("admin")
    bad = api.patch(f"{API}/assessments/{assessment.pk}/results/{result.pk}", {"result": "great"})
    assert (bad.status_code, bad.json()["field"]) == (422, "result")
    unknown = api.patch(
        f"{API}/assessments/{assessment.pk}/results/{result.pk}", {"requirement": 1}
    )
    assert unknown.status_code == 422 and "requirement" in unknown.json()["fields"]
    api.patch(f"{API}/assessments/{assessment.pk}/results/{result.pk}", {"result": "partial"})
    filtered = api.get(f"{API}/assessments/{assessment.pk}/results", result="partial").json()
    assert filtered["count"] == 1
    assert api.get(f"{API}/assessments/{assessment.pk}/summary").json()["partial"] == 1
    missing = api.patch(f"{API}/assessments/{assessment.pk}/results/999999", {"result": "partial"})
    assert missing.status_code == 404


def test_assessment_framework_cannot_change(api_as, records, nist):
    response = api_as("admin").patch(
        f"{API}/assessments/{records['assessments'].pk}", {"framework_id": nist.pk}
    )
    assert (response.status_code, response.json()["field"]) == (422, "framework")


def test_certification_out_has_schedule(api_as, org, users, records):
    services.update_engagement(
        org,
        users["admin"],
        records["engagements"],
        {"ended_on": date(2023, 6, 9), "result": "passed"},
    )
    body = api_as("auditor").get(f"{API}/certifications").json()["items"][0]
    assert (body["last_assessed_on"], body["next_assessment_due"]) == ("2023-06-09", "2024-06-09")
    assert body["assessment_overdue"] is True and body["expired"] is False


# --- Query counts -----------------------------------------------------------------------------


def count(api, url):
    api.get(url)  # the first call also records the token's last use
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def grow(org, users, iso, n):
    admin = users["admin"]
    requirements = list(iso.requirements.all()[:2])
    for i in range(n):
        control = services.create_control(
            org, admin, {"reference": f"Q{n}-{i}", "name": "Q", "control_type": "technical",
                         "function": "preventive", "requirements": requirements},
        )  # fmt: skip
        services.create_evidence(
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
            org, admin, {"scheme": f"C{n}-{i}", "obtained_on": date(2020, 1, 1)}
        )
        services.create_engagement(
            org,
            admin,
            {
                "certification": certification,
                "firm": "F",
                "started_on": date(2021, 1, 1),
                "result": "passed",
            },
        )
        services.create_assessment(org, admin, {"framework": iso, "title": f"A{n}-{i}"})


@pytest.mark.parametrize(
    "url",
    [
        "controls",
        "evidence",
        "assessments",
        "certifications",
        "engagements",
        "frameworks",
        "requirements",
    ],
)
def test_api_list_query_count_does_not_grow(api_as, org, users, iso, url):
    api = api_as("admin")
    grow(org, users, iso, 2)
    few = count(api, f"{API}/{url}")
    grow(org, users, iso, 15)
    assert count(api, f"{API}/{url}") == few


def test_result_list_query_count_does_not_grow(api_as, org, users, iso, link_evidence):
    assessment = services.create_assessment(org, users["admin"], {"framework": iso, "title": "Q"})
    api = api_as("admin")
    few = count(api, f"{API}/assessments/{assessment.pk}/results?limit=5")
    for result in assessment.results.all()[:50]:
        services.record_result(org, users["admin"], result, {"evidence": [link_evidence]})
    assert count(api, f"{API}/assessments/{assessment.pk}/results?limit=50") == few
