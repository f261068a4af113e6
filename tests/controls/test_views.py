"""Framework pages, requirement pages, evidence upload and download, and result editing, for
every role and the other organization's user."""

from __future__ import annotations

import hashlib

import pytest

from riskward.audit.models import AuditEvent
from riskward.controls import services
from riskward.controls.models import Evidence, Framework, Requirement
from tests.conftest import ROLES
from tests.controls import samples
from tests.roles import EDITORS, READERS

IMPORTERS = {"admin", "security_manager"}


def expect(role, allowed, ok=200):
    """The status a role gets on a page of our organization that `allowed` may open."""
    if role in allowed:
        return ok
    return 404 if role == "outsider" else 403


# --- Frameworks -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_framework_list_per_role(client_as, iso, role):
    response = client_as(role).get("/controls/framework/")
    if role == "board_member":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    loaded = [f.key for f in response.context["frameworks"]]
    available = [key for key, _ in response.context["available"]]
    if role == "outsider":
        assert loaded == [] and len(available) == 3
    else:
        assert loaded == ["iso-27001-2022"]
        assert available == ["nist-csf-2.0", "mlps-2.0-l3"]
        assert (b"Load NIST CSF 2.0" in response.content) == (role in IMPORTERS)


@pytest.mark.parametrize("role", ROLES)
def test_loading_a_framework_is_for_importers(client_as, org, role):
    response = client_as(role).post("/controls/framework/load/", {"key": "mlps-2.0-l3"})
    ours = Framework.objects.filter(organization=org, key="mlps-2.0-l3").exists()
    assert ours == (role in IMPORTERS)
    if role in IMPORTERS | {"outsider"}:  # the outsider loads it into their own organization
        assert response.status_code == 302
        assert Framework.objects.filter(key="mlps-2.0-l3").count() == 1
    else:
        assert response.status_code == 403


def test_loading_an_unknown_framework_says_so(client_as):
    response = client_as("admin").post("/controls/framework/load/", {"key": "nope"}, follow=True)
    assert b"no framework &#x27;nope&#x27;" in response.content
    assert not Framework.objects.exists()


def test_load_page_refuses_get(client_as):
    assert client_as("admin").get("/controls/framework/load/").status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_framework_tree_per_role(client_as, nist, control, role):
    control.requirements.add(Requirement.objects.get(framework=nist, ref_id="DE.CM-01"))
    response = client_as(role).get(f"/controls/framework/{nist.pk}/")
    assert response.status_code == expect(role, READERS)
    if role in READERS:
        assert b"<details open><summary>" in response.content  # collapsible, functions open
        assert b"GV.OC-01" in response.content and b"CTL-001" in response.content
        assert b"ID.BE" not in response.content  # withdrawn, hidden by default
        assert (b"Import requirement text" in response.content) == (role in IMPORTERS)


def test_framework_tree_can_show_withdrawn(client_as, nist):
    response = client_as("auditor").get(f"/controls/framework/{nist.pk}/", {"withdrawn": "1"})
    assert b"ID.BE" in response.content and b"Withdrawn" in response.content


def test_framework_tree_query_count(client_as, nist, control, django_assert_max_num_queries):
    control.requirements.set(Requirement.objects.filter(framework=nist, kind="subcategory"))
    client = client_as("auditor")
    with django_assert_max_num_queries(7):  # session, user, org, framework, tree x2, assessments
        client.get(f"/controls/framework/{nist.pk}/")


@pytest.mark.parametrize("role", ROLES)
def test_requirement_page_per_role(client_as, org, users, iso, control, role):
    requirement = Requirement.objects.get(framework=iso, ref_id="A.8.16")
    control.requirements.add(requirement)
    assessment = services.create_assessment(
        org, users["admin"], {"framework": iso, "title": "Pre-audit"}
    )
    services.record_result(
        org, users["admin"], assessment.results.get(requirement=requirement), {"result": "partial"}
    )
    response = client_as(role).get(f"/controls/requirement/{requirement.pk}/")
    assert response.status_code == expect(role, READERS)
    if role in READERS:
        for shown in (b"A.8.16", b"CTL-001", b"Pre-audit", b"Partially compliant", b"A.8"):
            assert shown in response.content


@pytest.mark.parametrize("role", ROLES)
def test_requirement_text_import_is_for_importers(client_as, mlps, role):
    client = client_as(role)
    page = client.get(f"/controls/framework/{mlps.pk}/import-text/")
    csv = samples.upload("text.csv", samples.CSV_GBK, "text/csv")
    posted = client.post(f"/controls/framework/{mlps.pk}/import-text/", {"file": csv})
    imported = Requirement.objects.get(framework=mlps, ref_id="8.1.1.1").licensed_text
    assert page.status_code == expect(role, IMPORTERS)
    assert posted.status_code == expect(role, IMPORTERS, ok=302)
    assert ("测试条款" in imported) == (role in IMPORTERS)


def test_requirement_text_import_lists_bad_rows_and_writes_nothing(client_as, mlps):
    csv = b"ref_id,text\n8.1.1.1,Good\n9.9,Bad\n,Missing\n"
    response = client_as("admin").post(
        f"/controls/framework/{mlps.pk}/import-text/", {"file": samples.upload("t.csv", csv)}
    )
    assert response.status_code == 400
    assert response.context["problems"] == [
        (3, "ref_id", f"9.9 is not a reference of {mlps}"),
        (4, "ref_id", "missing"),
    ]
    assert b"nothing was imported" in response.content
    assert not Requirement.objects.exclude(licensed_text="").exists()


def test_requirement_text_import_with_a_bad_file_names_the_field(client_as, mlps):
    response = client_as("admin").post(
        f"/controls/framework/{mlps.pk}/import-text/",
        {"file": samples.upload("t.csv", b"something,else\n1,2\n")},
    )
    assert response.status_code == 400
    assert "ref_id and text" in response.context["form"].errors["file"][0]


# --- Evidence upload and download -------------------------------------------------------------


def test_upload_form_stores_the_file_with_its_hash(client_as, org, media_root):
    response = client_as("admin").post(
        "/controls/evidence/new/",
        {"title": "Diagram", "kind": "file", "collected_on": "2024-10-01",
         "file": samples.upload("diagram.png", samples.png(), "image/png")},
    )  # fmt: skip
    assert response.status_code == 302
    evidence = Evidence.objects.get(organization=org, title="Diagram")
    assert evidence.sha256 == hashlib.sha256(samples.png()).hexdigest()
    assert (media_root / evidence.file.name).is_file()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "invoice.pdf",
            samples.EXE,
            b"the name says .pdf but the content is application/x-msdownload",
        ),
        ("logo.png", samples.HTML, b"the name says .png but the content is HTML/markup"),
        ("tool.exe", samples.EXE, b".exe files are not accepted"),
    ],
)
def test_upload_form_refuses_mislabelled_files_on_the_file_field(
    client_as, org, name, content, message
):
    response = client_as("admin").post(
        "/controls/evidence/new/",
        {
            "title": "Bad",
            "kind": "file",
            "collected_on": "2024-10-01",
            "file": samples.upload(name, content),
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]
    assert message in response.content
    assert not Evidence.objects.filter(organization=org).exists()


def test_upload_form_refuses_too_large_files(client_as, org, settings):
    settings.UPLOAD_MAX_BYTES = 20
    response = client_as("admin").post(
        "/controls/evidence/new/",
        {
            "title": "Big",
            "kind": "file",
            "collected_on": "2024-10-01",
            "file": samples.upload("a.pdf", samples.PDF),
        },
    )
    assert response.status_code == 400
    assert "limit is 20 bytes" in response.context["form"].errors["file"][0]


def test_link_evidence_from_the_form_needs_an_http_url(client_as, org):
    response = client_as("admin").post(
        "/controls/evidence/new/",
        {"title": "Link", "kind": "link", "collected_on": "2024-10-01", "url": "ftp://x.example/a"},
    )
    assert response.status_code == 400
    assert "url" in response.context["form"].errors


@pytest.mark.parametrize("role", ROLES)
def test_download_checks_permission(client_as, pdf_evidence, role):
    response = client_as(role).get(f"/controls/evidence/{pdf_evidence.pk}/download/")
    assert response.status_code == expect(role, READERS)
    if role in READERS:
        assert b"".join(response.streaming_content) == samples.PDF
        assert response["Content-Disposition"] == 'attachment; filename="firewall-review.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert "sandbox" in response["Content-Security-Policy"]


def test_anonymous_download_goes_to_login(client, pdf_evidence):
    response = client.get(f"/controls/evidence/{pdf_evidence.pk}/download/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_stored_files_are_not_served_from_media_url(client_as, pdf_evidence):
    assert client_as("admin").get(f"/media/{pdf_evidence.file.name}").status_code == 404


def test_link_evidence_has_no_download(client_as, link_evidence):
    assert (
        client_as("admin").get(f"/controls/evidence/{link_evidence.pk}/download/").status_code
        == 404
    )
    page = client_as("auditor").get(f"/controls/evidence/{link_evidence.pk}/")
    assert b'rel="noopener noreferrer nofollow"' in page.content


def test_missing_stored_file_is_a_clear_404(client_as, pdf_evidence, media_root):
    (media_root / pdf_evidence.file.name).unlink()
    response = client_as("admin").get(f"/controls/evidence/{pdf_evidence.pk}/download/")
    assert response.status_code == 404
    assert b"stored file is missing" in response.content


def test_evidence_page_offers_download_not_a_media_link(client_as, pdf_evidence):
    page = client_as("auditor").get(f"/controls/evidence/{pdf_evidence.pk}/")
    assert f"/controls/evidence/{pdf_evidence.pk}/download/".encode() in page.content
    assert b"/media/" not in page.content
    assert pdf_evidence.sha256.encode() in page.content


# --- Assessment results -----------------------------------------------------------------------


@pytest.fixture
def assessment(org, users, iso):
    return services.create_assessment(
        org, users["admin"], {"framework": iso, "title": "ISO pre-audit"}
    )


@pytest.mark.parametrize("role", ROLES)
def test_result_edit_is_for_editors(client_as, assessment, link_evidence, role):
    result = assessment.results.order_by("requirement__sort_key").first()
    url = f"/controls/assessment/{assessment.pk}/result/{result.pk}/"
    client = client_as(role)
    page = client.get(url)
    posted = client.post(
        url, {"result": "compliant", "findings": "OK", "evidence": [link_evidence.pk]}
    )
    result.refresh_from_db()
    assert page.status_code == expect(role, EDITORS)
    assert posted.status_code == expect(role, EDITORS, ok=302)
    assert (result.result == "compliant") == (role in EDITORS)
    if role in EDITORS:
        assert list(result.evidence.all()) == [link_evidence]
        assert posted["Location"].endswith(f"#r{result.pk}")


def test_inline_htmx_edit_returns_the_row_and_keeps_evidence(
    client_as, org, users, assessment, link_evidence
):
    result = assessment.results.first()
    services.record_result(org, users["admin"], result, {"evidence": [link_evidence]})
    response = client_as("admin").post(
        f"/controls/assessment/{assessment.pk}/result/{result.pk}/",
        {"quick": "1", "result": "partial", "findings": "Policy draft only"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content.lstrip().startswith(f'<tr id="r{result.pk}">'.encode())
    result.refresh_from_db()
    assert (result.result, result.findings) == ("partial", "Policy draft only")
    assert list(result.evidence.all()) == [link_evidence]
    event = AuditEvent.objects.filter(
        action="update", object_type="controls.RequirementResult"
    ).latest("id")
    assert (event.before["result"], event.after["result"]) == ("not_assessed", "partial")


def test_result_form_names_a_bad_value(client_as, assessment):
    result = assessment.results.first()
    response = client_as("admin").post(
        f"/controls/assessment/{assessment.pk}/result/{result.pk}/",
        {"quick": "1", "result": "great"},
    )
    assert response.status_code == 400
    assert "result" in response.context["form"].errors


def test_completed_assessment_shows_results_read_only(client_as, org, users, assessment):
    services.update_assessment(org, users["admin"], assessment, {"status": "completed"})
    page = client_as("admin").get(f"/controls/assessment/{assessment.pk}/")
    assert b'class="inline-result"' not in page.content
    result = assessment.results.first()
    refused = client_as("admin").post(
        f"/controls/assessment/{assessment.pk}/result/{result.pk}/",
        {"quick": "1", "result": "compliant"},
    )
    assert refused.status_code == 400
    assert b"reopen it" in refused.content


def test_assessment_page_shows_summary_and_inline_forms_for_editors(client_as, assessment):
    editor = client_as("security_manager").get(f"/controls/assessment/{assessment.pk}/")
    assert editor.context["summary"]["not_assessed"] == 93
    assert editor.content.count(b'class="inline-result"') == 93
    reader = client_as("auditor").get(f"/controls/assessment/{assessment.pk}/")
    assert b'class="inline-result"' not in reader.content
    assert reader.content.count(b"Not assessed") >= 93


def test_result_of_another_assessment_is_not_found(client_as, org, users, assessment, iso):
    other = services.create_assessment(org, users["admin"], {"framework": iso, "title": "Other"})
    result = other.results.first()
    url = f"/controls/assessment/{assessment.pk}/result/{result.pk}/"
    assert client_as("admin").get(url).status_code == 404
