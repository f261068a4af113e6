"""Reading an EDGAR rendered disclosure page as HTML (an "R" page of the filing index).

EDGAR's renderer writes one `table.report`: head cells (`th`) with the title, "12 Months Ended"
and the period date, then a row per element whose label cell (`td.pl`) links to the element's
definition as `defref_<prefix>_<Name>` and whose next cell holds the value. The element comes
from that link, so filers' own labels do not matter; the standard label is the fallback.
"""

from __future__ import annotations

import re

from lxml import etree

from riskward.disclosure.elements import CYD_PREFIX, Element, find_element
from riskward.disclosure.facts import ImportedFiling
from riskward.disclosure.importers.collect import FactCollector, FilingRejected, rejected_format
from riskward.disclosure.importers.edgar_text import NO_COVER, find_by_label
from riskward.disclosure.importers.markup import find_date, one_line, paragraphs, parse_flag

_DEFREF = re.compile(r"defref_([A-Za-z][\w-]*?)_([A-Za-z]\w*)")


def read_edgar_html(text: str, source: str, notes: tuple[str, ...] = ()) -> ImportedFiling:
    """The cyd facts of a rendered page saved as HTML; FilingRejected if it has none."""
    table = _report_table(_parse_html(text))
    if table is None:
        raise rejected_format('an HTML page with no EDGAR report table (table class="report")')
    rows = [row for row in table.iter("tr") if _table_of(row) is table]
    collector = FactCollector(notes=list(notes))
    labelled = sum(_row(collector, row) for row in rows)
    if not collector.facts:
        raise FilingRejected(
            f"no cyd facts found: the rendered page has {labelled:,} labelled rows, none for a "
            "cyd element Riskward knows"
        )
    collector.note(NO_COVER)
    heads = [one_line([cell]) for row in rows for cell in row.iterchildren("th")]
    period_end = find_date(heads)
    if period_end is None:
        collector.note("no period date found in the page's column heads")
    return collector.build(source=source, format="edgar-html", period_end=period_end)


def _parse_html(text: str) -> etree._Element:
    # The text is already decoded (BOM, UTF-8 or Windows-1252), so the parser is told it is
    # UTF-8 rather than guessing from a meta tag. libxml2's HTML parser expands no entities
    # beyond HTML's own and fetches nothing.
    parser = etree.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True
    )
    root = etree.fromstring(text.encode("utf-8"), parser)
    if root is None:
        raise rejected_format("an HTML page with no content")
    return root


def _report_table(root: etree._Element) -> etree._Element | None:
    for table in root.iter("table"):
        if "report" in (table.get("class") or "").split():
            return table
    return None


def _table_of(row: etree._Element) -> etree._Element | None:
    return next(row.iterancestors("table"), None)


def _row(collector: FactCollector, row: etree._Element) -> int:
    """Reads one row into the collector; 1 if it was a labelled row, 0 otherwise."""
    cells = list(row.iterchildren("td"))
    index = next((i for i, c in enumerate(cells) if "pl" in (c.get("class") or "").split()), None)
    if index is None:
        return 0
    label_cell = cells[index]
    values = [c for c in cells[index + 1 :] if (c.get("class") or "") != "th"]  # th: footnotes
    element = _element(collector, label_cell, row.sourceline or 0)
    if element is not None and values:
        _value(collector, element, values[0], f"line {row.sourceline}")
    return 1


def _element(collector: FactCollector, cell: etree._Element, line: int) -> Element | None:
    link = " ".join(a.get("onclick") or "" for a in cell.iter("a"))
    found = _DEFREF.search(link)
    if found is None:
        return find_by_label(one_line([cell]))
    prefix, name = found.groups()
    if prefix != CYD_PREFIX:
        return None
    element = find_element(name)
    if element is None and not name.endswith(("LineItems", "Abstract", "Table")):
        collector.unknown(name, f"line {line}")
    return element


def _value(collector: FactCollector, element: Element, cell: etree._Element, where: str) -> None:
    if not element.is_flag:
        text = paragraphs([cell])
        if text:
            collector.add(element, text, where)
        else:
            collector.note(f"{where}: {element.qname} is empty; skipped")
        return
    text = one_line([cell])
    flag = parse_flag(text)
    if flag is None:
        collector.note(f"{where}: {element.qname} is a flag but reads {text!r}")
    else:
        collector.add(element, flag, where)
