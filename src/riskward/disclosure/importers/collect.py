"""What every reader shares: the one rejection error, and the collector that keeps the facts.

A reader turns a filing into (element, value) pairs; the collector decides which value wins, keeps
the facts in the SEC's presentation order and turns surprises into notes instead of failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from riskward.disclosure.elements import CYD_PREFIX, Element, all_elements
from riskward.disclosure.facts import FactValue, ImportedFiling, check_value
from riskward.lib.errors import ImportRejected

EXPECTED = (
    "expected an Inline XBRL document (XHTML with ix: facts) or an EDGAR rendered disclosure "
    "(saved as text or as HTML)"
)


class FilingRejected(ImportRejected):
    """A filing that cannot be read at all: one problem whose message says what was expected,
    what was found and, where the parser knows it, the line."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__([(line, "", message)])
        # ImportRejected's message counts problems; a whole-file rejection has exactly one, so
        # the user sees that problem itself.
        self.message = message
        self.args = (message,)
        self.line = line


def rejected_format(found: str, line: int = 0) -> FilingRejected:
    return FilingRejected(f"{EXPECTED}; found {found}", line)


@dataclass
class FactCollector:
    """The facts one filing yields: the first value of an element wins; a different second value,
    an unknown element or an unreadable value becomes a note, never an error."""

    facts: dict[str, FactValue] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, element: Element, value: FactValue, where: str) -> None:
        check_value(element.name, value)
        if element.name not in self.facts:
            self.facts[element.name] = value
        elif self.facts[element.name] != value:
            self.note(f"{where}: a second, different value of {element.qname} was ignored")

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def unknown(self, name: str, where: str) -> None:
        self.note(f"{where}: {CYD_PREFIX}:{name} is not in Riskward's cyd element table; skipped")

    def build(
        self,
        *,
        source: str,
        format: str,
        registrant_name: str = "",
        cik: str = "",
        form: str = "",
        period_end: date | None = None,
        taxonomy_year: int | None = None,
    ) -> ImportedFiling:
        return ImportedFiling(
            source=source,
            format=format,
            facts=self.ordered(),
            registrant_name=registrant_name,
            cik=cik,
            form=form,
            period_end=period_end,
            taxonomy_year=taxonomy_year,
            notes=tuple(self.notes),
        )

    def ordered(self) -> dict[str, FactValue]:
        """The facts in the element table's (the SEC's presentation) order."""
        return {e.name: self.facts[e.name] for e in all_elements() if e.name in self.facts}
