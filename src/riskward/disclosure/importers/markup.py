"""Turning filing markup and cell text into fact values: paragraphs, flags and dates.

Text blocks become plain text with one paragraph per line, the way EDGAR's renderer lays them
out (and the way the rendered-text seed reads): block elements (p, div, li, tr, br, headings)
end a paragraph, inline elements (span, b, a, font, nested ix: tags) run on, whitespace
collapses as a browser collapses it, and non-breaking spaces become plain spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from lxml import etree

BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "br", "caption", "center", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
CELL_TAGS = frozenset({"td", "th"})
# Characters a browser does not show; they would otherwise split or glue words in the text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
TRUE_WORDS = frozenset({"true", "1"})
FALSE_WORDS = frozenset({"false", "0"})


class _Lines:
    """Collects text fragments into paragraphs; a paragraph ends at each block boundary."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.current.append(text)

    def end_paragraph(self) -> None:
        if self.current:
            line = " ".join("".join(self.current).translate(_INVISIBLE).split())
            if line:
                self.lines.append(line)
            self.current = []

    def text(self) -> str:
        self.end_paragraph()
        return "\n".join(self.lines)


def paragraphs(roots: Iterable[etree._Element], skip: frozenset[str] = frozenset()) -> str:
    """The text of the content of `roots` (one after another, as an Inline XBRL continuation
    chain reads), one paragraph per line; elements whose tag is in `skip` are left out."""
    out = _Lines()
    for root in roots:
        out.add(root.text)
        for child in root:
            _walk(child, out, skip)
            out.add(child.tail)
    return out.text()


def _walk(element: etree._Element, out: _Lines, skip: frozenset[str]) -> None:
    tag = element.tag
    if not isinstance(tag, str) or tag in skip:  # comments, processing instructions, ix:exclude
        return
    local = tag.rpartition("}")[2]
    block = local in BLOCK_TAGS
    if block:
        out.end_paragraph()
    elif local in CELL_TAGS:
        out.add(" ")  # cells of one row read as one line, separated
    out.add(element.text)
    for child in element:
        _walk(child, out, skip)
        out.add(child.tail)
    if block:
        out.end_paragraph()


def one_line(roots: Iterable[etree._Element], skip: frozenset[str] = frozenset()) -> str:
    """The text content of `roots` on one line, for short values (flags, names, dates)."""
    return " ".join(paragraphs(roots, skip).split())


def parse_flag(text: str) -> bool | None:
    """xs:boolean's words ("true"/"false"/"1"/"0", any case); None when it is neither."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


_TEXT_DATE_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> date | None:
    """A date as filings write it: "2024-12-31", "December 31, 2024", "Dec. 31, 2024" (EDGAR's
    column heads), "31 December 2024" or "12/31/2024"; None when it is none of these."""
    stripped = text.strip()
    if _ISO_DATE.fullmatch(stripped):  # contexts' dates: fromisoformat is far faster
        try:
            return date.fromisoformat(stripped)
        except ValueError:
            return None
    cleaned = " ".join(stripped.replace(",", " ").replace(".", " ").split())
    cleaned = re.sub(r"\bSept\b", "Sep", cleaned, flags=re.IGNORECASE)
    for pattern in _TEXT_DATE_FORMATS:
        found = _strptime(cleaned, pattern)
        if found:
            return found
    return None


def _strptime(text: str, pattern: str) -> date | None:
    try:
        return datetime.strptime(text, pattern).date()
    except ValueError:
        return None


def find_date(lines: Iterable[str]) -> date | None:
    """The first line that reads as a date (EDGAR's column heads: "12 Months Ended", "Dec. 31,
    2024")."""
    for line in lines:
        found = parse_date(line)
        if found:
            return found
    return None
