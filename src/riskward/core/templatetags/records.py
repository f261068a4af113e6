"""Template helpers for register tables and detail pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from riskward.core.listing import Column, ListPage

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def page_url(listed: ListPage, number: int) -> str:
    return listed.url_with(page=number)


@register.simple_tag
def sort_url(listed: ListPage, key: str) -> str:
    return listed.url_with(sort=f"-{key}" if listed.sort == key else key, page=None)


def _plain(value: Any) -> Any:
    if value is None or value == "":
        return mark_safe('<span class="muted">—</span>')
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(value, "Y-m-d H:i")
    if isinstance(value, date):
        return date_format(value, "Y-m-d")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=0, force_grouping=True)
    return value


@register.simple_tag
def value(value: Any) -> Any:
    """A field value for a detail page; related rows link to their own page when they have one."""
    if isinstance(value, models.Model) and hasattr(value, "get_absolute_url"):
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)
    return _plain(value)


@register.simple_tag
def cell(row: Any, column: Column, resource: Any) -> Any:
    shown = _plain(column.value(row))
    if column.link:
        return format_html('<a href="{}">{}</a>', resource.url("detail", row.pk), shown)
    return shown
