"""Reading the cyd facts, and the cover facts that place them, from an Inline XBRL document.

One pass over the parsed tree visits every ix fact once (lxml's C-level `iter` over the three
fact tags, so a 4 MB 10-K costs little more than its parse); only cyd and the four cover dei
facts are read, every other fact is just counted. Text blocks follow their continuation chains
and leave out ix:exclude content; flags come from the ixt fixed-true/fixed-false transforms of
any ixt version, or from plain "true"/"false" text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from lxml import etree

from riskward.disclosure.elements import (
    CYD_PREFIX,
    SUPPORTED_YEARS,
    Element,
    find_element,
)
from riskward.disclosure.facts import FactValue, ImportedFiling
from riskward.disclosure.importers.collect import FactCollector, FilingRejected, rejected_format
from riskward.disclosure.importers.markup import one_line, paragraphs, parse_date, parse_flag
from riskward.disclosure.importers.xmlsafe import parse_xml

IX = "http://www.xbrl.org/2013/inlineXBRL"
XHTML = "http://www.w3.org/1999/xhtml"
XBRLI = "http://www.xbrl.org/2003/instance"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
SEC_CIK_SCHEME = "http://www.sec.gov/CIK"
NON_NUMERIC = f"{{{IX}}}nonNumeric"
FACT_TAGS = (NON_NUMERIC, f"{{{IX}}}nonFraction", f"{{{IX}}}fraction")
EXCLUDE = frozenset({f"{{{IX}}}exclude"})
CYD_NAMESPACE = re.compile(r"http://xbrl\.sec\.gov/cyd/(\d{4})")
DEI_NAMESPACE = re.compile(r"http://xbrl\.sec\.gov/dei/\d{4}")
COVER_FACTS = frozenset(
    {"EntityRegistrantName", "EntityCentralIndexKey", "DocumentType", "DocumentPeriodEndDate"}
)
# Transformation registries: the XII's (ixt 1 to 5 share this stem) and the SEC's own (ixt-sec).
TRANSFORM_NAMESPACES = (
    "http://www.xbrl.org/inlineXBRL/transformation/",
    "http://www.sec.gov/inlineXBRL/transformation/",
)
FIXED_FLAGS = {"fixed-true": True, "booleantrue": True, "fixed-false": False, "booleanfalse": False}
BALLOT_BOXES = {"\u2612": True, "\u2611": True, "\u2610": False}  # ixt-sec:boolballotbox


@dataclass(frozen=True)
class _Context:
    dimensional: bool
    end: date | None
    cik: str


@dataclass(frozen=True)
class _Candidate:
    element: Element
    value: FactValue
    year: int
    context: _Context | None
    line: int


def read_inline_xbrl(data: bytes, source: str) -> ImportedFiling:
    """The cyd facts and cover of one Inline XBRL document; FilingRejected if it has none."""
    root = parse_xml(data, "the Inline XBRL document")
    if root.tag != f"{{{XHTML}}}html":
        raise rejected_format(
            f"XML with root element {root.tag}, which uses the Inline XBRL namespace but is "
            "not an XHTML <html> document"
        )
    return _Reader(root, source).read()


class _Reader:
    """One document's pass: facts counted, cyd candidates gathered, then chosen and built."""

    def __init__(self, root: etree._Element, source: str) -> None:
        self.root = root
        self.source = source
        self.collector = FactCollector()
        self.continuations = {c.get("id"): c for c in root.iter(f"{{{IX}}}continuation")}
        self.contexts = _contexts(root)
        self.cover: dict[str, str] = {}  # dei local name -> its text
        self.candidates: dict[str, list[_Candidate]] = {}
        self.years: Counter[int] = Counter()
        self.total = 0

    def read(self) -> ImportedFiling:
        for fact in self.root.iter(*FACT_TAGS):
            self.total += 1
            if fact.tag == NON_NUMERIC:
                self._non_numeric(fact)
        self._choose()
        if not self.collector.facts:
            raise self._nothing_found()
        return self.collector.build(
            source=self.source,
            format="inline-xbrl",
            registrant_name=self._cover("EntityRegistrantName"),
            cik=self._cik(),
            form=self._cover("DocumentType"),
            period_end=self._period_end(),
            taxonomy_year=self._taxonomy_year(),
        )

    def _non_numeric(self, fact: etree._Element) -> None:
        prefix, _, local = (fact.get("name") or "").rpartition(":")
        namespace = fact.nsmap.get(prefix or None) or ""
        cyd = CYD_NAMESPACE.fullmatch(namespace)
        if cyd:
            self._cyd(fact, local, int(cyd.group(1)))
        elif (
            local in COVER_FACTS and local not in self.cover and DEI_NAMESPACE.fullmatch(namespace)
        ):
            self.cover[local] = one_line([fact], EXCLUDE)

    def _cyd(self, fact: etree._Element, local: str, year: int) -> None:
        where = f"line {fact.sourceline}"
        self.years[year] += 1
        element = find_element(local)
        if element is None:
            self.collector.unknown(local, where)
            return
        if fact.get(XSI_NIL) == "true":
            self.collector.note(f"{where}: {element.qname} is nil; skipped")
            return
        value = self._flag(element, fact, where) if element.is_flag else self._text(fact, where)
        if value is None or value == "":
            if value == "":
                self.collector.note(f"{where}: {element.qname} is empty; skipped")
            return
        context = self.contexts.get(fact.get("contextRef") or "")
        if context is None:
            self.collector.note(f"{where}: {element.qname} names no context the filing has")
        candidate = _Candidate(element, value, year, context, fact.sourceline or 0)
        self.candidates.setdefault(element.name, []).append(candidate)

    def _flag(self, element: Element, fact: etree._Element, where: str) -> bool | None:
        text = one_line([fact], EXCLUDE)
        form = fact.get("format")
        value = _transform(form, fact.nsmap, text) if form else parse_flag(text)
        if value is None:
            shown = f"format {form!r}, text {text!r}" if form else f"text {text!r}"
            self.collector.note(f"{where}: {element.qname} is a flag but reads {shown}; skipped")
        return value

    def _text(self, fact: etree._Element, where: str) -> str:
        return paragraphs(self._chain(fact, where), EXCLUDE)

    def _chain(self, fact: etree._Element, where: str) -> list[etree._Element]:
        """The fact and its ix:continuation elements, in chain order (continuedAt -> id)."""
        parts, seen = [fact], set()
        next_id = fact.get("continuedAt")
        while next_id:
            part = self.continuations.get(next_id)
            if next_id in seen or part is None:
                problem = "loops back" if next_id in seen else "is missing"
                self.collector.note(f"{where}: continuation {next_id!r} {problem}; text cut")
                break
            seen.add(next_id)
            parts.append(part)
            next_id = part.get("continuedAt")
        return parts

    def _choose(self) -> None:
        """Facts without dimensions are the disclosure's own; a dimensional one counts only when
        nothing else gives the element."""
        for found in self.candidates.values():
            plain = [c for c in found if not (c.context and c.context.dimensional)]
            if not plain:
                self.collector.note(
                    f"line {found[0].line}: {found[0].element.qname} is tagged only with "
                    "dimensions; read anyway"
                )
            for candidate in plain or found:
                self.collector.add(candidate.element, candidate.value, f"line {candidate.line}")

    def _nothing_found(self) -> FilingRejected:
        years = " or ".join(f"{CYD_PREFIX}/{year}" for year in SUPPORTED_YEARS)
        if self.years:
            return FilingRejected(
                f"no cyd facts Riskward can read: the filing has {sum(self.years.values()):,} "
                f"cyd facts, none usable ({'; '.join(self.collector.notes[:3])})"
            )
        return FilingRejected(
            f"no cyd facts found: the filing has {self.total:,} facts, none in a cyd namespace "
            f"({years})"
        )

    def _cover(self, name: str) -> str:
        return self.cover.get(name, "")

    def _cik(self) -> str:
        stated = self._cover("EntityCentralIndexKey")
        if stated:
            return _ten_digits(stated)
        for found in self.candidates.values():
            if found[0].context and found[0].context.cik:
                return _ten_digits(found[0].context.cik)
        return ""

    def _period_end(self) -> date | None:
        stated = self._cover("DocumentPeriodEndDate")
        if stated and parse_date(stated):
            return parse_date(stated)
        ends = [c.context.end for f in self.candidates.values() for c in f if c.context]
        end = Counter(e for e in ends if e).most_common(1)
        if stated:
            self.collector.note(
                f"dei:DocumentPeriodEndDate {stated!r} is not a date Riskward reads"
            )
        if end:
            self.collector.note("period end taken from the cyd facts' context")
            return end[0][0]
        return None

    def _taxonomy_year(self) -> int | None:
        if not self.years:
            return None
        year = max(self.years, key=lambda y: (self.years[y], y))
        if len(self.years) > 1:
            counts = ", ".join(f"cyd/{y}: {n}" for y, n in sorted(self.years.items()))
            self.collector.note(f"facts use more than one cyd taxonomy year ({counts})")
        if year not in SUPPORTED_YEARS:
            self.collector.note(f"cyd/{year} is not a taxonomy year Riskward has checked")
        return year


def _transform(form: str, nsmap: dict[str | None, str], text: str) -> bool | None:
    """A flag's value from its ixt transform: fixed-true/fixed-false (booleantrue/booleanfalse in
    older registries) ignore the words tagged; ballot boxes read ☒/☐."""
    prefix, _, local = form.rpartition(":")
    if not nsmap.get(prefix or None, "").startswith(TRANSFORM_NAMESPACES):
        return None
    if local in FIXED_FLAGS:
        return FIXED_FLAGS[local]
    if local == "boolballotbox":
        return BALLOT_BOXES.get(text.strip())
    return None


def _contexts(root: etree._Element) -> dict[str, _Context]:
    """Every xbrli:context by id: whether it has dimensions, its end date and its CIK."""
    found = {}
    for context in root.iter(f"{{{XBRLI}}}context"):
        entity = context.find(f"{{{XBRLI}}}entity")
        identifier = entity.find(f"{{{XBRLI}}}identifier") if entity is not None else None
        segment = entity.find(f"{{{XBRLI}}}segment") if entity is not None else None
        period = context.find(f"{{{XBRLI}}}period")
        end = ""
        if period is not None:
            end = (
                period.findtext(f"{{{XBRLI}}}endDate")
                or period.findtext(f"{{{XBRLI}}}instant")
                or ""
            )
        cik = ""
        if identifier is not None and identifier.get("scheme") == SEC_CIK_SCHEME:
            cik = (identifier.text or "").strip()
        dimensional = segment is not None or context.find(f"{{{XBRLI}}}scenario") is not None
        found[context.get("id") or ""] = _Context(dimensional, parse_date(end.strip()), cik)
    return found


def _ten_digits(cik: str) -> str:
    digits = cik.strip()
    return digits.zfill(10) if digits.isdigit() and len(digits) <= 10 else digits
