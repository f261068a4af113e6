"""Exporting a register as CSV or XLSX with the headers the import reads back."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from django.db import models
from django.db.models import QuerySet

from riskward.audit import services as audit
from riskward.core.listing import search_rows, sort_rows
from riskward.core.tabular.spec import (
    LIST_SEPARATOR,
    Column,
    TableSpec,
    lookup_paths,
    lookup_value,
)

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_rows(
    org: Any, spec: TableSpec, params: Mapping[str, str] | None = None
) -> QuerySet[Any]:
    """The organization's rows, narrowed by the register's own filters and search in `params`."""
    rows: QuerySet[Any] = spec.model._default_manager.filter(organization=org)
    if spec.prepare is not None:
        rows = spec.prepare(rows)
    params = params or {}
    if spec.listing is not None:
        for declared in spec.listing.filters:
            value = (params.get(declared.param) or "").strip()
            if value:
                rows = declared.filter(rows, value)
        rows = search_rows(rows, spec.listing.search, (params.get("q") or "").strip()[:200])
        rows, _ = sort_rows(rows, spec.listing, params.get("sort") or "")
    else:
        rows = rows.order_by(spec.natural_key, "pk")
    return _with_related(rows, spec)


def _with_related(rows: QuerySet[Any], spec: TableSpec) -> QuerySet[Any]:
    """Every name a cell shows comes with the rows: a fixed number of queries per export."""
    for column in spec.columns:
        if column.format is not None:
            continue
        model_field = spec.model_field(column)
        if not model_field.is_relation or not column.lookup:
            continue
        paths = [column.field] + [
            f"{column.field}__{path.rsplit('__', 1)[0]}"
            for path in lookup_paths(column.lookup)
            if "__" in path
        ]
        if model_field.many_to_many:
            rows = rows.prefetch_related(*paths)
        else:
            rows = rows.select_related(*paths)
    return rows


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row_values(spec: TableSpec, instance: models.Model) -> list[Any]:
    return [neutralise(_cell(spec, column, instance)) for column in spec.columns]


def _cell(spec: TableSpec, column: Column, instance: models.Model) -> Any:
    if column.format is not None:
        return column.format(instance)
    model_field = spec.model_field(column)
    value = getattr(instance, column.field)
    if model_field.many_to_many:
        names = sorted(lookup_value(related, column.lookup) for related in value.all())
        return f"{LIST_SEPARATOR} ".join(names)
    if model_field.is_relation:
        return lookup_value(value, column.lookup) if value is not None else None
    if model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(spec: TableSpec, rows: Iterable[models.Model], *, bom: bool = True) -> Iterator[str]:
    """The CSV, line by line; the byte-order mark makes Excel read it as UTF-8."""
    writer = csv.writer(_Echo())
    header = writer.writerow([column.header for column in spec.columns])
    yield ("\ufeff" + header) if bom else header
    for instance in rows:
        yield writer.writerow(["" if v is None else v for v in row_values(spec, instance)])


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A whole CSV from plain rows, every cell neutralised (no byte-order mark: callers that
    serve it to spreadsheets add one)."""
    writer = csv.writer(_Echo())
    lines = [writer.writerow(header)]
    lines += [writer.writerow(["" if v is None else neutralise(v) for v in row]) for row in rows]
    return "".join(lines)


def write_xlsx(spec: TableSpec, rows: Iterable[models.Model], target: IO[bytes]) -> None:
    """The XLSX, built in openpyxl's write-only mode so memory stays flat."""
    import openpyxl  # imported when used: it costs every process start ~0.4 s otherwise

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(spec.title.capitalize()[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, column.header) for column in spec.columns])
    for instance in rows:
        sheet.append(row_values(spec, instance))
    book.save(target)


def _header_cell(sheet: Any, header: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=header)
    cell.font = Font(bold=True)
    return cell


def record_export(
    org: Any, actor: Any, spec: TableSpec, fmt: str, count: int, params: Mapping[str, str]
) -> None:
    """Every export leaves an audit event: who took which rows out, and in what form."""
    record_rows_export(org, actor, spec.model, spec.key, fmt, count, params)


def record_rows_export(
    org: Any,
    actor: Any,
    model: type[models.Model],
    table: str,
    fmt: str,
    count: int,
    params: Mapping[str, str] | None = None,
) -> None:
    """The audit event of an export that is not a register's table (e.g. quantification)."""
    audit.record(
        organization=org,
        actor=actor,
        action=audit.Action.EXPORT,
        object_type=model._meta.label,
        after={
            "table": table,
            "format": fmt,
            "rows": count,
            "filters": {k: v for k, v in (params or {}).items() if v},
        },
    )
