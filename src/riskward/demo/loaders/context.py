"""What the loaders share: the organization, the acting user, the load date, rows by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import models

from riskward.core.models import Organization, User

Create = Callable[[Organization, Any, Mapping[str, Any]], Any]
Update = Callable[[Organization, Any, Any, Mapping[str, Any]], Any]


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_comparable(item) for item in value)
    return value


def differs(row: models.Model, data: Mapping[str, Any]) -> bool:
    """True when saving `data` would change the row (a no-op save would still be audited)."""
    for name, wanted in data.items():
        field: Any = row._meta.get_field(name)
        if field.many_to_many:
            current: Any = sorted(getattr(row, name).values_list("pk", flat=True))
        elif field.is_relation:
            current = getattr(row, field.attname)
        else:
            current = field.to_python(getattr(row, name))
            wanted = field.to_python(wanted)
        if current != _comparable(wanted):
            return True
    return False


@dataclass
class Demo:
    """The state of one load. Rows are found again by their natural keys, never by id."""

    org: Organization
    actor: User
    today: date
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    departments: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, Any] = field(default_factory=dict)
    assets: dict[str, Any] = field(default_factory=dict)
    controls: dict[str, Any] = field(default_factory=dict)
    risks: dict[str, Any] = field(default_factory=dict)
    committees: dict[str, Any] = field(default_factory=dict)
    created: int = 0
    updated: int = 0  # existing rows that differed from the demo's data

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def days_ahead(self, days: int) -> date:
        return self.today + timedelta(days=days)

    def upsert(
        self,
        model: type[models.Model],
        key: Mapping[str, Any],
        data: Mapping[str, Any],
        create: Create,
        update: Update,
        initial: Mapping[str, Any] | None = None,
    ) -> Any:
        """Create the row through its service, or bring the existing one up to `data`.

        `initial` is given on creation only: state that later moves through the app's own
        workflow (a risk's status, say) is not forced back on the next load.
        """
        row = model._default_manager.filter(organization=self.org, **key).first()
        if row is None:
            self.created += 1
            return create(self.org, self.actor, {**key, **(initial or {}), **data})
        if not differs(row, data):
            return row
        self.updated += 1
        return update(self.org, self.actor, row, data)
