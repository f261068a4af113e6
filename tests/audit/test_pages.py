from __future__ import annotations

import pytest

from riskward.assets import services
from tests.conftest import ROLES
from tests.roles import AUDIT_READERS


@pytest.fixture
def change(org, users):
    return services.create_asset(org, users["admin"], {"name": "Tracked", "kind": "network"})


@pytest.mark.parametrize("role", ROLES)
def test_audit_trail_page_and_export_per_role(client_as, change, role):
    client = client_as(role)
    page = client.get("/audit/")
    export = client.get("/audit/export.csv")
    if role in AUDIT_READERS:
        assert page.status_code == 200 and b"Tracked" in page.content
        body = b"".join(export.streaming_content)
        assert b"Tracked" in body and body.startswith(b"id,created_at")
    elif role == "outsider":
        assert b"Tracked" not in page.content
        assert b"Tracked" not in b"".join(export.streaming_content)
    else:
        assert (page.status_code, export.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
def test_audit_api_per_role(api_as, change, role):
    response = api_as(role).get("/api/v1/audit/events", object_type="assets.Asset")
    if role in AUDIT_READERS:
        assert response.json()["items"][0]["object_repr"] == "Tracked"
    elif role == "outsider":
        assert response.json()["count"] == 0
    else:
        assert response.status_code == 403
