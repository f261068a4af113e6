"""Signing in: password (Argon2), lockout after repeated failures, optional TOTP."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django_otp import match_token, user_has_device

from riskward.core import services
from riskward.core.models import User
from riskward.lib.errors import PermissionDenied

GENERIC_FAILURE = "Wrong username, password or authenticator code."


def check_login(
    request: HttpRequest, username: str, password: str, otp_token: str
) -> tuple[User, Any]:
    """Return (user, otp device or None) or raise PermissionDenied with a message safe to show."""
    known = User.objects.filter(username=username).select_related("organization").first()
    if known is not None and services.is_locked(known):
        raise PermissionDenied(
            "This account is locked after repeated failed sign-ins. "
            "Try again later or ask an administrator."
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        if known is not None:
            services.register_failed_login(known)
        raise PermissionDenied(GENERIC_FAILURE)
    device = None
    if user_has_device(user):
        device = match_token(user, otp_token.strip()) if otp_token else None
        if device is None:
            services.register_failed_login(user)
            raise PermissionDenied(GENERIC_FAILURE)
    services.register_login(user)
    return user, device
