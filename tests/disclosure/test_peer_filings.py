"""Imported filings: the service, the page and the API, per role, with the seed as the peer."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from riskward.audit.models import AuditEvent
from riskward.disclosure import elements as el
from riskward.disclosure import peer_filings, services
from riskward.disclosure.models import ImportedFiling
from riskward.lib.errors import Conflict, DomainError, InvalidInput
from tests.conftest import ROLES
from tests.disclosure.seed import SEED_PATH
from tests.roles import DISCLOSURE_READERS

IMPORTERS = {"admin", "security_manager"}


@pytest.fixture
def seed_bytes():
    if SEED_PATH is None:
        pytest.skip("the shared seed page is not here")
    return SEED_PATH.read_bytes()


def test_import_keeps_the_facts_and_is_audited(org, users, seed_bytes):
    saved = peer_filings.import_bytes(org, users["admin"], seed_bytes, "seed.txt", "Peer A")
    assert saved.format == "edgar-text" and len(saved.facts) == 13
    assert saved.facts[el.FLAG_MATERIALLY_AFFECTED] is False
    assert saved.period_end.isoformat() == "2024-12-31"
    assert AuditEvent.objects.filter(action="import", object_id=str(saved.pk)).exists()


def test_the_same_file_twice_is_refused(org, users, seed_bytes):
    peer_filings.import_bytes(org, users["admin"], seed_bytes, "seed.txt")
    with pytest.raises(Conflict):
        peer_filings.import_bytes(org, users["admin"], seed_bytes, "again.txt")
    assert ImportedFiling.objects.filter(organization=org).count() == 1


def test_an_unrelated_file_is_refused_and_nothing_is_kept(org, users):
    with pytest.raises(DomainError) as error:
        peer_filings.import_bytes(org, users["admin"], b"%PDF-1.7\n...", "report.pdf")
    assert "PDF" in error.value.message
    assert not ImportedFiling.objects.filter(organization=org).exists()


def test_an_unknown_role_names_the_field(org, users, seed_bytes):
    with pytest.raises(InvalidInput) as error:
        peer_filings.import_bytes(org, users["admin"], seed_bytes, "seed.txt", role="rival")
    assert error.value.field == "role"


def test_comparison_puts_ours_first_and_shows_disagreeing_flags(org, users, seed_bytes):
    services.start_annual(org, users["admin"], 2024)  # an empty record: every flag false
    peer_filings.import_bytes(org, users["admin"], seed_bytes, "seed.txt", "Peer A")
    comparison = peer_filings.comparison_context(org, "2024")["comparison"]
    assert comparison.filers[0].startswith("Ours: FY2024") and comparison.filers[1] == "Peer A"
    integrated = next(r for r in comparison.flags if r.element == el.FLAG_INTEGRATED)
    assert integrated.values == (False, True)
    assert integrated.disagree == ("Peer A",)


@pytest.mark.parametrize("role", ROLES)
def test_the_page_per_role(client_as, org, users, seed_bytes, role):
    peer_filings.import_bytes(org, users["admin"], seed_bytes, "seed.txt", "Peer A")
    client = client_as(role)
    page = client.get("/disclosure/peers/")
    upload = SimpleUploadedFile("seed-copy.txt", seed_bytes + b"\n", "text/plain")
    posted = client.post("/disclosure/peers/", {"file": upload, "name": "Peer B", "role": "peer"})
    kept = ImportedFiling.objects.filter(organization=org, name="Peer B").exists()
    if role in DISCLOSURE_READERS:
        assert page.status_code == 200 and b"Peer A" in page.content
        assert kept == (role in IMPORTERS)
        assert posted.status_code == (302 if role in IMPORTERS else 403)
    elif role == "outsider":
        assert b"Peer A" not in page.content
        assert not kept
    else:
        assert page.status_code == posted.status_code == 403


def test_a_bad_upload_is_shown_next_to_the_field(client_as):
    upload = SimpleUploadedFile("notes.txt", b"just some notes\n", "text/plain")
    response = client_as("admin").post(
        "/disclosure/peers/", {"file": upload, "name": "", "role": "peer"}
    )
    assert response.status_code == 400
    assert b"expected" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_the_api_per_role(api_as, seed_bytes, role):
    api = api_as(role)
    upload = SimpleUploadedFile("seed.txt", seed_bytes, "text/plain")
    response = api.client.post(
        "/api/v1/disclosure/imported",
        {"file": upload, "name": "Peer A", "role": "peer"},
        headers=api.headers,
    )
    listing = api.get("/api/v1/disclosure/imported")
    if role in IMPORTERS or role == "outsider":
        assert response.status_code == 201
        assert response.json()["facts"][el.FLAG_INTEGRATED] is True
        assert listing.json()["count"] == 1
    elif role in DISCLOSURE_READERS:
        assert response.status_code == 403 and listing.json()["count"] == 0
    else:
        assert response.status_code == listing.status_code == 403


def test_the_api_comparison(api_as, org, users, seed_bytes):
    peer_filings.import_bytes(org, users["admin"], seed_bytes, "seed.txt", "Peer A")
    body = api_as("auditor").get("/api/v1/disclosure/comparison").json()
    assert body["columns"] == ["Peer A"]  # no disclosure of ours yet
    integrated = next(f for f in body["flags"] if f["element"] == el.FLAG_INTEGRATED)
    assert integrated["values"] == [True]
