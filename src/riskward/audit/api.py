from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from riskward.audit.models import AuditEvent
from riskward.core import rbac

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str


@router.get("/events", response=list[AuditEventOut], operation_id="list_audit_event")
@paginate(LimitOffsetPagination)
def list_events(request: HttpRequest, object_type: str = "", action: str = "") -> Any:
    user = request.auth  # type: ignore[attr-defined]
    rbac.require(user, rbac.Cap.VIEW_AUDIT)
    rows = AuditEvent.objects.for_org(user.organization)
    if object_type:
        rows = rows.filter(object_type=object_type)
    if action:
        rows = rows.filter(action=action)
    return rows.order_by("-id")
