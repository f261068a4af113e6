"""Comparing our disclosure with peers': the six flags side by side, and per text block its length
and the program terms it mentions.

Key terms are deliberately simple so a reviewer can check every one: a fixed vocabulary of program
terms, each with the phrases that count as mentioning it (an all-capitals phrase is an acronym and
matched case-sensitively, others in any case), plus the most frequent words left after dropping
English stopwords and words every cyber disclosure uses. No Django: plain data in, plain data out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from riskward.disclosure.elements import Element, annual_elements, find_element, incident_elements
from riskward.disclosure.facts import FactValue, check_value
from riskward.lib.errors import InvalidInput

TOP_WORDS = 5  # frequent words shown per text block


@dataclass(frozen=True)
class Term:
    """A program term and the phrases (regular expressions, whole words) that mention it."""

    name: str
    phrases: tuple[str, ...]


VOCABULARY: tuple[Term, ...] = (
    Term("quarterly", (r"quarterly", r"each quarter", r"every quarter")),
    Term("annual", (r"annual(?:ly)?", r"once a year", r"each year", r"every year", r"yearly")),
    Term("monthly", (r"monthly", r"each month", r"every month")),
    Term("third-party", (r"third[- ]part(?:y|ies)",)),
    Term("penetration test", (r"penetration test(?:s|ing)?", r"pen[- ]?test(?:s|ing)?")),
    Term(
        "vulnerability management",
        (r"vulnerability (?:scan(?:s|ning)?|assessments?|discovery|management)",),
    ),
    Term(
        "bug bounty",
        (r"bug bount(?:y|ies)", r"vulnerability (?:disclosure|reward)s?", r"reward mechanisms?"),
    ),
    Term("ISO 27001", (r"ISO(?:/IEC)?[ ]?27001",)),
    Term("NIST", ("NIST", r"National Institute of Standards and Technology")),
    Term("SOC 2", (r"SOC ?2",)),
    Term("PCI DSS", ("PCI[- ]DSS", r"payment card industry")),
    Term("MLPS", ("MLPS", r"multi-level protection", r"information system security protection")),
    Term("CISO", ("CISO", r"chief information security officer")),
    Term("CIO", ("CIO", r"chief information officer")),
    Term("CTO", ("CTO", r"chief technology officer")),
    Term("board of directors", (r"board of directors",)),
    Term("audit committee", (r"audit committees?",)),
    Term("risk committee", (r"risk committees?",)),
    Term("internal audit", (r"internal audit",)),
    Term(
        "enterprise risk management",
        (r"enterprise risk management", "ERM", r"overall risk management"),
    ),
    Term("incident response", (r"incident response", r"response (?:plans?|mechanisms?)")),
    Term("tabletop", (r"table[- ]?top",)),
    Term("drills and exercises", (r"drills?", r"exercises?", r"simulations?")),
    Term("training", (r"training", r"awareness")),
    Term("phishing", (r"phishing",)),
    Term("monitoring", (r"monitor(?:s|ed|ing)?",)),
    Term("encryption", (r"encrypt(?:ion|ed|s)?",)),
    Term("multi-factor authentication", (r"multi[- ]?factor", "MFA", r"two[- ]factor")),
    Term("certification", (r"certifi(?:cation|cations|ed)",)),
    Term("consultants", (r"consultants?", r"assessors?")),
    Term("suppliers", (r"vendors?", r"suppliers?", r"service providers?")),
    Term("cyber insurance", (r"(?:cyber|cybersecurity) insurance", r"insurance")),
    Term("threat intelligence", (r"threat intelligence",)),
    Term("business continuity", (r"business continuity", r"disaster recovery")),
    Term("artificial intelligence", (r"artificial intelligence", "AI")),
)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    least may me might more most must my no nor not now of off on once only or other our ours
    out over own per same she should so some such than that the their theirs them then there
    these they this those through to too under until up upon us very was we were what when where
    which while who whom why will with within without would you your""".split()  # noqa: SIM905
)
# Words nearly every cyber disclosure repeats: kept out of "frequent words" so these show what
# is particular to one filing.
DOMAIN_WORDS = frozenset(
    """cybersecurity cyber risk risks security company company's including related certain
    material materially threats threat management manage managing""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z][a-z0-9'-]*[a-z0-9]")


@dataclass(frozen=True)
class TextSummary:
    """One text block of one filer: its length, the vocabulary terms it mentions (vocabulary
    order) and its most frequent remaining words with their counts."""

    words: int
    key_terms: tuple[str, ...]
    frequent: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class TermGap:
    """A vocabulary term some peers mention and our filing does not."""

    term: str
    peers: tuple[str, ...]


@dataclass(frozen=True)
class FlagRow:
    element: str
    label: str
    values: tuple[bool | None, ...]  # per filer, ours first; None: not tagged
    disagree: tuple[str, ...]  # peers whose tagged value differs from ours


@dataclass(frozen=True)
class TextRow:
    element: str
    label: str
    cells: tuple[TextSummary | None, ...]  # per filer, ours first; None: not tagged
    gaps: tuple[TermGap, ...]  # terms peers' block mentions and ours does not


@dataclass(frozen=True)
class Comparison:
    filers: tuple[str, ...]  # ours first
    flags: tuple[FlagRow, ...]
    texts: tuple[TextRow, ...]
    key_terms: tuple[tuple[str, ...], ...]  # per filer, every term mentioned in any text block
    gaps: tuple[TermGap, ...]  # across all text blocks, most widely mentioned first


def compare(filings: Sequence[tuple[str, Mapping[str, FactValue]]]) -> Comparison:
    """Our filing (the first) beside each peer's; InvalidInput when none is given or a value has
    the wrong kind for its element."""
    if not filings:
        raise InvalidInput("compare needs at least one filing, ours first", "filings")
    for name, values in filings:
        _check(name, values)
    filers = tuple(name for name, _ in filings)
    facts = [facts for _, facts in filings]
    terms = tuple(_all_terms(f) for f in facts)
    return Comparison(
        filers=filers,
        flags=tuple(_flag_row(e, filers, facts) for e in annual_elements() if e.is_flag),
        texts=tuple(_text_row(e, filers, facts) for e in _text_elements(facts)),
        key_terms=terms,
        gaps=_gaps(filers, terms),
    )


def summarize(text: str) -> TextSummary:
    """Length in words (whitespace-separated), vocabulary terms, and frequent words."""
    return TextSummary(words=len(text.split()), key_terms=key_terms(text), frequent=_frequent(text))


def key_terms(text: str) -> tuple[str, ...]:
    return tuple(term.name for term in VOCABULARY if _pattern(term).search(text))


@cache
def _pattern(term: Term) -> re.Pattern[str]:
    def one(phrase: str) -> str:
        whole = rf"\b(?:{phrase})\b"
        return whole if phrase.isupper() else f"(?i:{whole})"

    return re.compile("|".join(one(phrase) for phrase in term.phrases))


def _frequent(text: str) -> tuple[tuple[str, int], ...]:
    words = (w for w in _WORD.findall(text.lower()) if w not in STOPWORDS | DOMAIN_WORDS)
    counts = Counter(w for w in words if len(w) > 2)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ranked[:TOP_WORDS])


def _check(name: str, facts: Mapping[str, FactValue]) -> None:
    for element_name, value in facts.items():
        if find_element(element_name) is None:
            continue  # not a cyd element Riskward compares
        try:
            check_value(element_name, value)
        except TypeError as error:
            raise InvalidInput(f"{name}: {error}", element_name) from None


def _flag_row(
    element: Element, filers: tuple[str, ...], facts: list[Mapping[str, FactValue]]
) -> FlagRow:
    values = tuple(_flag(f.get(element.name)) for f in facts)
    ours = values[0]
    disagree = tuple(
        filer
        for filer, value in zip(filers[1:], values[1:], strict=True)
        if ours is not None and value is not None and value != ours
    )
    return FlagRow(element.name, element.label, values, disagree)


def _flag(value: FactValue | None) -> bool | None:
    return value if isinstance(value, bool) else None


def _text_elements(facts: list[Mapping[str, FactValue]]) -> list[Element]:
    """Every annual text block, then any incident text block some filer has."""
    annual = [e for e in annual_elements() if not e.is_flag]
    incident = [e for e in incident_elements() if any(e.name in f for f in facts)]
    return annual + incident


def _text_row(
    element: Element, filers: tuple[str, ...], facts: list[Mapping[str, FactValue]]
) -> TextRow:
    cells = tuple(_summary(f.get(element.name)) for f in facts)
    terms = tuple(cell.key_terms if cell else () for cell in cells)
    return TextRow(element.name, element.label, cells, _gaps(filers, terms))


def _summary(value: FactValue | None) -> TextSummary | None:
    return summarize(value) if isinstance(value, str) else None


def _all_terms(facts: Mapping[str, FactValue]) -> tuple[str, ...]:
    text = "\n".join(v for n, v in facts.items() if isinstance(v, str) and find_element(n))
    return key_terms(text)


def _gaps(filers: tuple[str, ...], terms: Sequence[Iterable[str]]) -> tuple[TermGap, ...]:
    """Terms at least one peer mentions and ours does not; most peers first, then vocabulary
    order."""
    ours = set(terms[0])
    gaps = [
        TermGap(
            term.name,
            tuple(f for f, t in zip(filers[1:], terms[1:], strict=True) if term.name in t),
        )
        for term in VOCABULARY
        if term.name not in ours
    ]
    return tuple(sorted((g for g in gaps if g.peers), key=lambda g: -len(g.peers)))


def as_json(comparison: Comparison) -> dict[str, object]:
    """The comparison as JSON-ready data (API, CLI --json): columns are the filers, ours first;
    the vocabulary is included so every key term can be traced to its phrases."""
    return {
        "columns": list(comparison.filers),
        "flags": [
            {"element": r.element, "label": r.label, "values": list(r.values),
             "disagree": list(r.disagree)}
            for r in comparison.flags
        ],
        "texts": [
            {"element": r.element, "label": r.label,
             "cells": [_summary_json(cell) for cell in r.cells],
             "gaps": [_gap_json(g) for g in r.gaps]}
            for r in comparison.texts
        ],
        "key_terms": [list(terms) for terms in comparison.key_terms],
        "gaps": [_gap_json(g) for g in comparison.gaps],
        "vocabulary": [{"term": t.name, "phrases": list(t.phrases)} for t in VOCABULARY],
    }  # fmt: skip


def _summary_json(cell: TextSummary | None) -> dict[str, object] | None:
    if cell is None:
        return None
    frequent = [{"word": word, "count": count} for word, count in cell.frequent]
    return {"words": cell.words, "key_terms": list(cell.key_terms), "frequent": frequent}


def _gap_json(gap: TermGap) -> dict[str, object]:
    return {"term": gap.term, "peers": list(gap.peers)}


def as_text(comparison: Comparison) -> str:
    """The comparison as a plain-text report for the terminal: flags as a table, then each text
    block's word counts and key terms per filer, then the terms ours lacks."""
    width = max(len(_short(flag.label)) for flag in comparison.flags)
    lines = ["Flags", _table_row("", comparison.filers, width)]
    for flag in comparison.flags:
        shown = ["yes" if v else "-" if v is None else "no" for v in flag.values]
        lines.append(_table_row(_short(flag.label), shown, width))
    lines += ["", "Text blocks (words; key terms)"]
    for row in comparison.texts:
        if not any(row.cells):
            continue
        lines.append(_short(row.label))
        for filer, cell in zip(comparison.filers, row.cells, strict=True):
            found = f"{cell.words} words; {', '.join(cell.key_terms) or '-'}" if cell else "-"
            lines.append(f"  {filer}: {found}")
    lines += ["", "Key terms peers mention and ours does not"]
    lines += [f"  {g.term}: {', '.join(g.peers)}" for g in comparison.gaps] or ["  (none)"]
    return "\n".join(lines) + "\n"


def _short(label: str) -> str:
    """A label without the "Cybersecurity Risk (Management)" lead and the [type] suffix."""
    words = re.sub(r"\s*\[[^\]]*\]$", "", label)
    return re.sub(r"^Cybersecurity Risk (Management )?", "", words) or words


def _table_row(first: str, cells: Sequence[str], width: int) -> str:
    return (f"{first:<{width}} | " + " | ".join(f"{c[:24]:<24}" for c in cells)).rstrip()
