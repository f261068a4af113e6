"""Readable renderings of a disclosure: text laid out like EDGAR's rendered page, an HTML preview,
and a PDF of that preview.

The text follows EDGAR's R page for the cyd facts ("|label", then "|value" or "|" and paragraphs)
with the same paragraph and phrase rules as the Inline XBRL writer, so it previews what EDGAR
will show for the filing Riskward writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from riskward.disclosure import elements as el
from riskward.disclosure.facts import FactSet, FactValue, ImportedFiling
from riskward.disclosure.ixbrl import (
    UNOFFICIAL_BANNER,
    edgar_date,
    is_phrase,
    label_words,
    long_date,
    paragraphs,
    section_heading,
)

ANNUAL_TITLE = "Cybersecurity Risk Management and Strategy Disclosure"
ANNUAL_LINE_ITEMS = "Cybersecurity Risk Management, Strategy, and Governance [Line Items]"
# Not confirmed against an EDGAR rendering of a Form 8-K Item 1.05 filing.
INCIDENT_TITLE = "Material Cybersecurity Incident Disclosure"
INCIDENT_LINE_ITEMS = "Material Cybersecurity Incident [Line Items]"
PREVIEW_TEMPLATE = "disclosure/preview.html"
DAYS_PER_MONTH = 365.25 / 12

Source = FactSet | ImportedFiling | Mapping[str, FactValue]


def render_text(
    source: Source, *, period_start: date | None = None, period_end: date | None = None
) -> str:
    """The facts as EDGAR lays them out, without its "|X References" trailers.

    A bare mapping has no period: pass `period_end` (and `period_start`) to get the heading dates.
    """
    facts, annual, start, end = _unpack(source, period_start, period_end)
    lines = ["|", ANNUAL_TITLE if annual else INCIDENT_TITLE]
    lines += _period_lines(start, end, annual)
    lines.append("|" + (ANNUAL_LINE_ITEMS if annual else INCIDENT_LINE_ITEMS))
    for element, value in ordered_facts(facts):
        lines.append(f"|{element.label}")
        lines += _value_lines(value)
    return "\n".join(lines) + "\n"


def ordered_facts(facts: Mapping[str, FactValue]) -> list[tuple[el.Element, FactValue]]:
    """The facts in presentation order, empty text blocks left out (the writer omits them too)."""
    unknown = [name for name in facts if el.find_element(name) is None]
    if unknown:
        raise ValueError(f"not cyd elements in Riskward's table: {', '.join(unknown)}")
    return [
        (element, facts[element.name])
        for element in el.all_elements()
        if element.name in facts and _has_value(facts[element.name])
    ]


def _has_value(value: FactValue) -> bool:
    return isinstance(value, bool) or bool(paragraphs(value))


def _unpack(
    source: Source, start: date | None, end: date | None
) -> tuple[Mapping[str, FactValue], bool, date | None, date | None]:
    """(facts, annual?, period start, period end) from whichever source was given."""
    if isinstance(source, FactSet):
        cover = source.cover
        return (
            source.facts,
            cover.form.is_annual,
            start or cover.period_start,
            end or cover.period_end,
        )
    if isinstance(source, ImportedFiling):
        annual = source.form.upper().startswith(("10-K", "20-F")) or _looks_annual(source.facts)
        return source.facts, annual, start, end or source.period_end
    return source, _looks_annual(source), start, end


def _looks_annual(facts: Mapping[str, FactValue]) -> bool:
    found = [el.find_element(name) for name in facts]
    return not found or any(e is not None and e.use is el.Use.ANNUAL for e in found)


def _period_lines(start: date | None, end: date | None, annual: bool) -> list[str]:
    """EDGAR's column heading: "|12 Months Ended" over the end date, or the date alone for a
    single-day period (an incident report). Without a start, an annual period is 12 months."""
    if end is None:
        return []
    if start is None:
        months = 12 if annual else 0
    else:
        months = round(((end - start).days + 1) / DAYS_PER_MONTH)
    if months < 1:
        return [f"|{edgar_date(end)}"]
    return [f"|{months} Months Ended", edgar_date(end)]


def _value_lines(value: FactValue) -> list[str]:
    """A flag as "|true"; a phrase on the value line; paragraphs below an empty "|"."""
    if isinstance(value, bool):
        return [f"|{'true' if value else 'false'}"]
    parts = paragraphs(value)
    if is_phrase(value):
        return [f"|{parts[0]}"]
    return ["|", *parts]


# -- HTML preview and PDF -------------------------------------------------------------------


def render_html(factset: FactSet, context: dict[str, Any] | None = None) -> str:
    """A readable preview (not Inline XBRL) for the browser and the PDF; `context` adds to or
    overrides the template context (e.g. "heading")."""
    return render_to_string(PREVIEW_TEMPLATE, {**preview_context(factset), **(context or {})})


def render_pdf(factset: FactSet, context: dict[str, Any] | None = None) -> bytes:
    """The preview as PDF, fetching nothing: only data: URLs may load."""
    # Imported here: WeasyPrint is slow to import and only the PDF download needs it.
    from weasyprint import HTML

    html = HTML(string=render_html(factset, context), url_fetcher=offline_url_fetcher())
    return bytes(html.write_pdf())


def offline_url_fetcher() -> Any:
    """A WeasyPrint fetcher that refuses every URL but data: (no network, no local files)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


def preview_context(factset: FactSet) -> dict[str, Any]:
    cover = factset.cover
    heading = section_heading(cover.form)
    items = [_item(element, value) for element, value in ordered_facts(factset.facts)]
    return {
        "title": f"{cover.registrant_name} \u2014 Form {cover.form} {heading}",
        "heading": heading,
        "cover_rows": cover_rows(factset),
        "items": items,
        "unofficial": factset.unofficial,
        "banner": UNOFFICIAL_BANNER,
    }


def _item(element: el.Element, value: FactValue) -> dict[str, Any]:
    is_flag = isinstance(value, bool)
    return {
        "label": label_words(element),
        "qname": element.qname,
        "is_flag": is_flag,
        "answer": ("Yes" if value else "No") if is_flag else "",
        "paragraphs": [] if isinstance(value, bool) else paragraphs(value),
    }


def cover_rows(factset: FactSet) -> list[tuple[str, str]]:
    """The cover summary as (label, value) rows, extra dei facts in the dei table's order."""
    cover = factset.cover
    if cover.period_start == cover.period_end:
        period = long_date(cover.period_end)
    else:
        period = f"{long_date(cover.period_start)} to {long_date(cover.period_end)}"
    taxonomy = f"cyd {factset.taxonomy_year}"
    rows = [
        ("Form", f"Form {cover.form}{'/A' if cover.amendment else ''}"),
        ("Registrant", cover.registrant_name),
        ("Central Index Key", cover.cik),
        ("Fiscal year" if cover.form.is_annual else "Date of report", period),
        ("Amendment", "Yes" if cover.amendment else "No"),
        ("Taxonomy", f"{taxonomy} (unofficial test taxonomy)" if factset.unofficial else taxonomy),
    ]
    if cover.form.is_annual:
        rows.insert(4, ("Fiscal year end", _month_day(cover.fiscal_year_end)))
    for name in el.DEI_ELEMENTS:
        if name in cover.extra:
            rows.append((_words(name), _display(name, cover.extra[name])))
    return rows


def _month_day(value: str) -> str:
    """ "--12-31" as "December 31" (a leap year so --02-29 reads too)."""
    try:
        day = date.fromisoformat(f"2000{value[1:]}")
    except ValueError:
        return value
    return f"{day:%B} {day.day}"


def _words(name: str) -> str:
    return " ".join(re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name))


def _display(name: str, value: str) -> str:
    if el.DEI_ELEMENTS[name] == "xbrli:booleanItemType":
        return {"true": "Yes", "false": "No"}.get(value.strip().lower(), value)
    return value
