"""Importing a sheet into a register: all rows through the app's service, or none."""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from riskward.audit import services as audit
from riskward.core.tabular.reading import Row, Sheet, norm, refused, text_of
from riskward.core.tabular.spec import (
    INTEGER_TYPES,
    LIST_SEPARATOR,
    Column,
    Problem,
    TableSpec,
    lookup_paths,
    lookup_value,
)
from riskward.lib.errors import DomainError, ImportRejected

TEXT_TYPES = frozenset({"CharField", "TextField", "EmailField", "URLField", "SlugField"})
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})


Lookup = str | tuple[str, ...]


class _Omit:
    """An empty cell for a field with a default: the default on create, unchanged on update."""


OMIT = _Omit()


def _parse(spec: TableSpec, column: Column, raw: Any) -> Any:
    """One cell as the value to give the service; ValueError carries the message to show."""
    model_field = spec.model_field(column)
    text = text_of(raw)
    if not text:
        return _empty(spec, column, model_field)
    if column.parse is not None:
        return column.parse(text)
    if model_field.many_to_many:
        return [name.strip() for name in text.split(LIST_SEPARATOR) if name.strip()]
    if model_field.is_relation:
        return text  # a name, resolved when the row is written (earlier rows count)
    value = _convert(model_field, raw, text)
    try:
        # The field's own checks (length, range) here, so one row can report several columns.
        model_field.clean(value, None)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return value


def _convert(model_field: Any, raw: Any, text: str) -> Any:
    if model_field.choices:
        return _choice(model_field, text)
    internal = model_field.get_internal_type()
    if internal == "BooleanField":
        return _boolean(raw, text)
    if internal in INTEGER_TYPES:
        return _integer(raw, text)
    if internal == "DecimalField":
        return _decimal(text)
    if internal == "DateField":
        return _date(raw, text)
    return text


def _empty(spec: TableSpec, column: Column, model_field: Any) -> Any:
    if model_field.many_to_many:
        return []
    if spec.is_required(column):
        raise ValueError("is required")
    if model_field.null:
        return None
    if model_field.get_internal_type() in TEXT_TYPES and not model_field.has_default():
        return ""
    return OMIT  # the model's default, or what the service fills in (a default matrix, say)


def _choice(model_field: Any, text: str) -> Any:
    wanted = norm(text)
    for value, label in model_field.flatchoices:
        if wanted in {norm(value), norm(label)}:
            return value
    labels = ", ".join(str(label) for _, label in model_field.flatchoices)
    raise ValueError(f"“{text}” is not one of: {labels}")


def _boolean(raw: Any, text: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if text.casefold() in TRUE_WORDS:
        return True
    if text.casefold() in FALSE_WORDS:
        return False
    raise ValueError(f"“{text}” is not yes or no")


def _integer(raw: Any, text: str) -> int:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        return int(raw)
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a whole number") from None


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number") from None


def _date(raw: Any, text: str) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date written as YYYY-MM-DD") from None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class _Parsed:
    number: int
    values: dict[str, Any]  # field name -> value; relations still hold names


def import_table(
    org: Any, actor: Any, spec: TableSpec, sheet: Sheet, *, update: bool = False, source: str = ""
) -> ImportResult:
    """Create (and, in update mode, change) every row of `sheet`, or nothing at all.

    Each row goes through the app's service; rows whose natural key already exists are
    refused, or updated when `update` is set. Every problem in every row is collected and
    raised together as ImportRejected, after rolling back everything, audit events included.
    """
    bound, problems = _bind(spec, sheet, update)
    if problems:
        raise ImportRejected(problems)
    if not sheet.rows:
        raise refused("The file has a header row but no data rows.")
    importer = _Importer(org, actor, spec, update, sheet, bound)
    with transaction.atomic():
        if spec.setup is not None:
            spec.setup(org)
        result = importer.run()
        if importer.problems:
            raise ImportRejected(sorted(importer.problems, key=lambda p: p[0]))
        audit.record(
            organization=org,
            actor=actor,
            action=audit.Action.IMPORT,
            object_type=spec.model._meta.label,
            after={"table": spec.key, "source": source, "update": update, **asdict(result)},
        )
    return result


def _bind(
    spec: TableSpec, sheet: Sheet, update: bool
) -> tuple[list[tuple[int, Column]], list[Problem]]:
    """Match headers to columns (by header or field name, any case); problems are in row 1."""
    known: dict[str, Column] = {}
    for column in spec.columns:
        known.setdefault(norm(column.header), column)
        known.setdefault(norm(column.field), column)
    bound: list[tuple[int, Column]] = []
    problems: list[Problem] = []
    for index, header in enumerate(sheet.headers):
        matched = known.get(norm(header))
        if not header:
            if any(index < len(r.cells) and text_of(r.cells[index]) for r in sheet.rows):
                problems.append((1, f"column {index + 1}", "has values but no header"))
        elif matched is None:
            expected = ", ".join(c.header for c in spec.columns)
            problems.append((1, header, f"unknown column; the columns are: {expected}"))
        elif any(c is matched for _, c in bound):
            problems.append((1, header, "appears twice"))
        elif not matched.export_only:
            bound.append((index, matched))
    present = {c.field for _, c in bound}
    for column in spec.columns:
        needed = column.field == spec.natural_key if update else spec.is_required(column)
        if needed and column.field not in present:
            problems.append((1, column.header, "this column is required but missing"))
    return bound, problems


class _Importer:
    """One import run: parses rows, resolves names, calls the services, collects problems."""

    def __init__(
        self,
        org: Any,
        actor: Any,
        spec: TableSpec,
        update: bool,
        sheet: Sheet,
        bound: list[tuple[int, Column]],
    ) -> None:
        self.org, self.actor, self.spec, self.update = org, actor, spec, update
        self.sheet, self.bound = sheet, bound
        self.problems: list[Problem] = []
        self.refused: set[int] = set()
        self.indexes: dict[tuple[type[models.Model], Lookup], dict[str, list[int]]] = {}
        key_index = next((i for i, c in bound if c.field == spec.natural_key), None)
        # Where each name sits in the file, to explain a reference to a refused row.
        self.rows_by_key = {
            norm(text_of(row.cells[key_index])): row.number
            for row in reversed(sheet.rows)
            if key_index is not None and key_index < len(row.cells)
        }

    def problem(self, number: int, header: str, message: str) -> None:
        self.problems.append((number, header, message))
        self.refused.add(number)

    def run(self) -> ImportResult:
        parsed = [self.parse(row) for row in self.sheet.rows]
        self.check_duplicates(parsed)
        result = ImportResult()
        for item in self.ordered(parsed):
            data = self.resolve(item)  # refused rows too: every problem is reported at once
            if item.number in self.refused:
                continue
            outcome = self.write(item, data)
            if outcome:
                setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def parse(self, row: Row) -> _Parsed:
        values: dict[str, Any] = {}
        for index, column in self.bound:
            raw = row.cells[index] if index < len(row.cells) else None
            try:
                value = _parse(self.spec, column, raw)
            except ValueError as error:
                self.problem(row.number, column.header, str(error))
                continue
            if value is not OMIT:
                values[column.field] = value
        extra = [cell for cell in row.cells[len(self.sheet.headers) :] if text_of(cell)]
        if extra:
            self.problem(row.number, "", f"{len(extra)} value(s) to the right of the last column")
        return _Parsed(row.number, values)

    def check_duplicates(self, parsed: list[_Parsed]) -> None:
        first: dict[str, int] = {}
        for item in parsed:
            name = item.values.get(self.spec.natural_key)
            if not name:
                continue
            if norm(name) in first:
                message = f"“{name}” is already in row {first[norm(name)]}"
                self.problem(item.number, self.spec.key_column.header, message)
            else:
                first[norm(name)] = item.number

    def _self_references(self, item: _Parsed) -> list[str]:
        """Names of other rows of this register that `item` refers to (an asset's dependencies)."""
        names: list[str] = []
        for _, column in self.bound:
            model_field = self.spec.model_field(column)
            if (
                model_field.related_model is self.spec.model
                and column.lookup == self.spec.natural_key
            ):
                value = item.values.get(column.field)
                names.extend(value if isinstance(value, list) else [value] if value else [])
        return names

    def ordered(self, parsed: list[_Parsed]) -> list[_Parsed]:
        """File order, except that a row other rows refer to is written before them."""
        by_key: dict[str, _Parsed] = {}
        for item in reversed(parsed):
            by_key[norm(item.values.get(self.spec.natural_key))] = item
        position = {item.number: index for index, item in enumerate(parsed)}
        waiting: dict[int, int] = {}  # row number -> rows of this file it still waits for
        users: dict[int, list[_Parsed]] = {}
        for item in parsed:
            needed = {
                by_key[norm(n)].number for n in self._self_references(item) if norm(n) in by_key
            }
            needed.discard(item.number)
            waiting[item.number] = len(needed)
            for number in needed:
                users.setdefault(number, []).append(item)
        ready = [
            (item.number, index) for index, item in enumerate(parsed) if not waiting[item.number]
        ]
        heapq.heapify(ready)
        result: list[_Parsed] = []
        while ready:
            _, index = heapq.heappop(ready)
            result.append(parsed[index])
            for user in users.get(parsed[index].number, []):
                waiting[user.number] -= 1
                if not waiting[user.number]:
                    heapq.heappush(ready, (user.number, position[user.number]))
        placed = {item.number for item in result}
        return result + [item for item in parsed if item.number not in placed]  # in a loop

    def index(self, model: type[models.Model], lookup: Lookup) -> dict[str, list[int]]:
        """Rows of `model` in this organization by how files name them (one query each)."""
        if (model, lookup) not in self.indexes:
            rows = model._default_manager.all()
            if any(f.name == "organization" for f in model._meta.fields):
                rows = rows.filter(organization=self.org)
            found: dict[str, list[int]] = {}
            for pk, *values in rows.values_list("pk", *lookup_paths(lookup)):
                found.setdefault(norm(":".join(str(v) for v in values)), []).append(pk)
            self.indexes[(model, lookup)] = found
        return self.indexes[(model, lookup)]

    def find(self, model: type[models.Model], lookup: Lookup, name: str) -> int:
        matches = self.index(model, lookup).get(norm(name), [])
        if len(matches) == 1:
            return matches[0]
        plural = model._meta.verbose_name_plural
        if not isinstance(lookup, str):  # a composite name is unique by the model's constraint
            raise ValueError(f"no {model._meta.verbose_name} “{name}”")
        if matches:
            raise ValueError(f"{len(matches)} {plural} have the {lookup} “{name}”; make it unique")
        row = self.rows_by_key.get(norm(name))
        if model is self.spec.model and lookup == self.spec.natural_key and row:
            if row in self.refused:
                raise ValueError(f"“{name}” is in row {row}, which has problems")
            raise ValueError(f"“{name}” (row {row}) and this row refer to each other in a loop")
        raise ValueError(f"no {model._meta.verbose_name} with the {lookup} “{name}”")

    def resolve(self, item: _Parsed) -> dict[str, Any]:
        """Names in relation columns turned into ids of this organization's rows."""
        data = dict(item.values)
        for _, column in self.bound:
            model_field = self.spec.model_field(column)
            value = data.get(column.field)
            if not model_field.is_relation or column.parse is not None or value is None:
                continue
            related, lookup = model_field.related_model, column.lookup
            try:
                if model_field.many_to_many:
                    data[column.field] = [self.find(related, lookup, name) for name in value]
                else:
                    data[column.field] = self.find(related, lookup, value)
            except ValueError as error:
                self.problem(item.number, column.header, str(error))
        return data

    def write(self, item: _Parsed, data: dict[str, Any]) -> str | None:
        """Create or update one row in its own savepoint; returns which, or None if refused."""
        name = data.get(self.spec.natural_key, "")
        existing = self.index(self.spec.model, self.spec.natural_key).get(norm(name), [])
        header = self.spec.key_column.header
        if existing and not self.update:
            self.problem(item.number, header, f"“{name}” already exists; import in update mode")
            return None
        if len(existing) > 1:
            self.problem(item.number, header, f"{len(existing)} records are named “{name}”")
            return None
        try:
            with transaction.atomic():
                return self.save(existing[0] if existing else None, data)
        except DomainError as error:
            message = (
                error.message.removeprefix(f"{error.field}: ") if error.field else error.message
            )
            self.problem(item.number, self.spec.header_for(error.field), message)
        except IntegrityError:
            self.problem(item.number, "", "conflicts with a record that already exists")
        return None

    def save(self, pk: int | None, data: dict[str, Any]) -> str:
        spec = self.spec
        if pk is None:
            row = spec.create(self.org, self.actor, data)
            for (model, lookup), found in self.indexes.items():
                if model is spec.model:  # later rows may refer to this one
                    found.setdefault(norm(lookup_value(row, lookup)), []).append(row.pk)
            return "created"
        instance = spec.model._default_manager.get(pk=pk)
        changes = _changes(instance, data)
        if not changes:
            return "unchanged"
        spec.update(self.org, self.actor, instance, changes)
        return "updated"


def _changes(instance: models.Model, data: Mapping[str, Any]) -> dict[str, Any]:
    """The part of `data` that differs from the row, so unchanged rows write no audit event."""
    changed: dict[str, Any] = {}
    for name, value in data.items():
        model_field: Any = instance._meta.get_field(name)
        if model_field.many_to_many:
            current: Any = set(getattr(instance, name).values_list("pk", flat=True))
            differs = current != set(value)
        else:
            differs = getattr(instance, model_field.attname) != value
        if differs:
            changed[name] = value
    return changed


def problem_line(problem: Problem) -> str:
    number, header, message = problem
    return f"row {number}, column {header}: {message}" if header else f"row {number}: {message}"
