"""Sign-in: lockout after repeated failures, TOTP when enabled, tokens for the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from riskward.audit.models import AuditEvent
from riskward.core import services
from tests.conftest import PASSWORD, ApiClient


def _login(client: Client, username: str, password: str, otp: str = "") -> int:
    return client.post(
        "/login/", {"username": username, "password": password, "otp_token": otp}
    ).status_code


def test_good_password_signs_in_and_is_audited(users):
    client = Client()
    assert _login(client, "admin", PASSWORD) == 302
    assert client.get("/dashboard/").status_code in (200, 404)  # dashboard app may be empty
    assert AuditEvent.objects.filter(action="login", actor_label="admin").exists()


def test_wrong_password_is_generic_and_counted(users):
    client = Client()
    response = client.post("/login/", {"username": "admin", "password": "nope"})
    assert response.status_code == 401
    assert b"Wrong username, password or authenticator code" in response.content
    users["admin"].refresh_from_db()
    assert users["admin"].failed_logins == 1


@override_settings(LOGIN_MAX_FAILURES=3, LOCKOUT_MINUTES=15)
def test_lockout_after_repeated_failures_even_with_right_password(users):
    client = Client()
    for _ in range(3):
        _login(client, "auditor", "wrong")
    response = client.post("/login/", {"username": "auditor", "password": PASSWORD})
    assert response.status_code == 401
    assert b"locked" in response.content
    assert AuditEvent.objects.filter(action="lockout").count() == 1


@override_settings(LOGIN_MAX_FAILURES=3, LOCKOUT_MINUTES=15)
def test_lock_expires(users):
    user = users["auditor"]
    user.locked_until = timezone.now() - timedelta(seconds=1)
    user.save()
    assert _login(Client(), "auditor", PASSWORD) == 302


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # django-otp slows retries; not under test here
def test_totp_required_once_confirmed(users):
    device = TOTPDevice.objects.create(user=users["admin"], name="phone", confirmed=True)
    assert _login(Client(), "admin", PASSWORD) == 401
    assert _login(Client(), "admin", PASSWORD, "000000") == 401
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert _login(Client(), "admin", PASSWORD, code) == 302


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_totp_setup_confirms_with_a_valid_code(client_as, users):
    client = client_as("auditor")
    assert client.get("/account/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=users["auditor"], confirmed=False)
    client.post("/account/two-factor/", {"otp_token": "123"})
    device.refresh_from_db()
    assert not device.confirmed
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post("/account/two-factor/", {"otp_token": code})
    device.refresh_from_db()
    assert device.confirmed


def test_token_is_stored_hashed_and_shown_once(users):
    token, secret = services.issue_token(users["admin"], "ci")
    assert secret.startswith("rw_")
    assert secret not in token.token_hash and len(token.token_hash) == 64
    assert services.user_for_token(secret) == users["admin"]
    assert services.user_for_token(secret + "x") is None


def test_expired_token_is_refused(users):
    token, secret = services.issue_token(users["admin"], "old", days=1)
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save()
    assert ApiClient(secret).get("/api/v1/core/me").status_code == 401


def test_account_page_issues_and_revokes_tokens(client_as, users):
    client = client_as("security_manager")
    response = client.post("/account/", {"action": "issue", "name": "script"})
    assert b"rw_" in response.content
    token = users["security_manager"].api_tokens.get()
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(client_as, users):
    token, _ = services.issue_token(users["admin"], "mine")
    client_as("auditor").post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("path", ["/assets/asset/", "/audit/", "/account/", "/organization/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_session_api_write_requires_csrf(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    response = client.post(
        "/api/v1/assets/assets", {"name": "x", "kind": "network"}, content_type="application/json"
    )
    assert response.status_code == 403
