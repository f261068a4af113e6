"""Filtering, searching, sorting and paginating a register, shared by every list page.

A `ListSpec` declares what a register offers; `run_list()` applies the request's parameters.
Only declared sort keys and filters are honoured, so query strings cannot reach other fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F, Q, QuerySet

Choices = list[tuple[str, str]]


@dataclass(frozen=True)
class Column:
    """A table column: `attr` is read from the row (dotted paths and get_*_display work)."""

    attr: str
    label: str
    sort: str | None = None
    link: bool = False

    def value(self, row: Any) -> Any:
        value = row
        for part in self.attr.split("."):
            value = getattr(value, part, None) if value is not None else None
            if callable(value) and not isinstance(value, models.Manager):
                value = value()
        return value


@dataclass(frozen=True)
class Filter:
    """A query parameter that narrows the register; `apply` overrides the plain lookup."""

    param: str
    label: str
    lookup: str = ""
    choices: Callable[[Any], Choices] = lambda org: []
    apply: Callable[[QuerySet[Any], str], QuerySet[Any]] | None = None

    def filter(self, rows: QuerySet[Any], value: str) -> QuerySet[Any]:
        if self.apply is not None:
            return self.apply(rows, value)
        if value in {"true", "false"}:
            return rows.filter(**{self.lookup: value == "true"})
        return rows.filter(**{self.lookup: value})


def choice_filter(model: type[models.Model], name: str, label: str | None = None) -> Filter:
    model_field: Any = model._meta.get_field(name)
    return Filter(
        param=name,
        label=label or str(model_field.verbose_name).capitalize(),
        lookup=name,
        choices=lambda org: [(str(k), str(v)) for k, v in model_field.choices or []],
    )


def related_filter(model: type[models.Model], name: str, label: str | None = None) -> Filter:
    model_field: Any = model._meta.get_field(name)
    related: Any = model_field.related_model

    def choices(org: Any) -> Choices:
        rows = related._default_manager.all()
        if any(f.name == "organization" for f in related._meta.fields):
            rows = rows.filter(organization=org)
        return [(str(row.pk), str(row)) for row in rows[:500]]

    return Filter(
        param=name,
        label=label or str(model_field.verbose_name).capitalize(),
        lookup=f"{name}_id",
        choices=choices,
    )


def boolean_filter(name: str, label: str) -> Filter:
    return Filter(
        param=name, label=label, lookup=name, choices=lambda org: [("true", "Yes"), ("false", "No")]
    )


@dataclass(frozen=True)
class ListSpec:
    columns: Sequence[Column]
    filters: Sequence[Filter] = ()
    search: Sequence[str] = ()
    default_sort: str = "-id"
    select_related: Sequence[str] = ()
    per_page: int = 50

    @property
    def sort_keys(self) -> set[str]:
        return {c.sort for c in self.columns if c.sort}


@dataclass
class ListPage:
    page: Page[Any]
    sort: str
    query: str
    active: dict[str, str]
    filters: list[tuple[Filter, Choices]] = field(default_factory=list)

    def url_with(self, **changes: Any) -> str:
        params = {**self.active, "q": self.query, "sort": self.sort, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def search_rows(rows: QuerySet[Any], fields: Sequence[str], text: str) -> QuerySet[Any]:
    if not text or not fields:
        return rows
    return rows.filter(reduce(or_, (Q(**{f"{name}__icontains": text}) for name in fields)))


def sort_rows(rows: QuerySet[Any], spec: ListSpec, requested: str) -> tuple[QuerySet[Any], str]:
    key = requested.lstrip("-")
    sort = requested if key in spec.sort_keys else spec.default_sort
    field = F(sort.lstrip("-"))
    # Empty values sort last either way on every database (PostgreSQL would put them first on
    # descending sorts); a unique tie-breaker keeps pagination stable.
    if sort.startswith("-"):
        return rows.order_by(field.desc(nulls_last=True), "-pk"), sort
    return rows.order_by(field.asc(nulls_last=True), "pk"), sort


def run_list(rows: QuerySet[Any], spec: ListSpec, params: Any, org: Any) -> ListPage:
    """Apply search, declared filters and sort from `params`, then paginate."""
    active: dict[str, str] = {}
    for declared in spec.filters:
        value = (params.get(declared.param) or "").strip()
        if value:
            active[declared.param] = value
            rows = declared.filter(rows, value)
    query = (params.get("q") or "").strip()[:200]
    rows = search_rows(rows, spec.search, query)
    rows, sort = sort_rows(rows, spec, params.get("sort") or "")
    if spec.select_related:
        rows = rows.select_related(*spec.select_related)
    page = Paginator(rows, spec.per_page).get_page(params.get("page"))
    listed = ListPage(page=page, sort=sort, query=query, active=active)
    listed.filters = [(f, f.choices(org)) for f in spec.filters]
    return listed
