"""The disclosure REST API for every role and the other organization's user."""

from __future__ import annotations

import pytest
from django.utils import timezone

from riskward.disclosure import elements as el
from riskward.disclosure import services
from riskward.disclosure.models import Disclosure
from tests.conftest import ROLES
from tests.roles import APPROVERS, DISCLOSURE_READERS, EDITORS

BASE = "/api/v1/disclosure"


@pytest.fixture
def draft(org, users):
    return services.start_annual(org, users["security_manager"], 2024)


def _version(draft):
    return f"{BASE}/disclosures/{draft.disclosure_id}/versions/{draft.number}"


@pytest.mark.parametrize("role", ROLES)
def test_read_endpoints_per_role(api_as, draft, role):
    api = api_as(role)
    listing = api.get(f"{BASE}/disclosures")
    one = api.get(_version(draft))
    if role in DISCLOSURE_READERS:
        assert listing.status_code == one.status_code == 200
        assert listing.json()["items"][0]["latest_status"] == "draft"
        body = one.json()
        assert body["status"] == "draft"
        assert isinstance(body["facts"][el.FLAG_INTEGRATED], bool)
        assert body["evidence"][el.FLAG_INTEGRATED]["reason"]
    elif role == "outsider":
        assert listing.json()["count"] == 0
        assert one.status_code == 404
    else:
        assert (listing.status_code, one.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
def test_start_per_role(api_as, org, role):
    response = api_as(role).post(f"{BASE}/disclosures", {"fiscal_year": 2024})
    # the outsider, an admin elsewhere, drafts in its own organization, never in ours
    assert (response.status_code == 201) == (role in EDITORS | {"outsider"})
    assert Disclosure.objects.filter(organization=org).exists() == (role in EDITORS)


def test_start_rejects_unknown_fields(api_as):
    response = api_as("admin").post(f"{BASE}/disclosures", {"fiscal_year": 2024, "flags": {}})
    assert response.status_code == 422


def test_the_whole_workflow_over_the_api(api_as, draft):
    manager, admin = api_as("security_manager"), api_as("admin")
    briefing = "The security team briefs management every week."
    edited = manager.patch(
        f"{_version(draft)}/texts", {"texts": {el.TEXT_INFORMING_MANAGEMENT: briefing}}
    )
    assert edited.status_code == 200
    assert edited.json()["edited_elements"] == [el.TEXT_INFORMING_MANAGEMENT]
    assert manager.post(f"{_version(draft)}/steps/submit", {}).json()["status"] == "in_review"
    approved = admin.post(f"{_version(draft)}/steps/approve", {})
    assert approved.status_code == 200 and len(approved.json()["content_hash"]) == 64
    assert approved.json()["approved_by"] == "admin"
    filed = admin.post(
        f"{_version(draft)}/filed",
        {"filed_on": timezone.localdate().isoformat(), "accession_number": ""},
    )
    assert filed.json()["status"] == "filed"
    newer = manager.patch(f"{_version(draft)}/texts", {"texts": {el.TEXT_EXPERTISE: "Changed."}})
    assert newer.json()["number"] == 2 and newer.json()["status"] == "draft"


@pytest.mark.parametrize("role", ROLES)
def test_approve_per_role(api_as, org, users, draft, role):
    services.submit_for_review(org, users["security_manager"], draft)
    response = api_as(role).post(f"{_version(draft)}/steps/approve", {})
    assert (response.status_code == 200) == (role in APPROVERS)


def test_an_unknown_step_names_the_field(api_as, draft):
    response = api_as("admin").post(f"{_version(draft)}/steps/teleport", {})
    assert response.status_code == 422
    assert "step" in response.json()["detail"]


def test_a_conflict_is_reported_not_raised(api_as, draft):
    response = api_as("admin").post(f"{_version(draft)}/steps/approve", {})  # still a draft
    assert response.status_code == 409


def test_download_text_rendering(api_as, draft):
    response = api_as("auditor").get(f"{_version(draft)}/download/txt")
    assert response.status_code == 200
    assert el.element(el.FLAG_INTEGRATED).label in response.content.decode()
