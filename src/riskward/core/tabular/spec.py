"""How a register looks as a table, and the registry apps add their tables to."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import QuerySet

from riskward.core.listing import ListSpec
from riskward.lib.errors import NotFound

LIST_SEPARATOR = ";"
INTEGER_TYPES = frozenset(
    {
        "IntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
    }
)
Problem = tuple[int, str, str]  # (row number, column header, message)


@dataclass(frozen=True)
class Column:
    """One column: `header` as files spell it, `field` on the model.

    Relations name their rows by `lookup`, a field of the related model (a person's name, a
    control's reference); a tuple of field paths names them by several values joined with ":"
    (a requirement as "nist-csf-2.0:GV.OC-01"). Many-to-many cells list names separated by ";".
    `parse` (text to value, raising ValueError with the message to show) and `format` (row to
    cell) replace the conversions derived from the model field; an `export_only` column (a
    derived score, say) is written by exports and ignored by imports.
    """

    header: str
    field: str
    lookup: str | tuple[str, ...] = ""
    required: bool | None = None  # None: required when the model field is
    parse: Callable[[str], Any] | None = None
    format: Callable[[Any], Any] | None = None
    export_only: bool = False
    help: str = ""  # for the import page, when the derived description is not enough


@dataclass(frozen=True)
class TableSpec:
    """A register as a table: its columns, its natural key and the services that write rows."""

    key: str  # URL and CLI name, e.g. "assets"
    model: type[models.Model]
    columns: Sequence[Column]
    natural_key: str  # the field that names a row in this organization: "name", "reference"
    create: Callable[..., Any]  # (org, actor, data) -> row
    update: Callable[..., Any]  # (org, actor, row, data) -> row
    listing: ListSpec | None = None  # exports honour the register's filters, search and sort
    list_url: str = ""  # URL name of the register page, e.g. "assets:asset_list"
    # Annotations the listing's filters and sorts rely on (the register page's own `prepare`).
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    # Run once (org) before an import's rows, inside its transaction: defaults rows refer to.
    setup: Callable[[Any], object] | None = None

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def key_column(self) -> Column:
        return next(c for c in self.columns if c.field == self.natural_key)

    def model_field(self, column: Column) -> Any:
        return self.model._meta.get_field(column.field)

    def is_required(self, column: Column) -> bool:
        if column.export_only:
            return False
        if column.required is not None:
            return column.required
        f = self.model_field(column)
        return not (f.many_to_many or f.blank or f.null or f.has_default())

    def header_for(self, field_name: str | None) -> str:
        for column in self.columns:
            if column.field == field_name:
                return column.header
        return field_name or ""


_TABLES: dict[str, TableSpec] = {}


def register_table(spec: TableSpec) -> None:
    """Make a register importable and exportable; apps call this from AppConfig.ready()."""
    fields = {f.name: f for f in spec.model._meta.get_fields()}
    for column in spec.columns:
        model_field = fields.get(column.field)
        if column.export_only and column.format is not None:
            continue  # any attribute of the row will do
        if model_field is None:
            raise ImproperlyConfigured(f"table {spec.key}: no field {column.field!r}")
        if model_field.is_relation and not column.lookup and column.parse is None:
            raise ImproperlyConfigured(f"table {spec.key}: column {column.header!r} needs lookup")
    if not any(c.field == spec.natural_key for c in spec.columns):
        raise ImproperlyConfigured(f"table {spec.key}: natural key has no column")
    known = _TABLES.get(spec.key)
    if known is not None and known != spec:
        raise ImproperlyConfigured(f"two tables are registered as {spec.key!r}")
    _TABLES[spec.key] = spec


def table(key: str) -> TableSpec:
    spec = _TABLES.get(key)
    if spec is None:
        raise NotFound(f"No register called {key!r} can be imported or exported.")
    return spec


def tables() -> list[TableSpec]:
    return sorted(_TABLES.values(), key=lambda spec: spec.key)


def table_for_model(model: type[models.Model]) -> TableSpec | None:
    return next((spec for spec in _TABLES.values() if spec.model is model), None)


def lookup_paths(lookup: str | tuple[str, ...]) -> tuple[str, ...]:
    return (lookup,) if isinstance(lookup, str) else lookup


def lookup_value(row: models.Model, lookup: str | tuple[str, ...]) -> str:
    """How a file names `row`: its lookup field, or several joined by ":"."""
    parts = []
    for path in lookup_paths(lookup):
        value: Any = row
        for name in path.split("__"):
            value = getattr(value, name)
        parts.append(str(value))
    return ":".join(parts)


def describe(spec: TableSpec, column: Column) -> str:
    """What a cell of this column may hold, for the import page's column guide."""
    if column.help:
        return column.help
    if column.export_only:
        return "written by exports for reading; ignored on import"
    f = spec.model_field(column)
    text = _kind_of_value(f, column)
    return f"{text}. {f.help_text}" if f.help_text else text


def _kind_of_value(f: Any, column: Column) -> str:
    if f.is_relation and column.lookup:
        related = f.related_model._meta
        how = ":".join(p.split("__")[-1].replace("_", " ") for p in lookup_paths(column.lookup))
        if f.many_to_many:
            return f"{related.verbose_name_plural} by {how}, separated by “;”"
        return f"a {related.verbose_name} by {how}"
    if f.choices:
        return "one of: " + ", ".join(str(label) for _, label in f.flatchoices)
    internal = f.get_internal_type()
    if internal == "BooleanField":
        return "yes or no"
    if internal in INTEGER_TYPES:
        low = [v.limit_value for v in f.validators if isinstance(v, MinValueValidator)]
        high = [v.limit_value for v in f.validators if isinstance(v, MaxValueValidator)]
        return f"a whole number from {low[0]} to {high[0]}" if low and high else "a whole number"
    if internal == "DecimalField":
        return "a number"
    if internal == "DateField":
        return "a date, YYYY-MM-DD"
    return f"text, up to {f.max_length} characters" if f.max_length else "text"
