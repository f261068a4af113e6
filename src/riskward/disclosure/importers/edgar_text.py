"""Reading an EDGAR rendered disclosure page saved as text (a browser's copy of an R page).

The layout: each table cell starts a line with "|"; a cell runs on over the following lines
until the next "|". The first cells are the head (report title, "12 Months Ended", the period
date); then each row is a label cell (the element's label, ending "[Flag]", "[Text Block]",
"[Line Items]"...) followed by its value cell. After the table come the hidden definition pop-ups
("X", "- References", "+ Details", "Reference 1: ..."), which are noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from riskward.disclosure.elements import Element, element_by_label
from riskward.disclosure.facts import ImportedFiling
from riskward.disclosure.importers.collect import FactCollector, FilingRejected
from riskward.disclosure.importers.markup import find_date, parse_flag

_SUFFIX = re.compile(
    r"\[(Flag|Text Block|Line Items|Abstract|Table|Axis|Member|Domain)\]$", re.IGNORECASE
)
STRUCTURAL = frozenset({"Line Items", "Abstract", "Table", "Axis", "Member", "Domain"})
_POP_UP = frozenset(
    {"- References", "+ References", "- Definition", "+ Definition", "- Details", "+ Details"}
)
NO_COVER = "an EDGAR rendered page does not show the cover (registrant, CIK, form)"


@dataclass
class _Cell:
    line: int  # the line of its "|"
    lines: list[str] = field(default_factory=list)

    @property
    def content(self) -> list[str]:
        """Its non-blank lines, stripped, with runs of whitespace collapsed."""
        return [" ".join(line.split()) for line in self.lines if line.strip()]

    @property
    def is_pop_up(self) -> bool:
        content = self.content
        return bool(content) and content[0] == "X" and any(c in _POP_UP for c in content[1:])


def read_edgar_text(text: str, source: str, notes: tuple[str, ...] = ()) -> ImportedFiling:
    """The cyd facts of a rendered page saved as text; FilingRejected if it has none."""
    cells = [cell for cell in _cells(text) if not cell.is_pop_up]
    labels = [_label(cell) for cell in cells]
    first = next((i for i, label in enumerate(labels) if label is not None), len(cells))
    head = [line for cell in cells[:first] for line in cell.content]
    collector = FactCollector(notes=list(notes))
    rows = 0
    for index in range(first, len(cells)):
        label = labels[index]
        if label is None:
            continue
        rows += 1
        values = []
        for cell, next_label in zip(cells[index + 1 :], labels[index + 1 :], strict=True):
            if next_label is not None:
                break
            values.append(cell)
        _row(collector, label, cells[index].line, values)
    if not collector.facts:
        raise FilingRejected(
            f"no cyd facts found: the rendered page has {rows:,} labelled rows, none with a "
            "cyd label Riskward knows"
        )
    collector.note(NO_COVER)
    period_end = find_date(head)
    if period_end is None:
        collector.note("no period date found in the page's column heads")
    return collector.build(source=source, format="edgar-text", period_end=period_end)


def _cells(text: str) -> list[_Cell]:
    cells: list[_Cell] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith("|"):
            cells.append(_Cell(number, [stripped[1:]]))
        elif cells:  # lines before the first "|" (a browser's page title) are not the table
            cells[-1].lines.append(line)
    return cells


def _label(cell: _Cell) -> str | None:
    """The row label a cell holds: one line that is a known label or ends in a [type] suffix."""
    content = cell.content
    if len(content) != 1:
        return None
    text = content[0]
    return text if find_by_label(text) or _SUFFIX.search(text) else None


def _row(collector: FactCollector, label: str, line: int, values: list[_Cell]) -> None:
    suffix = _SUFFIX.search(label)
    if suffix and suffix.group(1).title() in STRUCTURAL:
        return
    element = find_by_label(label)
    where = f"line {line}"
    if element is None:
        collector.note(f"{where}: {label!r} is not a cyd label Riskward knows; skipped")
        return
    if not values:
        collector.note(f"{where}: {element.qname} has no value; skipped")
        return
    if len(values) > 1:
        collector.note(f"{where}: {element.qname} has {len(values)} columns; the first is read")
    content = values[0].content
    if not element.is_flag:
        collector.add(element, "\n".join(content), where)
        return
    flag = parse_flag(" ".join(content))
    if flag is None:
        collector.note(f"{where}: {element.qname} is a flag but reads {' '.join(content)!r}")
    else:
        collector.add(element, flag, where)


def find_by_label(label: str) -> Element | None:
    """The element whose standard label this is, ignoring case and spacing (filers' copies
    and browsers differ in both)."""
    return element_by_label().get(label) or _folded_labels().get(_fold(label))


@cache
def _folded_labels() -> dict[str, Element]:
    return {_fold(label): element for label, element in element_by_label().items()}


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()
