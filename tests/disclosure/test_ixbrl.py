"""The Inline XBRL writer: structure, tagging, cover facts per form, escaping, determinism."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from riskward.disclosure import elements as el
from riskward.disclosure import ixbrl, taxonomy, validation
from riskward.disclosure.facts import Cover, FactSet, FactValue, Form
from riskward.disclosure.importers import import_filing
from riskward.lib.errors import InvalidInput

NS = {
    "h": ixbrl.XHTML,
    "ix": ixbrl.IX,
    "xbrli": ixbrl.XBRLI,
    "link": ixbrl.LINK,
    "xlink": ixbrl.XLINK,
    "xs": ixbrl.XS,
}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
HOSTILE = 'Plan <script>alert("x")</script> & more ]]> <!-- not a comment --> &amp;'

ANNUAL_FACTS: dict[str, FactValue] = {
    el.TEXT_PROCESSES: "Cybersecurity Risk Management Strategy\nWe run a program.\n\nWe test it.",
    el.FLAG_INTEGRATED: True,
    el.FLAG_THIRD_PARTY_ENGAGED: True,
    el.FLAG_MATERIALLY_AFFECTED: False,
    el.TEXT_BOARD_COMMITTEE: "audit committee",
    el.TEXT_ROLE_OF_MANAGEMENT: "Our CISO leads the program. " * 20,
}
INCIDENT_FACTS: dict[str, FactValue] = {
    el.INCIDENT_NATURE: "Ransomware encrypted file servers.",
    el.INCIDENT_SCOPE: "Two data centres.\nNo customer systems.",
    el.INCIDENT_UNDETERMINED: "The impact on results is not yet determined. " * 10,
}


def make(
    form: Form = Form.FORM_20F,
    facts: dict[str, FactValue] | None = None,
    *,
    unofficial: bool = False,
    year: int = 2024,
    **cover: Any,
) -> FactSet:
    if form.is_annual:
        dates = {"period_start": date(2024, 1, 1), "period_end": date(2024, 12, 31)}
    else:
        dates = {"period_start": date(2024, 12, 20), "period_end": date(2024, 12, 20)}
    fields: dict[str, Any] = {
        "registrant_name": "Example Holdings Ltd.",
        "cik": "0000123456",
        **dates,
        **cover,
    }
    chosen = facts if facts is not None else ANNUAL_FACTS if form.is_annual else INCIDENT_FACTS
    return FactSet(
        Cover(form=form, **fields), dict(chosen), taxonomy_year=year, unofficial=unofficial
    )


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, PARSER)


def document(factset: FactSet, **options: Any) -> etree._Element:
    package = ixbrl.build_filing(factset, **options)
    return parse(package.files[package.document_name])


def facts_named(doc: etree._Element, qname: str) -> list[etree._Element]:
    return list(
        doc.xpath("//ix:nonNumeric[@name=$n] | //ix:nonFraction[@name=$n]", namespaces=NS, n=qname)
    )


def the_fact(doc: etree._Element, qname: str) -> etree._Element:
    found = facts_named(doc, qname)
    assert len(found) == 1, f"{qname}: {len(found)} facts"
    return found[0]


def value_of(fact: etree._Element) -> str:
    """The fact's XBRL value as a processor reads it (for the formats the writer uses)."""
    fmt = fact.get("format")
    if fmt in ("ixt:fixed-true", "ixt:fixed-false"):
        return str(fmt).removeprefix("ixt:fixed-")
    text = "".join(fact.itertext())
    if fmt == "ixt:date-monthname-day-year-en":
        return datetime.strptime(text, "%B %d, %Y").date().isoformat()
    assert fmt is None, fmt
    return text


def dei_values(doc: etree._Element) -> dict[str, str]:
    found = doc.xpath("//ix:*[starts-with(@name, 'dei:')]", namespaces=NS)
    return {fact.get("name").removeprefix("dei:"): value_of(fact) for fact in found}


# -- structure ------------------------------------------------------------------------------


def test_document_is_ascii_xhtml_with_an_xml_declaration_and_every_namespace() -> None:
    package = ixbrl.build_filing(make())
    data = package.files[package.document_name]
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    data.decode("ascii")  # non-ASCII text is written as character references, as EDGAR wants
    root = parse(data)
    assert root.tag == f"{{{ixbrl.XHTML}}}html"
    assert root.nsmap == {
        None: "http://www.w3.org/1999/xhtml",
        "ix": "http://www.xbrl.org/2013/inlineXBRL",
        "ixt": "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12",
        "xbrli": "http://www.xbrl.org/2003/instance",
        "link": "http://www.xbrl.org/2003/linkbase",
        "xlink": "http://www.w3.org/1999/xlink",
        "iso4217": "http://www.xbrl.org/2003/iso4217",
        "dei": "http://xbrl.sec.gov/dei/2024",
        "cyd": "http://xbrl.sec.gov/cyd/2024",
    }
    assert package.document_name == "rw-20241231.htm"
    assert package.schema_name == "rw-20241231.xsd"
    assert set(package.files) == {"rw-20241231.htm", "rw-20241231.xsd"}


def test_taxonomy_year_sets_the_cyd_and_dei_namespaces() -> None:
    package = ixbrl.build_filing(make(year=2025))
    root = parse(package.document)
    assert root.nsmap["cyd"] == "http://xbrl.sec.gov/cyd/2025"
    assert root.nsmap["dei"] == "http://xbrl.sec.gov/dei/2025"
    imports = parse(package.files[package.schema_name]).findall("xs:import", NS)
    assert {i.get("schemaLocation") for i in imports} == {
        "https://xbrl.sec.gov/cyd/2025/cyd-af-sub-2025.xsd",
        "https://xbrl.sec.gov/dei/2025/dei-2025.xsd",
    }


def test_one_header_inside_a_hidden_div_with_hidden_references_and_resources_in_order() -> None:
    doc = document(make())
    headers = doc.findall(".//ix:header", NS)
    assert len(headers) == 1
    assert headers[0].getparent().tag == f"{{{ixbrl.XHTML}}}div"
    assert headers[0].getparent().get("style") == "display:none"
    assert [etree.QName(child).localname for child in headers[0]] == [
        "hidden",
        "references",
        "resources",
    ]
    (ref,) = headers[0].findall("ix:references/link:schemaRef", NS)
    assert ref.get(f"{{{ixbrl.XLINK}}}href") == "rw-20241231.xsd"
    assert ref.get(f"{{{ixbrl.XLINK}}}type") == "simple"


def test_duration_context_has_the_fiscal_year_the_cik_scheme_and_no_segment() -> None:
    doc = document(make(cik="0000320193"))
    (context,) = doc.findall(".//ix:resources/xbrli:context", NS)
    assert context.get("id") == "c-1"
    identifier = context.find("xbrli:entity/xbrli:identifier", NS)
    assert identifier.get("scheme") == "http://www.sec.gov/CIK"
    assert identifier.text == "0000320193"
    assert context.find("xbrli:entity/xbrli:segment", NS) is None
    assert context.findtext("xbrli:period/xbrli:startDate", namespaces=NS) == "2024-01-01"
    assert context.findtext("xbrli:period/xbrli:endDate", namespaces=NS) == "2024-12-31"
    assert doc.findall(".//xbrli:unit", NS) == []  # no numeric fact, no unit


def test_every_cyd_fact_is_tagged_once_in_the_fiscal_year_context() -> None:
    factset = make()
    doc = document(factset)
    tagged = doc.xpath("//ix:nonNumeric[starts-with(@name, 'cyd:')]/@name", namespaces=NS)
    assert tagged == [el.element(name).qname for name in factset.facts]  # presentation order
    for name, value in factset.facts.items():
        fact = the_fact(doc, el.element(name).qname)
        assert fact.get("contextRef") == "c-1"
        if isinstance(value, bool):
            assert fact.get("format") == ("ixt:fixed-true" if value else "ixt:fixed-false")
            assert fact.text == ("Yes" if value else "No")
            assert fact.get("escape") is None
        else:
            assert fact.get("escape") == "true"
            assert fact.get("format") is None


def test_text_blocks_are_one_paragraph_per_line_and_short_ones_are_phrases() -> None:
    doc = document(make())
    block = the_fact(doc, el.element(el.TEXT_PROCESSES).qname)
    paragraphs = block.findall("h:p", NS)
    assert [p.text for p in paragraphs] == [
        "Cybersecurity Risk Management Strategy",
        "We run a program.",
        "We test it.",
    ]
    long_single = the_fact(doc, el.element(el.TEXT_ROLE_OF_MANAGEMENT).qname)
    assert [p.text for p in long_single.findall("h:p", NS)] == [
        str(ANNUAL_FACTS[el.TEXT_ROLE_OF_MANAGEMENT]).strip()
    ]
    phrase = the_fact(doc, el.element(el.TEXT_BOARD_COMMITTEE).qname)
    assert len(phrase) == 0 and phrase.text == "audit committee"


def test_empty_text_blocks_are_left_out_and_a_set_with_nothing_to_tag_is_refused() -> None:
    doc = document(make(facts={el.FLAG_INTEGRATED: True, el.TEXT_PROCESSES: " \n\n "}))
    assert facts_named(doc, el.element(el.TEXT_PROCESSES).qname) == []
    with pytest.raises(ixbrl.FilingError, match="nothing to tag"):
        ixbrl.build_filing(make(facts={el.TEXT_PROCESSES: ""}))


def test_fact_ids_and_context_ids_are_unique() -> None:
    factset = make(Form.FORM_10K, extra={"EntityCommonStockSharesOutstanding": "1,000"})
    doc = document(factset)
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids)) and len(ids) > 10


def test_no_script_and_no_external_reference_in_the_document() -> None:
    doc = document(make(facts={**ANNUAL_FACTS, el.TEXT_BOARD_OVERSIGHT: HOSTILE}))
    assert (
        doc.xpath("//*[local-name()='script' or local-name()='img' or local-name()='link']") == []
    )
    references = doc.xpath("//@href | //@src | //@xlink:href", namespaces=NS)
    assert references == ["rw-20241231.xsd"]


# -- escaping -------------------------------------------------------------------------------


def test_hostile_narrative_and_cover_text_stay_text() -> None:
    factset = make(
        facts={el.TEXT_PROCESSES: f"{HOSTILE}\n{HOSTILE}", el.TEXT_BOARD_COMMITTEE: HOSTILE},
        registrant_name="Evil <b>Corp</b> & Co",
        extra={"EntityFileNumber": "001-<x>&"},
    )
    package = ixbrl.build_filing(factset)
    assert b"<script" not in package.document and b"<!-- not" not in package.document
    doc = parse(package.document)
    assert doc.xpath("//*[local-name()='script' or local-name()='b' and text()='Corp']") == []
    block = the_fact(doc, el.element(el.TEXT_PROCESSES).qname)
    assert [p.text for p in block.findall("h:p", NS)] == [HOSTILE, HOSTILE]
    assert the_fact(doc, el.element(el.TEXT_BOARD_COMMITTEE).qname).text == HOSTILE
    assert dei_values(doc)["EntityRegistrantName"] == "Evil <b>Corp</b> & Co"
    assert dei_values(doc)["EntityFileNumber"] == "001-<x>&"
    assert doc.findtext("h:head/h:title", namespaces=NS).startswith("Evil <b>Corp</b> & Co")


def test_non_ascii_text_round_trips_through_character_references() -> None:
    text = "Überwachung \u2014 \u201cquoted\u201d \u2603"
    package = ixbrl.build_filing(make(facts={el.TEXT_BOARD_COMMITTEE: text}))
    assert b"&#8212;" in package.document
    assert the_fact(parse(package.document), el.element(el.TEXT_BOARD_COMMITTEE).qname).text == text


def test_control_characters_are_refused_naming_the_element_and_word_line_breaks_split() -> None:
    with pytest.raises(ixbrl.FilingError) as caught:
        ixbrl.build_filing(make(facts={el.TEXT_PROCESSES: "bad \x00 byte"}))
    assert caught.value.field == el.TEXT_PROCESSES and isinstance(caught.value, InvalidInput)
    doc = document(make(facts={el.TEXT_PROCESSES: "line one\x0bline two " + "x" * 300}))
    block = the_fact(doc, el.element(el.TEXT_PROCESSES).qname)
    assert [p.text for p in block.findall("h:p", NS)] == ["line one", "line two " + "x" * 300]


# -- cover facts per form -------------------------------------------------------------------


def test_20f_cover_facts() -> None:
    doc = document(make(Form.FORM_20F))
    assert dei_values(doc) == {
        "AmendmentFlag": "false",
        "DocumentFiscalYearFocus": "2024",
        "DocumentFiscalPeriodFocus": "FY",
        "CurrentFiscalYearEndDate": "--12-31",
        "EntityCentralIndexKey": "0000123456",
        "DocumentType": "20-F",
        "DocumentAnnualReport": "true",
        "DocumentPeriodEndDate": "2024-12-31",
        "DocumentTransitionReport": "false",
        "DocumentShellCompanyReport": "false",
        "EntityRegistrantName": "Example Holdings Ltd.",
    }
    hidden = doc.xpath("//ix:hidden/*/@name", namespaces=NS)
    assert "dei:DocumentType" not in hidden and "dei:AmendmentFlag" in hidden
    shown = the_fact(doc, "dei:DocumentPeriodEndDate")
    assert (shown.get("format"), shown.text) == (
        "ixt:date-monthname-day-year-en",
        "December 31, 2024",
    )
    assert the_fact(doc, "dei:DocumentAnnualReport").get("format") == "ixt:fixed-true"
    assert the_fact(doc, "dei:DocumentShellCompanyReport").get("format") == "ixt:fixed-false"
    assert doc.findtext(".//h:h2", namespaces=NS) == "Item 16K. Cybersecurity"


def test_10k_cover_has_no_shell_company_report_and_its_own_heading() -> None:
    doc = document(make(Form.FORM_10K, amendment=True, extra={"AmendmentDescription": "Fix"}))
    values = dei_values(doc)
    assert "DocumentShellCompanyReport" not in values
    assert values["DocumentType"] == "10-K/A" and values["AmendmentFlag"] == "true"
    assert (
        values["DocumentAnnualReport"] == "true" and values["DocumentTransitionReport"] == "false"
    )
    assert values["AmendmentDescription"] == "Fix"
    assert doc.findtext(".//h:h2", namespaces=NS) == "Item 1C. Cybersecurity"


def test_8k_cover_has_the_rule_checkboxes_and_no_annual_facts() -> None:
    doc = document(make(Form.FORM_8K))
    values = dei_values(doc)
    for name in ("DocumentAnnualReport", "DocumentFiscalPeriodFocus", "CurrentFiscalYearEndDate"):
        assert name not in values
    for name in ("WrittenCommunications", "SolicitingMaterial", "PreCommencementTenderOffer"):
        assert values[name] == "false"
        assert the_fact(doc, f"dei:{name}").get("format") == "ixt:fixed-false"
    assert values["DocumentType"] == "8-K" and values["DocumentPeriodEndDate"] == "2024-12-20"
    assert doc.findtext(".//h:h2", namespaces=NS) == "Item 1.05 Material Cybersecurity Incidents"
    context = doc.find(".//xbrli:context", NS)
    assert context.findtext(".//xbrli:startDate", namespaces=NS) == "2024-12-20"
    tagged = doc.xpath("//ix:nonNumeric[starts-with(@name, 'cyd:')]/@name", namespaces=NS)
    assert tagged == [el.element(name).qname for name in INCIDENT_FACTS]


def test_6k_cover_is_the_minimal_one() -> None:
    values = dei_values(document(make(Form.FORM_6K)))
    assert set(values) == {
        "AmendmentFlag",
        "DocumentType",
        "DocumentPeriodEndDate",
        "EntityRegistrantName",
        "EntityCentralIndexKey",
    }
    assert values["DocumentType"] == "6-K"


def test_extra_cover_facts_are_typed_and_hidden_and_checkboxes_follow_them() -> None:
    extra = {
        "EntityFileNumber": "001-12345",
        "EntityShellCompany": "False",
        "DocumentTransitionReport": "true",
        "DocumentAnnualReport": "false",
    }
    doc = document(make(Form.FORM_20F, extra=extra))
    values = dei_values(doc)
    assert values["EntityShellCompany"] == "false"
    assert (
        values["DocumentTransitionReport"] == "true" and values["DocumentAnnualReport"] == "false"
    )
    assert the_fact(doc, "dei:EntityFileNumber").getparent().tag == f"{{{ixbrl.IX}}}hidden"
    assert the_fact(doc, "dei:DocumentTransitionReport").text == ixbrl.CHECKED


def test_numeric_cover_facts_get_units_and_instant_contexts() -> None:
    extra = {
        "EntityCommonStockSharesOutstanding": "15,000,000 @ 2025-02-14",
        "EntityPublicFloat": "EUR 2,500,000.50 @ 2024-06-28",
    }
    doc = document(make(Form.FORM_10K, extra=extra))
    units = {
        u.get("id"): u.findtext("xbrli:measure", namespaces=NS)
        for u in doc.iter(f"{{{ixbrl.XBRLI}}}unit")
    }
    assert units == {"shares": "xbrli:shares", "EUR": "iso4217:EUR"}
    contexts = {
        c.get("id"): c.findtext(".//xbrli:instant", namespaces=NS)
        for c in doc.iter(f"{{{ixbrl.XBRLI}}}context")
    }
    assert contexts == {"c-1": None, "c-2": "2024-06-28", "c-3": "2025-02-14"}
    shares = the_fact(doc, "dei:EntityCommonStockSharesOutstanding")
    assert shares.tag == f"{{{ixbrl.IX}}}nonFraction"
    assert (shares.get("unitRef"), shares.get("contextRef"), shares.text) == (
        "shares",
        "c-3",
        "15000000",
    )
    assert shares.get("decimals") == "INF"
    public_float = the_fact(doc, "dei:EntityPublicFloat")
    assert (public_float.get("unitRef"), public_float.get("contextRef")) == ("EUR", "c-2")
    assert public_float.text == "2500000.50"


def test_numeric_cover_fact_defaults_to_the_period_end_in_dollars() -> None:
    doc = document(make(Form.FORM_10K, extra={"EntityPublicFloat": "1000"}))
    fact = the_fact(doc, "dei:EntityPublicFloat")
    assert fact.get("unitRef") == "USD"
    context = doc.xpath("//xbrli:context[@id=$c]", namespaces=NS, c=fact.get("contextRef"))[0]
    assert context.findtext(".//xbrli:instant", namespaces=NS) == "2024-12-31"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"EntityNickname": "x"}, "EntityNickname"),
        ({"DocumentType": "10-K"}, "Cover.form"),
        ({"EntityShellCompany": "maybe"}, "EntityShellCompany"),
        ({"EntityCommonStockSharesOutstanding": "USD 5"}, "EntityCommonStockSharesOutstanding"),
        ({"EntityPublicFloat": "lots"}, "EntityPublicFloat"),
        ({"EntityPublicFloat": "5 @ 2024-02-30"}, "EntityPublicFloat"),
        ({"DocumentShellCompanyReport": "true"}, "exactly one"),
        ({"DocumentFiscalYearFocus": "FY24"}, "DocumentFiscalYearFocus"),
    ],
)
def test_bad_extra_cover_facts_raise_value_errors_naming_them(
    extra: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        ixbrl.build_filing(make(Form.FORM_20F, extra=extra))


@pytest.mark.parametrize(
    ("cover", "field"),
    [
        ({"cik": "123456"}, "cik"),
        ({"registrant_name": "  "}, "registrant_name"),
        ({"period_start": date(2025, 1, 1)}, "period_start"),
        ({"fiscal_year_end": "12-31"}, "fiscal_year_end"),
    ],
)
def test_bad_cover_fields_are_refused_naming_the_field(cover: dict[str, Any], field: str) -> None:
    with pytest.raises(ixbrl.FilingError) as caught:
        ixbrl.build_filing(make(**cover))
    assert caught.value.field == field


def test_elements_of_the_other_kind_of_form_are_refused() -> None:
    with pytest.raises(ixbrl.FilingError, match="not used on Form 8-K"):
        ixbrl.build_filing(make(Form.FORM_8K, facts={el.FLAG_INTEGRATED: True}))
    with pytest.raises(ixbrl.FilingError, match="not used on Form 20-F"):
        ixbrl.build_filing(make(Form.FORM_20F, facts={el.INCIDENT_NATURE: "x"}))
    with pytest.raises(ixbrl.FilingError, match="taxonomy year"):
        ixbrl.build_filing(make(year=2023))


# -- the extension schema -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "entry"),
    [
        (Form.FORM_20F, "af-sub"),
        (Form.FORM_10K, "af-sub"),
        (Form.FORM_8K, "8k-sub"),
        (Form.FORM_6K, "6k-sub"),
    ],
)
def test_extension_schema_imports_the_forms_cyd_entry_point_and_dei(form: Form, entry: str) -> None:
    package = ixbrl.build_filing(make(form))
    schema = parse(package.files[package.schema_name])
    assert schema.tag == f"{{{ixbrl.XS}}}schema"
    stamp = "20241231" if form.is_annual else "20241220"
    assert schema.get("targetNamespace") == f"http://riskward.example/0000123456/{stamp}"
    imports = [
        (i.get("namespace"), i.get("schemaLocation")) for i in schema.findall("xs:import", NS)
    ]
    assert imports == [
        (
            f"http://xbrl.sec.gov/cyd-{entry}/2024",
            f"https://xbrl.sec.gov/cyd/2024/cyd-{entry}-2024.xsd",
        ),
        ("http://xbrl.sec.gov/dei/2024", "https://xbrl.sec.gov/dei/2024/dei-2024.xsd"),
    ]
    assert schema.findall("xs:element", NS) == []


# -- Item 8.01 ------------------------------------------------------------------------------


def test_item_801_tags_the_cover_but_not_the_narrative() -> None:
    factset = make(Form.FORM_8K)
    package = ixbrl.build_voluntary_801(factset)
    doc = parse(package.document)
    assert doc.xpath("//ix:*[starts-with(@name, 'cyd:')]", namespaces=NS) == []
    assert dei_values(doc)["DocumentType"] == "8-K"
    assert doc.findtext(".//h:h2", namespaces=NS) == "Item 8.01 Other Events"
    texts = [p.text for p in doc.iter(f"{{{ixbrl.XHTML}}}p")]
    assert "Ransomware encrypted file servers." in texts and "No customer systems." in texts
    imports = parse(package.files[package.schema_name]).findall("xs:import", NS)
    assert [i.get("namespace") for i in imports] == ["http://xbrl.sec.gov/dei/2024"]
    assert ixbrl.build_filing(factset, item_801=True).files == package.files


def test_item_801_is_only_for_form_8k() -> None:
    with pytest.raises(ixbrl.FilingError, match="Form 8-K item"):
        ixbrl.build_filing(make(Form.FORM_6K), item_801=True)


# -- unofficial taxonomy --------------------------------------------------------------------


def test_unofficial_output_says_so_visibly_and_in_comments() -> None:
    package = ixbrl.build_filing(make(unofficial=True))
    doc = parse(package.document)
    banners = [p for p in doc.iter(f"{{{ixbrl.XHTML}}}p") if p.text == ixbrl.UNOFFICIAL_BANNER]
    assert len(banners) == 1
    assert not any(a.tag.startswith(f"{{{ixbrl.IX}}}") for a in banners[0].iterancestors())
    assert "unofficial test taxonomy" in " ".join(c.text for c in doc.iter(etree.Comment))
    schema = parse(package.files[package.schema_name])
    assert "unofficial test taxonomy" in " ".join(c.text for c in schema.iter(etree.Comment))


def test_official_output_has_no_banner_or_comment() -> None:
    package = ixbrl.build_filing(make(unofficial=False))
    assert b"unofficial" not in package.document
    assert b"unofficial" not in package.files[package.schema_name]


# -- determinism and the zip ----------------------------------------------------------------


def test_same_facts_give_the_same_bytes_whatever_the_dict_order() -> None:
    extra = {"EntityFileNumber": "001-1", "EntityShellCompany": "false"}
    first = ixbrl.build_filing(make(extra=extra))
    reordered = make(
        facts=dict(reversed(ANNUAL_FACTS.items())), extra=dict(reversed(extra.items()))
    )
    second = ixbrl.build_filing(reordered)
    assert first.files == second.files
    assert first.zip_bytes() == second.zip_bytes()
    changed = ixbrl.build_filing(make(facts={**ANNUAL_FACTS, el.FLAG_INTEGRATED: False}))
    assert changed.document != first.document


_DIGEST_SCRIPT = """
import hashlib
from datetime import date
from riskward.disclosure import elements as el, ixbrl
from riskward.disclosure.facts import Cover, FactSet, Form
cover = Cover(Form.FORM_10K, "A & B", "0000000042", date(2024, 1, 1), date(2024, 12, 31),
              extra={"EntityShellCompany": "false", "EntityPublicFloat": "5"})
facts = {el.FLAG_INTEGRATED: True, el.TEXT_PROCESSES: "One\\nTwo", el.TEXT_BOARD_COMMITTEE: "x"}
print(hashlib.sha256(ixbrl.build_filing(FactSet(cover, facts)).zip_bytes()).hexdigest())
"""


def test_bytes_are_stable_across_processes_and_hash_seeds() -> None:
    digests = set()
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _DIGEST_SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(run.stdout.strip())
    assert len(digests) == 1 and len(digests.pop()) == 64


def test_zip_holds_the_files_with_fixed_dates() -> None:
    package = ixbrl.build_filing(make())
    with zipfile.ZipFile(io.BytesIO(package.zip_bytes())) as archive:
        assert archive.namelist() == sorted(package.files)
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert archive.read(info) == package.files[info.filename]
    digest = hashlib.sha256(package.zip_bytes()).hexdigest()
    assert digest == hashlib.sha256(ixbrl.build_filing(make()).zip_bytes()).hexdigest()


def test_package_is_frozen() -> None:
    package = ixbrl.build_filing(make())
    with pytest.raises(AttributeError):
        package.document_name = "other.htm"  # type: ignore[misc]


# -- helpers shared with the renderings -----------------------------------------------------


def test_paragraph_rules() -> None:
    assert ixbrl.paragraphs("a\r\nb\n\n\n  c  \n") == ["a", "b", "c"]
    assert ixbrl.is_phrase("audit committee")
    assert not ixbrl.is_phrase("a\nb")
    assert ixbrl.is_phrase("x" * ixbrl.PHRASE_MAX_CHARS)
    assert not ixbrl.is_phrase("x" * (ixbrl.PHRASE_MAX_CHARS + 1))
    assert ixbrl.edgar_date(date(2024, 5, 31)) == "May 31, 2024"
    assert ixbrl.edgar_date(date(2024, 9, 30)) == "Sep. 30, 2024"
    assert ixbrl.long_date(date(2024, 12, 1)) == "December 1, 2024"


# -- what other tools read from it ----------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "item_801"),
    [
        (Form.FORM_20F, False),
        (Form.FORM_10K, False),
        (Form.FORM_8K, False),
        (Form.FORM_8K, True),
        (Form.FORM_6K, False),
    ],
)
def test_arelle_finds_no_error_against_the_test_taxonomy(
    tmp_path: Path, form: Form, item_801: bool
) -> None:
    extra = {"EntityShellCompany": "false"}
    if form is Form.FORM_10K:
        extra |= {"EntityCommonStockSharesOutstanding": "1,000 @ 2025-02-14"}
        extra |= {"EntityPublicFloat": "USD 2,000.50 @ 2024-06-28"}
    factset = make(form, extra=extra, unofficial=True)
    package = ixbrl.build_filing(factset, item_801=item_801)
    test_taxonomy = taxonomy.build_test_taxonomy(tmp_path, 2024)
    report = validation.validate_package(package.files, package.document_name, test_taxonomy)
    assert report.errors == () and report.warnings == ()
    tagged = len(parse(package.document).xpath("//ix:nonNumeric | //ix:nonFraction", namespaces=NS))
    assert report.fact_count == tagged


def test_the_inline_xbrl_importer_reads_back_the_facts_and_cover() -> None:
    factset = make(Form.FORM_20F, facts={**ANNUAL_FACTS, el.TEXT_BOARD_OVERSIGHT: HOSTILE})
    package = ixbrl.build_filing(factset)
    imported = import_filing(package.document, package.document_name)
    expected = {
        name: ixbrl.paragraphs(v) if isinstance(v, str) else v for name, v in factset.facts.items()
    }
    read = {
        name: ixbrl.paragraphs(v) if isinstance(v, str) else v for name, v in imported.facts.items()
    }
    assert read == expected
    assert (imported.form, imported.cik, imported.period_end) == (
        "20-F",
        "0000123456",
        date(2024, 12, 31),
    )
    assert imported.registrant_name == "Example Holdings Ltd."


def test_the_writer_runs_without_django() -> None:
    script = (
        "import sys, riskward.disclosure.ixbrl\n"
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    run = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False"
