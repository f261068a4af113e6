"""The REST API under /api/v1/: one Router per app, token or session auth, JSON errors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from riskward.assets.api import router as assets_router
from riskward.audit.api import router as audit_router
from riskward.controls.api import router as controls_router
from riskward.core.api import router as core_router
from riskward.core.services import user_for_token
from riskward.disclosure.api import router as disclosure_router
from riskward.governance.api import router as governance_router
from riskward.incidents.api import router as incidents_router
from riskward.lib.errors import DomainError
from riskward.program.api import router as program_router
from riskward.risks.api import router as risks_router


class TokenAuth(HttpBearer):
    """Personal access tokens: `Authorization: Bearer rw_...`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return user_for_token(token)


class SessionAuth(APIKeyCookie):
    """The browser session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Riskward API",
    version="1",
    description="The cybersecurity risk program's record: CRUD for every register.",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"detail": error.message}
    if error.field:
        body["field"] = error.field
    problems = getattr(error, "problems", None)
    if problems:
        body["problems"] = [{"row": r, "column": c, "message": m} for r, c, m in problems]
    return api.create_response(request, body, status=error.status)


# Parts of a pydantic error location that say where, not which field.
_WRAPPERS = {"body", "query", "path", "payload", "filters", "form", "file"}


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    fields = [
        ".".join(str(part) for part in item.get("loc", []) if part not in _WRAPPERS)
        for item in error.errors
    ]
    return api.create_response(request, {"detail": error.errors, "fields": fields}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Authentication required: a session or a personal access token."},
        status=401,
    )


api.add_router("/core/", core_router)
api.add_router("/audit/", audit_router)
api.add_router("/assets/", assets_router)
api.add_router("/controls/", controls_router)
api.add_router("/risks/", risks_router)
api.add_router("/program/", program_router)
api.add_router("/governance/", governance_router)
api.add_router("/incidents/", incidents_router)
api.add_router("/disclosure/", disclosure_router)
