"""Writing and verifying the audit trail. Every domain service calls `record()`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from riskward.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent

Action = AuditEvent.Action


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's own field values (foreign keys as ids, many-to-many as sorted id lists)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    if instance.pk is not None:
        for m2m in instance._meta.many_to_many:
            data[m2m.name] = sorted(getattr(instance, m2m.name).values_list("pk", flat=True))
    for secret in ("password", "token_hash", "key"):
        if secret in data:
            data[secret] = "***"
    return data


def event_digest(fields: dict[str, Any]) -> str:
    """SHA-256 over a canonical JSON of the event's fields (sorted keys, no spaces)."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "organization": event.organization_id,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "created_at": event.created_at.isoformat(),
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "previous_hash": event.previous_hash,
    }


@transaction.atomic
def record(
    *,
    organization: Any,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    event = AuditEvent(
        organization_id=getattr(organization, "pk", organization),
        actor_id=getattr(actor, "pk", None),
        actor_label=getattr(actor, "username", "") or "system",
        created_at=timezone.now(),
        action=action,
        object_type=object_type or (instance._meta.label if instance is not None else ""),
        object_id=str(instance.pk) if instance is not None and instance.pk is not None else "",
        object_repr=str(instance)[:300] if instance is not None else "",
        before=before,
        after=after,
        previous_hash=head.last_hash,
    )
    event.hash = event_digest(_hashed_fields(event))
    event.save()
    head.last_hash = event.hash
    head.length += 1
    head.save(update_fields=["last_hash", "length"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    message: str


def verify_chain(batch_size: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Walk the whole chain in id order; return (events checked, problems found)."""
    problems: list[ChainProblem] = []
    expected_previous = GENESIS_HASH
    count = 0
    for event in _events_in_order(batch_size):
        count += 1
        if event.previous_hash != expected_previous:
            problems.append(
                ChainProblem(
                    event.id,
                    "previous_hash does not match: an event before it was deleted or altered",
                )
            )
        if event_digest(_hashed_fields(event)) != event.hash:
            problems.append(ChainProblem(event.id, "content does not match its hash: edited"))
        expected_previous = event.hash
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.length != count or head.last_hash != expected_previous):
        problems.append(
            ChainProblem(
                None,
                f"chain head records {head.length} events ending in "
                f"{head.last_hash[:12]}, found {count}: newest events were removed",
            )
        )
    return count, problems


def _events_in_order(batch_size: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
