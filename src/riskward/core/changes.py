"""Audited, organization-scoped row changes that every app's services build on.

Each function runs in one transaction: validate, write, append the audit event. References to
other rows (ids from the API, instances from forms) must belong to the same organization.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from riskward.audit import services as audit
from riskward.lib.errors import InvalidInput

M = TypeVar("M", bound=models.Model)


def _scoped(org: Any, related: type[models.Model], value: Any, field: str) -> Any:
    if value is None or value == "":
        return None
    has_org = any(f.name == "organization" for f in related._meta.fields)
    if isinstance(value, models.Model):
        if has_org and value.organization_id != org.pk:  # type: ignore[attr-defined]
            raise InvalidInput(f"{field}: no such record in this organization", field)
        return value
    query = related._default_manager.filter(pk=value)
    if has_org:
        query = query.filter(organization=org)
    found = query.first()
    if found is None:
        raise InvalidInput(f"{field}: no record with id {value} in this organization", field)
    return found


def resolve_references(
    org: Any, model: type[models.Model], data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Split input into plain values and many-to-many lists, turning ids into scoped rows."""
    plain: dict[str, Any] = {}
    many: dict[str, list[Any]] = {}
    for name, value in data.items():
        field: Any = model._meta.get_field(name)
        if field.many_to_many:
            related = field.related_model
            many[name] = [_scoped(org, related, item, name) for item in (value or [])]
        elif field.is_relation and field.many_to_one:
            plain[name] = _scoped(org, field.related_model, value, name)
        elif value is None and not field.null:
            plain[name] = field.get_default()  # API clients send null for "not given"
        else:
            plain[name] = value
    return plain, many


def validate_row(instance: models.Model) -> None:
    """full_clean, turning the first error into an InvalidInput that names its field."""
    try:
        instance.full_clean()  # includes the unique constraints scoped by organization
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        label = None if field == "__all__" else field
        prefix = f"{label}: " if label else ""
        raise InvalidInput(f"{prefix}{' '.join(messages)}", label) from None


def _apply(org: Any, instance: models.Model, data: Mapping[str, Any]) -> dict[str, list[Any]]:
    plain, many = resolve_references(org, type(instance), data)
    for name, value in plain.items():
        setattr(instance, name, value)
    validate_row(instance)
    return many


def _without_timestamps(values: dict[str, Any]) -> dict[str, Any]:
    # `updated_at` changes on every save; a save that changed nothing else is not an event.
    return {k: v for k, v in values.items() if k != "updated_at"}


@transaction.atomic
def create_row(org: Any, actor: Any, model: type[M], data: Mapping[str, Any]) -> M:
    instance = model(organization=org) if hasattr(model, "organization_id") else model()
    many = _apply(org, instance, data)
    instance.save()
    for name, rows in many.items():
        getattr(instance, name).set(rows)
    audit.record(
        organization=org,
        actor=actor,
        action=audit.Action.CREATE,
        instance=instance,
        after=audit.snapshot(instance),
    )
    return instance


@transaction.atomic
def update_row(org: Any, actor: Any, instance: M, data: Mapping[str, Any]) -> M:
    before = audit.snapshot(instance)
    many = _apply(org, instance, data)
    instance.save()
    for name, rows in many.items():
        getattr(instance, name).set(rows)
    after = audit.snapshot(instance)
    if _without_timestamps(after) != _without_timestamps(before):
        audit.record(
            organization=org,
            actor=actor,
            action=audit.Action.UPDATE,
            instance=instance,
            before=before,
            after=after,
        )
    return instance


@transaction.atomic
def delete_row(org: Any, actor: Any, instance: models.Model) -> None:
    before = audit.snapshot(instance)
    audit.record(
        organization=org, actor=actor, action=audit.Action.DELETE, instance=instance, before=before
    )
    try:
        instance.delete()
    except models.ProtectedError as error:
        names = sorted({str(obj._meta.verbose_name) for obj in error.protected_objects})
        raise InvalidInput(
            f"Still referenced by: {', '.join(names)}. Remove those first."
        ) from None
