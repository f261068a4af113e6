"""Organizations, people, departments, users, login lockout and personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from riskward.audit import services as audit
from riskward.core.changes import create_row, delete_row, update_row, validate_row
from riskward.core.models import (
    ApiToken,
    Department,
    ErmCategory,
    Organization,
    Person,
    Role,
    User,
)
from riskward.lib.errors import InvalidInput, PermissionDenied

TOKEN_PREFIX = "rw_"  # noqa: S105 - a marker that makes leaked tokens greppable, not a secret


@transaction.atomic
def create_organization(actor: User | None, data: Mapping[str, Any]) -> Organization:
    org = Organization()
    for name, value in data.items():
        setattr(org, name, value)
    validate_row(org)
    org.save()
    audit.record(
        organization=org,
        actor=actor,
        action=audit.Action.CREATE,
        instance=org,
        after=audit.snapshot(org),
    )
    return org


@transaction.atomic
def update_organization(actor: User, org: Organization, data: Mapping[str, Any]) -> Organization:
    before = audit.snapshot(org)
    for name, value in data.items():
        setattr(org, name, value)
    validate_row(org)
    org.save()
    audit.record(
        organization=org,
        actor=actor,
        action=audit.Action.UPDATE,
        instance=org,
        before=before,
        after=audit.snapshot(org),
    )
    return org


def create_person(org: Organization, actor: Any, data: Mapping[str, Any]) -> Person:
    return create_row(org, actor, Person, data)


def update_person(org: Organization, actor: Any, person: Person, data: Mapping[str, Any]) -> Person:
    return update_row(org, actor, person, data)


def delete_person(org: Organization, actor: Any, person: Person) -> None:
    delete_row(org, actor, person)


def create_department(org: Organization, actor: Any, data: Mapping[str, Any]) -> Department:
    return create_row(org, actor, Department, data)


def update_department(
    org: Organization, actor: Any, department: Department, data: Mapping[str, Any]
) -> Department:
    return update_row(org, actor, department, data)


def delete_department(org: Organization, actor: Any, department: Department) -> None:
    delete_row(org, actor, department)


def create_erm_category(org: Organization, actor: Any, data: Mapping[str, Any]) -> ErmCategory:
    return create_row(org, actor, ErmCategory, data)


def update_erm_category(
    org: Organization, actor: Any, category: ErmCategory, data: Mapping[str, Any]
) -> ErmCategory:
    return update_row(org, actor, category, data)


def delete_erm_category(org: Organization, actor: Any, category: ErmCategory) -> None:
    delete_row(org, actor, category)


@transaction.atomic
def create_user(
    org: Organization, actor: Any, *, username: str, role: str, password: str, email: str = ""
) -> User:
    """Create a login in `org`; the password must pass Django's validators."""
    if role not in Role.values:
        raise InvalidInput(f"role must be one of {', '.join(Role.values)}", "role")
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"username {username!r} is taken", "username")
    user = User(username=username, email=email, organization=org, role=role)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput("password: " + " ".join(error.messages), "password") from None
    user.set_password(password)
    user.save()
    audit.record(
        organization=org,
        actor=actor,
        action=audit.Action.CREATE,
        instance=user,
        after=audit.snapshot(user),
    )
    return user


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > timezone.now()


@transaction.atomic
def register_failed_login(user: User) -> None:
    """Count a failure; lock the account for LOCKOUT_MINUTES after LOGIN_MAX_FAILURES in a row."""
    user.failed_logins += 1
    action = audit.Action.LOGIN_FAILED
    if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
        user.locked_until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
        user.failed_logins = 0
        action = audit.Action.LOCKOUT
    user.save(update_fields=["failed_logins", "locked_until"])
    audit.record(organization=user.organization, actor=user, action=action, instance=user)


@transaction.atomic
def register_login(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit.record(
        organization=user.organization, actor=user, action=audit.Action.LOGIN, instance=user
    )


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_token(user: User, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """Create a token; the returned secret is shown once and never stored."""
    if not name.strip():
        raise InvalidInput("name: give the token a name", "name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[:10],
        token_hash=_token_hash(secret),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit.record(
        organization=user.organization,
        actor=user,
        action=audit.Action.TOKEN,
        instance=token,
        after={"name": token.name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied("This token is not yours.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        organization=user.organization,
        actor=user,
        action=audit.Action.TOKEN,
        instance=token,
        after={"revoked": True},
    )


def user_for_token(secret: str) -> User | None:
    """The active user behind a token, or None if unknown, revoked or expired."""
    token = (
        ApiToken.objects.select_related("user", "user__organization")
        .filter(token_hash=_token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def pending_totp_device(user: User) -> TOTPDevice:
    """The user's not-yet-confirmed authenticator, created on first use of the set-up page."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator"}
    )
    return device


@transaction.atomic
def confirm_totp(user: User, device: TOTPDevice, code: str) -> bool:
    """Turn two-factor sign-in on once the first code matches; older devices are removed."""
    if not device.verify_token(code.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit.record(
        organization=user.organization,
        actor=user,
        action=audit.Action.UPDATE,
        instance=user,
        after={"two_factor": "enabled"},
    )
    return True
