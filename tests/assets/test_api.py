from __future__ import annotations

import pytest

from riskward.assets.models import Asset
from tests.conftest import ROLES
from tests.roles import EDITORS, READERS


@pytest.fixture
def asset(org, users):
    return Asset.objects.create(organization=org, name="Core switch", kind="network")


@pytest.mark.parametrize("role", ROLES)
def test_read_endpoints_per_role(api_as, asset, role):
    api = api_as(role)
    listing = api.get("/api/v1/assets/assets")
    one = api.get(f"/api/v1/assets/assets/{asset.pk}")
    if role in READERS:
        assert listing.status_code == 200
        assert listing.json()["items"][0]["name"] == "Core switch"
        assert one.status_code == 200
    elif role == "outsider":
        assert listing.json()["count"] == 0
        assert one.status_code == 404
    else:
        assert (listing.status_code, one.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
def test_write_endpoints_per_role(api_as, asset, role):
    api = api_as(role)
    created = api.post("/api/v1/assets/assets", {"name": "New", "kind": "application"})
    patched = api.patch(f"/api/v1/assets/assets/{asset.pk}", {"name": "Renamed"})
    deleted = api.delete(f"/api/v1/assets/assets/{asset.pk}")
    if role in EDITORS:
        assert (created.status_code, patched.status_code, deleted.status_code) == (201, 200, 204)
    elif role == "outsider":
        assert created.status_code == 201  # into their own organization
        assert (patched.status_code, deleted.status_code) == (404, 404)
        assert Asset.objects.get(name="New").organization.legal_name == "Other Corp"
    else:
        assert (created.status_code, patched.status_code, deleted.status_code) == (403, 403, 403)


def test_unknown_field_is_422_naming_it(api_as):
    response = api_as("admin").post(
        "/api/v1/assets/assets", {"name": "X", "kind": "network", "colour": "red"}
    )
    assert response.status_code == 422
    assert "colour" in response.json()["fields"]


def test_bad_choice_is_422_naming_the_field(api_as):
    response = api_as("admin").post("/api/v1/assets/assets", {"name": "X", "kind": "spaceship"})
    assert response.status_code == 422
    assert response.json()["field"] == "kind"


def test_filters_and_pagination(api_as, org):
    Asset.objects.bulk_create(
        Asset(organization=org, name=f"S{i:02}", kind="infrastructure", internet_facing=i < 5)
        for i in range(30)
    )
    api = api_as("auditor")
    body = api.get("/api/v1/assets/assets", internet_facing="true", limit=2).json()
    assert body["count"] == 5
    assert len(body["items"]) == 2
    assert (
        api.get("/api/v1/assets/assets", sort="-name", limit=1).json()["items"][0]["name"] == "S29"
    )


def test_no_credentials_is_401(client):
    assert client.get("/api/v1/assets/assets").status_code == 401


def test_revoked_token_is_refused(users):
    from riskward.core import services
    from tests.conftest import ApiClient

    token, secret = services.issue_token(users["admin"], "script")
    services.revoke_token(users["admin"], token)
    assert ApiClient(secret).get("/api/v1/assets/assets").status_code == 401
