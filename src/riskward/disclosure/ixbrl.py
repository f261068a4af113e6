"""Inline XBRL 1.1 writer: one FactSet becomes an XHTML document and its extension schema.

The tree is built with lxml, so user text is always escaped by the serializer and never pasted into
markup. Output is byte-deterministic (fixed ids and order, no timestamps, dei facts in the table's
order whatever the dict order) so content hashes are stable. No Django imports.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from lxml import etree

from riskward.disclosure import elements as el
from riskward.disclosure.facts import Cover, FactSet, FactValue, Form
from riskward.lib.errors import InvalidInput

XHTML = "http://www.w3.org/1999/xhtml"
IX = "http://www.xbrl.org/2013/inlineXBRL"
IXT = "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"
XBRLI = "http://www.xbrl.org/2003/instance"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
ISO4217 = "http://www.xbrl.org/2003/iso4217"
XS = "http://www.w3.org/2001/XMLSchema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CIK_SCHEME = "http://www.sec.gov/CIK"
SEC_TAXONOMY_HOST = "https://xbrl.sec.gov"
EXTENSION_HOST = "http://riskward.example"
DOCUMENT_PREFIX = "rw"

UNOFFICIAL_BANNER = "Built against Riskward's unofficial test taxonomy \u2014 not for filing"
# XML comments cannot hold character references and the document is ASCII: no dash here.
UNOFFICIAL_COMMENT = " Built against Riskward's unofficial test taxonomy - not for filing "
# A text block of one line up to this long is a phrase: written without <p> (EDGAR then shows it
# on the label's line, as the seed shows "audit committee"); anything longer is paragraphs.
PHRASE_MAX_CHARS = 300

DURATION_CONTEXT = "c-1"
CHECKED, UNCHECKED = "\u2612", "\u2610"  # the ballot boxes real covers tag with ixt:fixed-*
_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
_INVALID_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NUMBER = re.compile(
    r"^(?:(?P<currency>[A-Z]{3})\s+)?(?P<amount>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s*@\s*(?P<date>\d{4}-\d{2}-\d{2}))?$"
)
_MONTH_DAY = re.compile(r"^--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")

# dei facts written from Cover fields; naming one in cover.extra would say it twice.
_FROM_COVER = {
    "DocumentType": "form",
    "AmendmentFlag": "amendment",
    "DocumentPeriodEndDate": "period_end",
    "EntityRegistrantName": "registrant_name",
    "EntityCentralIndexKey": "cik",
    "CurrentFiscalYearEndDate": "fiscal_year_end",
}
# The cover check boxes each form shows, with the words beside them. On annual forms the first
# (annual report) is checked by default, every other box is unchecked unless cover.extra says so.
_EXCHANGE_ACT = "PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934"
_ANNUAL_BOXES = (
    ("DocumentAnnualReport", f"ANNUAL REPORT {_EXCHANGE_ACT}"),
    ("DocumentTransitionReport", f"TRANSITION REPORT {_EXCHANGE_ACT}"),
)
_8K_BOXES = {
    "WrittenCommunications": "Written communications pursuant to Rule 425 under the Securities "
    "Act (17 CFR 230.425)",
    "SolicitingMaterial": "Soliciting material pursuant to Rule 14a-12 under the Exchange Act "
    "(17 CFR 240.14a-12)",
    "PreCommencementTenderOffer": "Pre-commencement communications pursuant to Rule 14d-2(b) "
    "under the Exchange Act (17 CFR 240.14d-2(b))",
    "PreCommencementIssuerTenderOffer": "Pre-commencement communications pursuant to Rule "
    "13e-4(c) under the Exchange Act (17 CFR 240.13e-4(c))",
}
_CHECKBOXES: dict[Form, tuple[tuple[str, str], ...]] = {
    Form.FORM_10K: _ANNUAL_BOXES,
    Form.FORM_20F: (
        *_ANNUAL_BOXES,
        ("DocumentShellCompanyReport", f"SHELL COMPANY REPORT {_EXCHANGE_ACT}"),
    ),
    Form.FORM_8K: tuple(_8K_BOXES.items()),
    Form.FORM_6K: (),
}
# The line under "FORM 8-K" / "FORM 6-K"; annual covers go straight to their check boxes.
_TITLES = {
    Form.FORM_8K: "CURRENT REPORT Pursuant to Section 13 or 15(d) of the Securities Exchange "
    "Act of 1934",
    Form.FORM_6K: "REPORT OF FOREIGN PRIVATE ISSUER Pursuant to Rule 13a-16 or 15d-16 under "
    "the Securities Exchange Act of 1934",
}
_CENTERED = "text-align:center;font-weight:bold"


class FilingError(InvalidInput, ValueError):
    """The fact set cannot be written as a filing; `field` names the cover field or element."""


@dataclass(frozen=True)
class FilingPackage:
    """The files of one Inline XBRL submission, by file name."""

    document_name: str
    schema_name: str
    files: dict[str, bytes]

    @property
    def document(self) -> bytes:
        return self.files[self.document_name]

    def zip_bytes(self) -> bytes:
        """A zip of the files with fixed dates, modes and order: same files, same bytes."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(self.files):
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                archive.writestr(info, self.files[name])
        return buffer.getvalue()


# -- names shared with the validator and the renderings -------------------------------------


def _entry_point_stem(form: Form) -> str:
    return "af-sub" if form.is_annual else "8k-sub" if form is Form.FORM_8K else "6k-sub"


def cyd_entry_point_url(form: Form, year: int) -> str:
    """The cyd entry point a filing of this form imports (annual forms get the SEC's
    standard presentation from cyd-af-sub)."""
    return f"{SEC_TAXONOMY_HOST}/cyd/{year}/cyd-{_entry_point_stem(form)}-{year}.xsd"


def cyd_entry_point_namespace(form: Form, year: int) -> str:
    """The entry point's own targetNamespace, which its xs:import must name. SEC entry points
    have one (dei-sub-2023.xsd is http://xbrl.sec.gov/dei-sub/2023); the cyd spelling is not
    confirmed against the official files: if it differs, Arelle reports
    xmlSchema1.4.2.3:refSchemaNamespace and this one function changes. The entry point
    imports cyd-<year>.xsd, which brings the cyd namespace itself."""
    return f"http://xbrl.sec.gov/cyd-{_entry_point_stem(form)}/{year}"


def dei_schema_url(year: int) -> str:
    return f"{SEC_TAXONOMY_HOST}/dei/{year}/dei-{year}.xsd"


def section_heading(form: Form, item_801: bool = False) -> str:
    if item_801:
        return "Item 8.01 Other Events"
    return {
        Form.FORM_10K: "Item 1C. Cybersecurity",
        Form.FORM_20F: "Item 16K. Cybersecurity",
        Form.FORM_8K: "Item 1.05 Material Cybersecurity Incidents",
        Form.FORM_6K: "Material Cybersecurity Incident",
    }[form]


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a narrative: every non-blank line is one (a single newline is a line
    break in the source, shown as its own paragraph as EDGAR shows it); blank lines separate."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").translate({0x0B: 10, 0x0C: 10})
    return [line.strip() for line in lines.split("\n") if line.strip()]


def is_phrase(text: str) -> bool:
    """A short one-line text block, tagged and shown inline rather than as paragraphs."""
    parts = paragraphs(text)
    return len(parts) == 1 and len(parts[0]) <= PHRASE_MAX_CHARS


def label_words(element: el.Element) -> str:
    """The standard label without its "[Flag]"/"[Text Block]" suffix, for headings."""
    return re.sub(r"\s*\[[^\]]*\]$", "", element.label)


def edgar_date(value: date) -> str:
    """EDGAR's column-heading date: "Dec. 31, 2024", "May 31, 2024"."""
    month = value.strftime("%b") + ("" if value.month == 5 else ".")
    return f"{month} {value.day}, {value.year}"


def long_date(value: date) -> str:
    """The ixt:date-monthname-day-year-en form: "December 31, 2024"."""
    return f"{value:%B} {value.day}, {value.year}"


def document_names(cover: Cover) -> tuple[str, str]:
    stem = f"{DOCUMENT_PREFIX}-{cover.period_end:%Y%m%d}"
    return f"{stem}.htm", f"{stem}.xsd"


def extension_namespace(cover: Cover) -> str:
    return f"{EXTENSION_HOST}/{cover.cik}/{cover.period_end:%Y%m%d}"


# -- building -------------------------------------------------------------------------------


def build_filing(factset: FactSet, *, item_801: bool = False) -> FilingPackage:
    """The Inline XBRL document and extension schema for the fact set's form.

    `item_801` writes a Form 8-K Item 8.01 voluntary disclosure of an incident not determined
    material: the cover is tagged, the narrative is plain text (the cyd 1.05 elements are for
    Item 1.05 only)."""
    cover = factset.cover
    _check_cover(cover, factset.taxonomy_year, item_801)
    facts = _facts_to_tag(factset, item_801)
    dei = _dei_values(cover)
    document_name, schema_name = document_names(cover)
    writer = _Writer(factset, dei)
    document = writer.document(schema_name, facts, item_801)
    schema = _schema(factset, with_cyd=not item_801)
    return FilingPackage(document_name, schema_name, {document_name: document, schema_name: schema})


def build_voluntary_801(factset: FactSet) -> FilingPackage:
    """Form 8-K Item 8.01: an incident disclosed voluntarily, not determined material."""
    return build_filing(factset, item_801=True)


def _check_cover(cover: Cover, year: int, item_801: bool) -> None:
    if year not in el.SUPPORTED_YEARS:
        raise FilingError(f"taxonomy year {year} is not one of {el.SUPPORTED_YEARS}", "year")
    if not re.fullmatch(r"\d{10}", cover.cik):
        raise FilingError(f"cik: expected 10 digits, got {cover.cik!r}", "cik")
    if not cover.registrant_name.strip():
        raise FilingError("registrant_name: required", "registrant_name")
    if cover.period_start > cover.period_end:
        raise FilingError("period_start: after period_end", "period_start")
    if not _MONTH_DAY.match(cover.fiscal_year_end):
        raise FilingError(
            f"fiscal_year_end: expected --MM-DD, got {cover.fiscal_year_end!r}", "fiscal_year_end"
        )
    if item_801 and cover.form is not Form.FORM_8K:
        raise FilingError(f"Item 8.01 is a Form 8-K item, not Form {cover.form}", "form")


def _facts_to_tag(factset: FactSet, item_801: bool) -> list[tuple[el.Element, FactValue]]:
    """The facts in presentation order, empty text blocks left out; every element must belong
    to the form (annual elements on 10-K/20-F, incident elements on 8-K/6-K)."""
    use = el.Use.ANNUAL if factset.cover.form.is_annual else el.Use.INCIDENT
    chosen = []
    for name, value in factset.facts.items():
        element = el.find_element(name)
        if element is None:
            raise FilingError(f"{name}: not a cyd element in Riskward's table", name)
        if element.use is not use:
            raise FilingError(f"{element.qname} is not used on Form {factset.cover.form}", name)
        _check_text(name, value)
    for element in el.all_elements():
        found = factset.facts.get(element.name)
        if found is not None and (isinstance(found, bool) or paragraphs(found)):
            chosen.append((element, found))
    if not chosen and not item_801:
        raise FilingError("facts: nothing to tag", "facts")
    return chosen


def _check_text(field: str, value: object) -> None:
    if isinstance(value, str) and _INVALID_XML.search(value):
        raise FilingError(f"{field}: contains a control character XML cannot hold", field)


# -- dei values -----------------------------------------------------------------------------


def _dei_values(cover: Cover) -> dict[str, str]:
    """Every dei fact's lexical value, in DEI_ELEMENTS order (so dict order never matters)."""
    values = {
        "DocumentType": f"{cover.form}/A" if cover.amendment else str(cover.form),
        "AmendmentFlag": "true" if cover.amendment else "false",
        "DocumentPeriodEndDate": cover.period_end.isoformat(),
        "EntityRegistrantName": " ".join(cover.registrant_name.split()),
        "EntityCentralIndexKey": cover.cik,
        **_default_boxes(cover.form),
    }
    if cover.form.is_annual:
        values["DocumentFiscalYearFocus"] = str(cover.fiscal_year)
        values["DocumentFiscalPeriodFocus"] = "FY"
        values["CurrentFiscalYearEndDate"] = cover.fiscal_year_end
    for name, raw in cover.extra.items():
        values[name] = _extra_value(name, raw)
    _check_report_kind(cover.form, values)
    _check_text("registrant_name", values["EntityRegistrantName"])
    return {name: values[name] for name in el.DEI_ELEMENTS if name in values}


def _default_boxes(form: Form) -> dict[str, str]:
    boxes = _CHECKBOXES[form]
    return {
        name: str(form.is_annual and index == 0).lower() for index, (name, _) in enumerate(boxes)
    }


def _extra_value(name: str, raw: str) -> str:
    field = f"extra.{name}"
    if name not in el.DEI_ELEMENTS:
        raise FilingError(
            f"cover.{field}: dei:{name} is not a cover element Riskward writes", field
        )
    if name in _FROM_COVER:
        raise FilingError(f"cover.{field}: set it with Cover.{_FROM_COVER[name]}", field)
    _check_text(field, raw)
    value = " ".join(str(raw).split())
    type_ = el.DEI_ELEMENTS[name]
    if type_ == "xbrli:booleanItemType":
        value = value.lower()
        if value not in ("true", "false"):
            raise FilingError(f"cover.{field}: expected true or false, got {raw!r}", field)
    elif type_ == "xbrli:gYearItemType" and not re.fullmatch(r"\d{4}", value):
        raise FilingError(f"cover.{field}: expected a year like 2024, got {raw!r}", field)
    elif type_ in ("xbrli:sharesItemType", "xbrli:monetaryItemType"):
        _number(name, value)
    elif not value:
        raise FilingError(f"cover.{field}: empty", field)
    return value


def _check_report_kind(form: Form, values: dict[str, str]) -> None:
    kinds = [name for name, _words in _CHECKBOXES[form] if name.startswith("Document")]
    if kinds and sum(values[name] == "true" for name in kinds) != 1:
        raise FilingError(f"cover.extra: exactly one of {', '.join(kinds)} must be true", "extra")


@dataclass(frozen=True)
class _Number:
    amount: str
    unit: str  # unit id: "shares" or an ISO 4217 code
    instant: date | None


def _number(name: str, value: str) -> _Number:
    """A numeric cover value: "1234567", "USD 1,234,567.89" (public float), optionally
    "@YYYY-MM-DD" for the as-of date (default: the period end)."""
    field = f"extra.{name}"
    match = _NUMBER.match(value)
    is_money = el.DEI_ELEMENTS[name] == "xbrli:monetaryItemType"
    if not match or (match["currency"] and not is_money):
        raise FilingError(f"cover.{field}: expected a number like 1,234,567, got {value!r}", field)
    try:
        instant = date.fromisoformat(match["date"]) if match["date"] else None
    except ValueError:
        raise FilingError(f"cover.{field}: {match['date']!r} is not a date", field) from None
    unit = (match["currency"] or "USD") if is_money else "shares"
    return _Number(match["amount"].replace(",", ""), unit, instant)


# -- the document ---------------------------------------------------------------------------


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _nsmap(year: int) -> dict[str | None, str]:
    return {
        None: XHTML,
        "ix": IX,
        "ixt": IXT,
        "xbrli": XBRLI,
        "link": LINK,
        "xlink": XLINK,
        "iso4217": ISO4217,
        "dei": el.dei_namespace(year),
        "cyd": el.cyd_namespace(year),
    }


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A child element (XHTML unless `tag` is in Clark notation) whose text and attribute
    values the serializer escapes."""
    child = etree.SubElement(parent, tag if tag.startswith("{") else _q(XHTML, tag), attrs)
    child.text = text
    return child


class _Writer:
    """One document's build state: fact ids in document order, the contexts and units used."""

    def __init__(self, factset: FactSet, dei: dict[str, str]) -> None:
        self.factset = factset
        self.cover = factset.cover
        self.dei = dei
        self.visible = {"DocumentType", "EntityRegistrantName", "DocumentPeriodEndDate"}
        self.visible |= {name for name, _words in _CHECKBOXES[self.cover.form]}
        self.numbers = {
            name: _number(name, value)
            for name, value in dei.items()
            if el.DEI_ELEMENTS[name] in ("xbrli:sharesItemType", "xbrli:monetaryItemType")
        }
        self.instants = sorted({n.instant or self.cover.period_end for n in self.numbers.values()})
        self._ids = 0

    def document(
        self, schema_name: str, facts: list[tuple[el.Element, FactValue]], item_801: bool
    ) -> bytes:
        root = etree.Element(_q(XHTML, "html"), nsmap=_nsmap(self.factset.taxonomy_year))
        root.set(XML_LANG, "en-US")
        self._head(root, item_801)
        body = _add(root, "body")
        self._header(_add(body, "div", style="display:none"), schema_name)
        if self.factset.unofficial:
            _add(body, "p", UNOFFICIAL_BANNER, style="border:2px solid #b00;padding:4pt;color:#b00")
        self._cover(_add(body, "div"))
        section = _add(body, "div")
        _add(section, "h2", section_heading(self.cover.form, item_801))
        if item_801:
            _plain_narrative(section, facts)
        else:
            for element, value in facts:
                self._cyd_fact(section, element, value)
        return _serialize(root)

    def _head(self, root: etree._Element, item_801: bool) -> None:
        head = _add(root, "head")
        if self.factset.unofficial:
            head.append(etree.Comment(UNOFFICIAL_COMMENT))
        heading = section_heading(self.cover.form, item_801)
        title = f"{self.dei['EntityRegistrantName']} \u2014 Form {self.cover.form} {heading}"
        _add(head, "title", title)

    def _next_id(self) -> str:
        self._ids += 1
        return f"f-{self._ids}"

    def _fact(
        self,
        parent: etree._Element,
        qname: str,
        text: str | None,
        context: str = DURATION_CONTEXT,
        **attrs: str,
    ) -> etree._Element:
        tag = _q(IX, "nonNumeric")
        fact = _add(parent, tag, text, name=qname, contextRef=context, id=self._next_id(), **attrs)
        return fact

    # ix:header: hidden dei facts, the schemaRef, contexts and units

    def _header(self, parent: etree._Element, schema_name: str) -> None:
        header = _add(parent, _q(IX, "header"))
        hidden = _add(header, _q(IX, "hidden"))
        for name, value in self.dei.items():
            if name not in self.visible:
                self._hidden_fact(hidden, name, value)
        references = _add(header, _q(IX, "references"))
        ref = _add(references, _q(LINK, "schemaRef"))
        ref.set(_q(XLINK, "type"), "simple")
        ref.set(_q(XLINK, "href"), schema_name)
        resources = _add(header, _q(IX, "resources"))
        self._context(resources, DURATION_CONTEXT, self.cover.period_start, self.cover.period_end)
        for index, instant in enumerate(self.instants, start=2):
            self._context(resources, f"c-{index}", None, instant)
        for unit in sorted({number.unit for number in self.numbers.values()}):
            measure = "xbrli:shares" if unit == "shares" else f"iso4217:{unit}"
            _add(_add(resources, _q(XBRLI, "unit"), id=unit), _q(XBRLI, "measure"), measure)

    def _hidden_fact(self, hidden: etree._Element, name: str, value: str) -> None:
        qname = f"dei:{name}"
        number = self.numbers.get(name)
        if number is None:
            self._fact(hidden, qname, value)
            return
        context = f"c-{self.instants.index(number.instant or self.cover.period_end) + 2}"
        attrs = {"name": qname, "contextRef": context, "unitRef": number.unit}
        attrs |= {"decimals": "INF", "id": self._next_id()}
        _add(hidden, _q(IX, "nonFraction"), number.amount, **attrs)

    def _context(
        self, parent: etree._Element, context_id: str, start: date | None, end: date
    ) -> None:
        context = _add(parent, _q(XBRLI, "context"), id=context_id)
        entity = _add(context, _q(XBRLI, "entity"))
        _add(entity, _q(XBRLI, "identifier"), self.cover.cik, scheme=CIK_SCHEME)
        period = _add(context, _q(XBRLI, "period"))
        if start is None:
            _add(period, _q(XBRLI, "instant"), end.isoformat())
        else:
            _add(period, _q(XBRLI, "startDate"), start.isoformat())
            _add(period, _q(XBRLI, "endDate"), end.isoformat())

    # the visible cover

    def _cover(self, parent: etree._Element) -> None:
        form = self.cover.form
        _add(parent, "p", "UNITED STATES SECURITIES AND EXCHANGE COMMISSION", style=_CENTERED)
        line = _add(parent, "p", "FORM ", style=_CENTERED)
        self._fact(line, "dei:DocumentType", self.dei["DocumentType"])
        if form in _TITLES:
            _add(parent, "p", _TITLES[form], style=_CENTERED)
        annual = form.is_annual
        for index, (name, words) in enumerate(_CHECKBOXES[form]):
            self._checkbox(parent, name, words)
            if annual and index == 0:
                self._period_line(parent, "For the fiscal year ended ")
        if not annual:
            self._period_line(parent, "Date of Report (Date of earliest event reported): ")
        name = _add(parent, "p", style=_CENTERED)
        self._fact(name, "dei:EntityRegistrantName", self.dei["EntityRegistrantName"])
        _add(parent, "p", "(Exact name of registrant as specified in its charter)")

    def _checkbox(self, parent: etree._Element, name: str, words: str) -> None:
        value = self.dei[name] == "true"
        paragraph = _add(parent, "p")
        box = CHECKED if value else UNCHECKED
        fact = self._fact(paragraph, f"dei:{name}", box, format=_fixed(value))
        fact.tail = f" {words}"

    def _period_line(self, parent: etree._Element, words: str) -> None:
        paragraph = _add(parent, "p", words)
        end = date.fromisoformat(self.dei["DocumentPeriodEndDate"])
        fmt = "ixt:date-monthname-day-year-en"
        self._fact(paragraph, "dei:DocumentPeriodEndDate", long_date(end), format=fmt)

    # the cyd facts

    def _cyd_fact(self, parent: etree._Element, element: el.Element, value: FactValue) -> None:
        """A flag on the words Yes/No; a phrase on the label's line; else a heading and one
        <p> per paragraph inside the escaped text block."""
        if isinstance(value, bool):
            paragraph = _add(parent, "p")
            _add(paragraph, "b", f"{label_words(element)}: ")
            self._fact(paragraph, element.qname, "Yes" if value else "No", format=_fixed(value))
        elif is_phrase(value):
            paragraph = _add(parent, "p")
            _add(paragraph, "b", f"{label_words(element)}: ")
            self._fact(paragraph, element.qname, paragraphs(value)[0], escape="true")
        else:
            _add(parent, "h3", label_words(element))
            block = self._fact(_add(parent, "div"), element.qname, None, escape="true")
            for text in paragraphs(value):
                _add(block, "p", text)


def _fixed(value: bool) -> str:
    return "ixt:fixed-true" if value else "ixt:fixed-false"


def _plain_narrative(parent: etree._Element, facts: Iterable[tuple[el.Element, FactValue]]) -> None:
    """Item 8.01: the incident narrative as untagged headings and paragraphs."""
    for element, value in facts:
        _add(parent, "h3", label_words(element).removeprefix("Material Cybersecurity Incident "))
        for text in paragraphs(str(value)):
            _add(parent, "p", text)


# -- the extension schema -------------------------------------------------------------------


def _schema(factset: FactSet, *, with_cyd: bool) -> bytes:
    """An extension schema with no elements of its own: it imports the cyd entry point for the
    form (which brings the cyd elements and the SEC's presentation) and dei, at the SEC's URLs."""
    cover, year = factset.cover, factset.taxonomy_year
    namespace = extension_namespace(cover)
    nsmap = {"xs": XS, DOCUMENT_PREFIX: namespace}
    root = etree.Element(
        _q(XS, "schema"),
        nsmap=nsmap,
        targetNamespace=namespace,
        elementFormDefault="qualified",
        attributeFormDefault="unqualified",
    )
    if factset.unofficial:
        root.append(etree.Comment(UNOFFICIAL_COMMENT))
    for ns, location in _imports(cover.form, year, with_cyd):
        etree.SubElement(root, _q(XS, "import"), namespace=ns, schemaLocation=location)
    etree.indent(root, space="  ")
    return _serialize(root)


def _serialize(root: etree._Element) -> bytes:
    """ASCII bytes (every other character as a character reference, which EDGAR requires)
    under a UTF-8 declaration: ASCII is UTF-8, and the declaration is the one EDGAR expects."""
    return _DECLARATION + bytes(etree.tostring(root, encoding="us-ascii", xml_declaration=False))


def _imports(form: Form, year: int, with_cyd: bool) -> Iterator[tuple[str, str]]:
    if with_cyd:
        yield cyd_entry_point_namespace(form, year), cyd_entry_point_url(form, year)
    yield el.dei_namespace(year), dei_schema_url(year)
