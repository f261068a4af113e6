"""Evidence: files checked, hashed and stored by content per organization; links http(s) only."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from riskward.audit.models import AuditEvent
from riskward.controls import services
from riskward.controls.models import Evidence
from riskward.lib.errors import InvalidInput
from tests.controls import samples


def stored_files(media_root):
    return sorted(
        p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()
    )


def file_data(**extra):
    return {
        "title": "Scan",
        "kind": "file",
        "file": samples.upload("scan.pdf", samples.PDF),
        **extra,
    }


def test_file_evidence_is_hashed_and_stored_by_content(org, pdf_evidence, media_root, control):
    sha = hashlib.sha256(samples.PDF).hexdigest()
    assert (pdf_evidence.sha256, pdf_evidence.size) == (sha, len(samples.PDF))
    assert pdf_evidence.content_type == "application/pdf"
    assert pdf_evidence.filename == "firewall-review.pdf"
    assert pdf_evidence.file.name == f"evidence/{org.pk}/{sha[:2]}/{sha}.pdf"
    assert stored_files(media_root) == [pdf_evidence.file.name]
    assert (media_root / pdf_evidence.file.name).read_bytes() == samples.PDF
    assert list(pdf_evidence.controls.all()) == [control]
    event = AuditEvent.objects.get(action="create", object_type="controls.Evidence")
    assert event.after["sha256"] == sha


def test_too_large_upload_is_refused_and_nothing_is_kept(org, users, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(InvalidInput) as error:
        services.create_evidence(org, users["admin"], file_data())
    assert error.value.field == "file"
    assert "limit is 10 bytes" in error.value.message
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "content"), [("invoice.pdf", samples.EXE), ("logo.png", samples.HTML)]
)
def test_mislabelled_upload_is_refused_and_nothing_is_kept(org, users, media_root, name, content):
    data = file_data(file=samples.upload(name, content, "application/pdf"))
    with pytest.raises(InvalidInput, match="the name says") as error:
        services.create_evidence(org, users["admin"], data)
    assert error.value.field == "file"
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_refused_row_leaves_no_new_file_behind(org, users, media_root):
    data = file_data(collected_on=date(2024, 5, 1), expires_on=date(2024, 4, 1))
    with pytest.raises(InvalidInput) as error:
        services.create_evidence(org, users["admin"], data)
    assert error.value.field == "expires_on"
    assert stored_files(media_root) == []


def test_file_evidence_needs_a_file(org, users):
    with pytest.raises(InvalidInput) as error:
        services.create_evidence(org, users["admin"], {"title": "Nothing", "kind": "file"})
    assert error.value.field == "file"


def test_same_bytes_are_stored_once_and_kept_while_used(
    org, users, media_root, django_capture_on_commit_callbacks
):
    first = services.create_evidence(org, users["admin"], file_data(title="One"))
    second = services.create_evidence(org, users["admin"], file_data(title="Two"))
    assert first.file.name == second.file.name
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_evidence(org, users["admin"], first)
    assert len(stored_files(media_root)) == 1  # still used by the second row
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_evidence(org, users["admin"], second)
    assert stored_files(media_root) == []


def test_organizations_do_not_share_stored_files(org, other_org, users, media_root):
    ours = services.create_evidence(org, users["admin"], file_data())
    theirs = services.create_evidence(other_org, users["outsider"], file_data())
    assert ours.file.name != theirs.file.name
    assert ours.file.name.startswith(f"evidence/{org.pk}/")


def test_replacing_the_file_discards_the_old_one(
    org, users, pdf_evidence, media_root, django_capture_on_commit_callbacks
):
    old = pdf_evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_evidence(
            org, users["admin"], pdf_evidence, {"file": samples.upload("notes.txt", samples.TEXT)}
        )
    pdf_evidence.refresh_from_db()
    assert pdf_evidence.filename == "notes.txt"
    assert pdf_evidence.sha256 == hashlib.sha256(samples.TEXT).hexdigest()
    assert stored_files(media_root) == [pdf_evidence.file.name]
    assert old != pdf_evidence.file.name


def test_editing_without_a_new_file_keeps_the_file(org, users, pdf_evidence):
    services.update_evidence(org, users["admin"], pdf_evidence, {"title": "Renamed", "file": None})
    pdf_evidence.refresh_from_db()
    assert (pdf_evidence.title, pdf_evidence.filename) == ("Renamed", "firewall-review.pdf")


def test_switching_to_a_link_clears_the_file_facts(
    org, users, pdf_evidence, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_evidence(
            org, users["admin"], pdf_evidence, {"kind": "link", "url": "https://dms.example/1"}
        )
    pdf_evidence.refresh_from_db()
    assert (pdf_evidence.file.name, pdf_evidence.sha256, pdf_evidence.size) == ("", "", None)
    assert stored_files(media_root) == []


def test_link_evidence_keeps_the_url(link_evidence):
    assert (link_evidence.kind, link_evidence.url) == ("link", "https://intranet.example/soc")
    assert not link_evidence.file


@pytest.mark.parametrize(
    "url", ["ftp://files.example/report.pdf", "javascript:alert(1)", "file:///etc/passwd", ""]
)
def test_link_must_be_http_or_https(org, users, url):
    with pytest.raises(InvalidInput) as error:
        services.create_evidence(org, users["admin"], {"title": "Bad", "kind": "link", "url": url})
    assert error.value.field == "url"
    assert not Evidence.objects.exists()


def test_link_evidence_with_a_file_is_refused(org, users):
    data = {
        "title": "Both",
        "kind": "link",
        "url": "https://x.example",
        "file": samples.upload("a.pdf", samples.PDF),
    }
    with pytest.raises(InvalidInput) as error:
        services.create_evidence(org, users["admin"], data)
    assert error.value.field == "file"


def test_control_of_another_organization_is_refused(other_org, users, control):
    with pytest.raises(InvalidInput) as error:
        services.create_evidence(
            other_org,
            users["outsider"],
            {"title": "X", "kind": "link", "url": "https://x.example", "controls": [control.pk]},
        )
    assert error.value.field == "controls"


def test_evidence_cited_as_a_report_cannot_be_deleted(org, users, pdf_evidence):
    services.create_engagement(
        org,
        users["admin"],
        {"firm": "Assessor Co.", "started_on": date(2024, 3, 1), "report": pdf_evidence},
    )
    with pytest.raises(InvalidInput, match="Still referenced"):
        services.delete_evidence(org, users["admin"], pdf_evidence)
