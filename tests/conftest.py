"""Shared fixtures: two organizations and one user per role, plus an outsider.

`client_as(role)` signs in a Django test client; `api_as(role)` returns an API client carrying
that user's personal access token. Role names: admin, security_manager, risk_owner, auditor,
board_member and "outsider" (an admin of another organization).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from riskward.core import services
from riskward.core.models import Organization, Person, Role, User

ROLES = ["admin", "security_manager", "risk_owner", "auditor", "board_member", "outsider"]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def org(db: Any) -> Organization:
    return services.create_organization(
        None,
        {
            "legal_name": "Example Holdings Ltd.",
            "short_name": "Example",
            "cik": "0000123456",
            "filer_type": "20-F",
            "materiality_threshold": "5000000.00",
        },
    )


@pytest.fixture
def other_org(db: Any) -> Organization:
    return services.create_organization(None, {"legal_name": "Other Corp", "cik": "0000999999"})


@pytest.fixture
def users(org: Organization, other_org: Organization) -> dict[str, User]:
    made = {}
    for role in Role.values:
        made[role] = services.create_user(org, None, username=role, role=role, password=PASSWORD)
    made["outsider"] = services.create_user(
        other_org, None, username="outsider", role=Role.ADMIN, password=PASSWORD
    )
    Person.objects.create(organization=org, name="Rita Owner", user=made["risk_owner"])
    return made


@pytest.fixture
def client_as(users: dict[str, User]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


class ApiClient:
    """A thin JSON client that sends a bearer token, like a script would."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(path, data, content_type="application/json", headers=self.headers)

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(path, data, content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def api_as(users: dict[str, User]) -> Callable[[str], ApiClient]:
    def make(role: str) -> ApiClient:
        _, secret = services.issue_token(users[role], "tests")
        return ApiClient(secret)

    return make
