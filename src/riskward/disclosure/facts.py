"""The facts of one disclosure, as plain data: what the writer tags and the importers read.

A `FactSet` is the hand-off between the parts of the disclosure engine: the record computes one,
the Inline XBRL writer and the text rendering consume one, the importers produce one. No Django
imports, so the writer and the importers run (and are benchmarked) without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from riskward.disclosure.elements import DEFAULT_TAXONOMY_YEAR, Kind, element

FactValue = bool | str


class Form(StrEnum):
    FORM_10K = "10-K"
    FORM_20F = "20-F"
    FORM_8K = "8-K"
    FORM_6K = "6-K"

    @property
    def is_annual(self) -> bool:
        return self in (Form.FORM_10K, Form.FORM_20F)


@dataclass(frozen=True)
class Cover:
    """The cover (dei) facts a form needs; `extra` carries any further dei facts by local name,
    e.g. {"EntityFileNumber": "001-12345", "EntityAddressCityOrTown": "Beijing"}."""

    form: Form
    registrant_name: str
    cik: str  # 10 digits, zero-padded
    period_start: date  # fiscal year start (annual) or the event date (8-K / 6-K)
    period_end: date  # dei:DocumentPeriodEndDate
    fiscal_year_end: str = "--12-31"  # dei:CurrentFiscalYearEndDate, --MM-DD
    amendment: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def fiscal_year(self) -> int:
        return self.period_end.year


@dataclass
class FactSet:
    """One disclosure's cyd facts by element local name, in presentation order, and its cover."""

    cover: Cover
    facts: dict[str, FactValue]
    taxonomy_year: int = DEFAULT_TAXONOMY_YEAR
    unofficial: bool = False  # built against Riskward's test taxonomy: never "ready to file"

    def __post_init__(self) -> None:
        for name, value in self.facts.items():
            check_value(name, value)


def check_value(name: str, value: FactValue) -> None:
    """A flag holds a bool and a text block a string; anything else is a programming error."""
    expected = bool if element(name).kind is Kind.FLAG else str
    if not isinstance(value, expected):
        raise TypeError(f"{name}: expected {expected.__name__}, got {type(value).__name__}")


@dataclass(frozen=True)
class ImportedFiling:
    """What an importer read from a filing: its cover as far as it could tell, and its cyd facts."""

    source: str  # file name or description
    format: str  # "inline-xbrl" or "edgar-text"
    facts: dict[str, FactValue]
    registrant_name: str = ""
    cik: str = ""
    form: str = ""
    period_end: date | None = None
    taxonomy_year: int | None = None
    notes: tuple[str, ...] = ()  # non-fatal observations, e.g. an unknown cyd element skipped
