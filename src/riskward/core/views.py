"""Sign-in, account (tokens, two-factor), and the organization profile."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from riskward.core import rbac, services
from riskward.core.auth import check_login
from riskward.core.forms import LoginForm, OrganizationForm
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view
from riskward.lib.errors import InvalidInput, PermissionDenied


def login_view(request: OrgRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    error = None
    if request.method == "POST":
        try:
            user, device = check_login(
                request,
                request.POST.get("username", ""),
                request.POST.get("password", ""),
                request.POST.get("otp_token", ""),
            )
        except PermissionDenied as denied:
            error = denied.message
        else:
            login(request, user)
            if device is not None:
                otp_login(request, device)
            return redirect(request.GET.get("next") or "/")
    return render(
        request, "core/login.html", {"form": form, "error": error}, status=401 if error else 200
    )


@require_POST
def logout_view(request: OrgRequest) -> HttpResponse:
    logout(request)
    return redirect("core:login")


def home(request: OrgRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("core:login")
    if rbac.has_cap(request.user, rbac.Cap.VIEW_DASHBOARD):
        return redirect("dashboard:home")
    return render(
        request,
        "error.html",
        {
            "status": 403,
            "message": "Your account has no role in an organization yet. Ask an administrator.",
        },
        status=403,
    )


@login_required
def account(request: OrgRequest) -> HttpResponse:
    user = request.user
    new_secret = None
    if request.method == "POST" and request.POST.get("action") == "issue":
        try:
            _, new_secret = services.issue_token(user, request.POST.get("name", ""))  # type: ignore[arg-type]
        except InvalidInput as error:
            messages.error(request, error.message)
    devices = TOTPDevice.objects.filter(user=user)
    return render(
        request,
        "core/account.html",
        {
            "tokens": user.api_tokens.all(),  # type: ignore[union-attr]
            "new_secret": new_secret,
            "totp_confirmed": devices.filter(confirmed=True).exists(),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=pk).first()  # type: ignore[union-attr]
    if token is not None:
        services.revoke_token(request.user, token)  # type: ignore[arg-type]
        messages.success(request, f"Revoked {token}.")
    return redirect("core:account")


@login_required
def totp_setup(request: OrgRequest) -> HttpResponse:
    """Create an unconfirmed device, show its key, confirm it with a first code."""
    device = services.pending_totp_device(request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        if services.confirm_totp(request.user, device, request.POST.get("otp_token", "")):  # type: ignore[arg-type]
            messages.success(request, "Two-factor authentication is on.")
            return redirect("core:account")
        messages.error(request, "That code did not match; check the clock on your device.")
    key = base64.b32encode(device.bin_key).decode()
    return render(request, "core/totp_setup.html", {"key": key, "uri": device.config_url})


@org_view(rbac.Cap.VIEW_RECORDS)
def organization(request: OrgRequest) -> HttpResponse:
    org = request.org
    editing = request.GET.get("edit") == "1" or request.method == "POST"
    if editing:
        rbac.require(request.user, rbac.Cap.MANAGE_ORG)
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(request.user, org, form.cleaned_data)  # type: ignore[arg-type]
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Saved the organization profile.")
            return redirect("core:organization")
    return render(
        request,
        "core/organization.html",
        {
            "org": org,
            "form": form,
            "editing": editing,
            "can_manage": rbac.has_cap(request.user, rbac.Cap.MANAGE_ORG),
        },
    )
