"""Reading existing disclosures: the seed page, Inline XBRL, EDGAR's HTML pages, and every kind
of file that is not a filing (each refused with a message saying what was found)."""

from __future__ import annotations

import codecs
import json
import time
from datetime import date
from pathlib import Path

import pytest

from riskward.disclosure import elements as el
from riskward.disclosure.importers import (
    EXPECTED,
    FilingRejected,
    facts_to_json,
    import_filing,
    sniff,
)
from riskward.lib.errors import ImportRejected
from tests.disclosure.seed import SEED_NAME, SEED_PATH, SEED_TEXT, needs_seed
from tests.disclosure.synthetic import CIK, EXPECTED_FACTS, REGISTRANT, make_large_filing

FILES = Path(__file__).parent / "files"
SEED = SEED_PATH or Path(SEED_NAME)  # a missing file: the tests that need it are skipped
SEED_LINES = {line.removeprefix("|") for line in SEED_TEXT.splitlines()}

# The seed's flags, as the filing states them.
SEED_FLAGS = {
    el.FLAG_INTEGRATED: True,
    el.FLAG_THIRD_PARTY_ENGAGED: True,
    el.FLAG_THIRD_PARTY_OVERSIGHT: True,
    el.FLAG_MATERIALLY_AFFECTED: False,
    el.FLAG_POSITIONS_RESPONSIBLE: True,
}
# Each seed text block: how many paragraphs it has and how its first one starts.
SEED_TEXTS = {
    el.TEXT_PROCESSES: (6, "Cybersecurity Risk Management Strategy"),
    el.TEXT_INTEGRATED: (2, "Cybersecurity risk management is an integral part"),
    el.TEXT_BOARD_OVERSIGHT: (1, "Our board of directors has overall oversight"),
    el.TEXT_BOARD_COMMITTEE: (1, "audit committee"),
    el.TEXT_INFORMING_COMMITTEE: (1, "Supported by our internal audit"),
    el.TEXT_ROLE_OF_MANAGEMENT: (1, "The head of our research and development team is"),
    el.TEXT_POSITIONS_RESPONSIBLE: (1, "head of our research and development team"),
    el.TEXT_EXPERTISE: (1, "The head of our research and development team is"),
}


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def rejection(data: bytes) -> FilingRejected:
    with pytest.raises(FilingRejected) as caught:
        import_filing(data, "upload")
    return caught.value


def inline(body: str, declarations: str = "") -> bytes:
    """A minimal Inline XBRL document around `body`, one fiscal-year context `FY`."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" '
        'xmlns:xbrli="http://www.xbrl.org/2003/instance" '
        'xmlns:cyd="http://xbrl.sec.gov/cyd/2024" '
        f"{declarations}>\n<body>\n<ix:header><ix:resources>"
        '<xbrli:context id="FY"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">'
        "42</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:startDate>2024-07-01"
        "</xbrli:startDate><xbrli:endDate>2025-06-30</xbrli:endDate></xbrli:period>"
        "</xbrli:context></ix:resources></ix:header>\n"
        f"{body}\n</body>\n</html>\n"
    ).encode()


def cyd(name: str, content: str, **attributes: str) -> str:
    extra = "".join(f' {key}="{value}"' for key, value in attributes.items())
    return f'<ix:nonNumeric name="cyd:{name}" contextRef="FY"{extra}>{content}</ix:nonNumeric>'


# -- the seed: EDGAR's rendered page saved as text ---------------------------------------------


@needs_seed
def test_seed_gives_its_13_facts_with_the_seed_values() -> None:
    filing = import_filing(SEED.read_bytes(), SEED.name)

    assert len(filing.facts) == 13
    assert {n: v for n, v in filing.facts.items() if el.element(n).is_flag} == SEED_FLAGS
    for name, (count, start) in SEED_TEXTS.items():
        text = filing.facts[name]
        assert isinstance(text, str)
        paragraphs = text.split("\n")
        assert len(paragraphs) == count, name
        assert paragraphs[0].startswith(start), name
        # Every paragraph is a whole line of the seed (a one-line value sits on its "|" line),
        # and a block is consecutive lines of it.
        assert all(p in SEED_LINES for p in paragraphs), name
        assert f"\n{text}\n" in SEED_TEXT or f"\n|{text}\n" in SEED_TEXT, name
    assert filing.facts[el.TEXT_BOARD_COMMITTEE] == "audit committee"


@needs_seed
def test_seed_cover_period_and_presentation_order() -> None:
    filing = import_filing(SEED.read_bytes(), SEED.name)

    assert filing.format == "edgar-text"
    assert filing.period_end == date(2024, 12, 31)
    assert (filing.registrant_name, filing.cik, filing.form) == ("", "", "")
    assert any("does not show the cover" in note for note in filing.notes)
    order = [e.name for e in el.all_elements() if e.name in filing.facts]
    assert list(filing.facts) == order
    # The reference pop-ups after the table are not part of the last text block.
    assert "Reference 1" not in str(filing.facts[el.TEXT_EXPERTISE])


@needs_seed
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-8-sig", "cp1252"])
def test_seed_reads_the_same_in_other_encodings(codec: str) -> None:
    expected = import_filing(SEED.read_bytes(), "utf-8").facts

    assert import_filing(SEED_TEXT.encode(codec), codec).facts == expected


@needs_seed
def test_seed_with_windows_line_endings_reads_the_same() -> None:
    expected = import_filing(SEED.read_bytes(), "lf").facts

    assert import_filing(SEED_TEXT.replace("\n", "\r\n").encode(), "crlf").facts == expected


def test_latin_1_text_is_read_and_the_guess_is_noted() -> None:
    page = (
        "|\nCybersecurity Risk Management and Strategy Disclosure\n|12 Months Ended\n"
        "Jun. 30, 2025\n|Cybersecurity Risk Role of Management [Text Block]\n"
        "|Notre directeur de la sécurité rend compte au comité.\n"
    )
    filing = import_filing(page.encode("latin-1"), "latin-1")

    assert filing.facts == {
        el.TEXT_ROLE_OF_MANAGEMENT: "Notre directeur de la sécurité rend compte au comité."
    }
    assert filing.period_end == date(2025, 6, 30)
    assert any("not valid UTF-8 (line 6)" in note for note in filing.notes)


def test_rendered_text_notes_unknown_rows_bad_flags_and_extra_columns() -> None:
    page = (
        "|\nCybersecurity Risk Management and Strategy Disclosure\n|12 Months Ended\n"
        "|Dec. 31, 2024\n|Dec. 31, 2023\n"
        "|Cybersecurity Risk Management Processes Integrated [Flag]\n|maybe\n"
        "|cybersecurity risk management  third party engaged [flag]\n|true\n|false\n"
        "|Cybersecurity Risk Something New [Text Block]\n|Words.\n"
    )
    filing = import_filing(page.encode(), "page")

    assert filing.facts == {el.FLAG_THIRD_PARTY_ENGAGED: True}
    notes = "\n".join(filing.notes)
    assert "line 6: cyd:CybersecurityRiskManagementProcessesIntegratedFlag is a flag" in notes
    assert "has 2 columns; the first is read" in notes
    assert "'Cybersecurity Risk Something New [Text Block]' is not a cyd label" in notes


def test_rendered_text_without_cyd_rows_is_refused() -> None:
    page = "|\nDocument and Entity Information\n|Document Type [Text Block]\n|10-K\n"

    error = rejection(page.encode())

    assert error.message == (
        "no cyd facts found: the rendered page has 1 labelled rows, none with a cyd label "
        "Riskward knows"
    )


# -- Inline XBRL -------------------------------------------------------------------------------


def test_small_inline_document_gives_every_fact_exactly() -> None:
    filing = import_filing(read("small_inline.htm"), "small_inline.htm")

    assert filing.facts == {
        el.TEXT_PROCESSES: "Risk Management and Strategy\n"
        "We assess risks with quarterly reviews and an annual penetration test.\n"
        "Third parties help us\nreview controls.\nWe follow ISO 27001.",
        el.FLAG_INTEGRATED: True,
        el.TEXT_INTEGRATED: "Cyber risk is part of our enterprise risk management.",
        el.FLAG_THIRD_PARTY_ENGAGED: True,
        el.FLAG_THIRD_PARTY_OVERSIGHT: False,
        el.FLAG_MATERIALLY_AFFECTED: False,
        el.TEXT_BOARD_OVERSIGHT: "The board oversees cyber risk through its audit committee, "
        "which meets quarterly.\nMeeting Quarterly",
        el.TEXT_BOARD_COMMITTEE: "audit committee",
        el.FLAG_POSITIONS_RESPONSIBLE: True,
        el.FLAG_REPORT_TO_BOARD: True,  # the segment context's "false" does not override it
    }
    assert list(filing.facts) == [e.name for e in el.all_elements() if e.name in filing.facts]


def test_small_inline_document_cover_year_and_notes() -> None:
    filing = import_filing(read("small_inline.htm"), "small_inline.htm")

    assert filing.format == "inline-xbrl"
    assert filing.registrant_name == "Example Holdings Ltd."
    assert filing.cik == "0000123456"
    assert filing.form == "20-F"
    assert filing.period_end == date(2024, 12, 31)
    assert filing.taxonomy_year == 2024
    notes = "\n".join(filing.notes)
    assert "cyd:CybersecurityRiskFutureElementTextBlock is not in Riskward's cyd element" in notes
    assert "cyd/2024: 10, cyd/2025: 2" in notes


@pytest.mark.parametrize(
    ("declaration", "form", "text", "expected"),
    [
        ('xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"',
         "ixt:fixed-true", "have", True),
        ('xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"',
         "ixt:fixed-false", "have", False),
        ('xmlns:ixt3="http://www.xbrl.org/inlineXBRL/transformation/2015-02-26"',
         "ixt3:fixed-true", "no", True),
        ('xmlns:ixt3="http://www.xbrl.org/inlineXBRL/transformation/2015-02-26"',
         "ixt3:booleanfalse", "yes", False),
        ('xmlns:t="http://www.xbrl.org/inlineXBRL/transformation/2022-02-16"',
         "t:fixed-true", "", True),
        ('xmlns:ixt-sec="http://www.sec.gov/inlineXBRL/transformation/2015-08-31"',
         "ixt-sec:boolballotbox", "\u2612", True),
        ('xmlns:ixt-sec="http://www.sec.gov/inlineXBRL/transformation/2015-08-31"',
         "ixt-sec:boolballotbox", "\u2610", False),
        ("", None, " True ", True),
        ("", None, "false", False),
    ],
)  # fmt: skip
def test_flags_read_from_any_ixt_version_or_plain_text(
    declaration: str, form: str | None, text: str, expected: bool
) -> None:
    attributes = {"format": form} if form else {}
    body = cyd(el.FLAG_THIRD_PARTY_ENGAGED, text, **attributes)

    filing = import_filing(inline(body, declaration), "flag")

    assert filing.facts == {el.FLAG_THIRD_PARTY_ENGAGED: expected}


@pytest.mark.parametrize(
    ("declaration", "form", "text"),
    [
        ('xmlns:x="http://example.com/not-a-transform"', "x:fixed-true", "yes"),
        ('xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"',
         "ixt:num-dot-decimal", "1"),
        ("", None, "we have"),
    ],
)  # fmt: skip
def test_unreadable_flags_are_skipped_with_a_note(
    declaration: str, form: str | None, text: str
) -> None:
    attributes = {"format": form} if form else {}
    body = cyd(el.FLAG_INTEGRATED, text, **attributes) + cyd(el.TEXT_ROLE_OF_MANAGEMENT, "CISO")

    filing = import_filing(inline(body, declaration), "flag")

    assert filing.facts == {el.TEXT_ROLE_OF_MANAGEMENT: "CISO"}
    assert any(f"{el.element(el.FLAG_INTEGRATED).qname} is a flag" in n for n in filing.notes)


def test_broken_continuation_chains_cut_the_text_with_a_note() -> None:
    body = (
        cyd(el.TEXT_PROCESSES, "<p>One.</p>", escape="true", continuedAt="a")
        + '<ix:continuation id="a" continuedAt="b"><p>Two.</p></ix:continuation>'
        + '<ix:continuation id="b" continuedAt="a"><p>Three.</p></ix:continuation>'
        + cyd(el.TEXT_ROLE_OF_MANAGEMENT, "<p>Role.</p>", escape="true", continuedAt="nowhere")
    )

    filing = import_filing(inline(body), "chains")

    assert filing.facts[el.TEXT_PROCESSES] == "One.\nTwo.\nThree."
    assert filing.facts[el.TEXT_ROLE_OF_MANAGEMENT] == "Role."
    notes = "\n".join(filing.notes)
    assert "continuation 'a' loops back" in notes
    assert "continuation 'nowhere' is missing" in notes


def test_period_end_and_cik_fall_back_to_the_context() -> None:
    filing = import_filing(inline(cyd(el.FLAG_INTEGRATED, "true")), "no dei")

    assert filing.period_end == date(2025, 6, 30)
    assert filing.cik == "0000000042"
    assert filing.form == ""
    assert any("period end taken from the cyd facts' context" in n for n in filing.notes)


def test_a_filing_without_cyd_facts_says_how_many_facts_it_has() -> None:
    error = rejection(read("no_cyd.htm"))

    assert error.message == (
        "no cyd facts found: the filing has 5 facts, none in a cyd namespace (cyd/2024 or cyd/2025)"
    )
    assert isinstance(error, ImportRejected)
    assert error.problems == [(0, "", error.message)]


def test_a_filing_whose_cyd_facts_are_all_unusable_says_why() -> None:
    body = cyd("CybersecurityRiskBrandNewTextBlock", "Text.") + cyd(el.FLAG_INTEGRATED, "maybe")

    message = rejection(inline(body)).message

    assert message.startswith("no cyd facts Riskward can read: the filing has 2 cyd facts")
    assert (
        "cyd:CybersecurityRiskBrandNewTextBlock is not in Riskward's cyd element table" in message
    )
    assert "is a flag but reads text 'maybe'" in message


def test_a_fact_naming_a_missing_context_is_read_with_a_note() -> None:
    body = cyd(el.FLAG_INTEGRATED, "true").replace('contextRef="FY"', 'contextRef="FY9"')

    filing = import_filing(inline(body), "context")

    assert filing.facts == {el.FLAG_INTEGRATED: True}
    assert any("names no context the filing has" in note for note in filing.notes)


def test_malformed_xml_is_refused_naming_the_line() -> None:
    data = read("malformed.htm")
    broken_line = next(
        number
        for number, line in enumerate(data.decode().splitlines(), start=1)
        if "</div>" in line and "<span>" in line
    )

    error = rejection(data)

    assert error.message.startswith(
        f"the Inline XBRL document is not well-formed XML: line {broken_line}, column"
    )
    assert "Opening and ending tag mismatch" in error.message
    assert error.problems[0][0] == broken_line


def test_billion_laughs_is_refused_without_expanding_anything() -> None:
    started = time.perf_counter()

    error = rejection(read("billion_laughs.htm"))

    assert time.perf_counter() - started < 2
    assert "declares XML entities (lol, lol1, lol2, ...) at line 3" in error.message
    assert "lollol" not in error.message


def test_external_entities_are_refused_and_never_read() -> None:
    data = inline(cyd(el.TEXT_ROLE_OF_MANAGEMENT, "&xxe;"))
    data = data.replace(
        b"<html", b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<html', 1
    )

    error = rejection(data)

    assert "declares XML entities (xxe)" in error.message
    assert "root:" not in error.message


def test_entities_in_unrelated_xml_are_refused_too() -> None:
    data = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n<r>&a;&a;</r>'

    assert "the file declares XML entities (a)" in rejection(data).message


def test_utf16_and_declared_latin_1_inline_documents_are_read() -> None:
    body = cyd(el.TEXT_ROLE_OF_MANAGEMENT, "<p>Le comité reçoit un rapport.</p>", escape="true")
    utf8 = inline(body)
    utf16 = utf8.decode().replace('encoding="utf-8"', 'encoding="UTF-16"').encode("utf-16")
    latin = utf8.decode().replace('encoding="utf-8"', 'encoding="ISO-8859-1"').encode("latin-1")

    for data in (utf8, utf16, latin):
        filing = import_filing(data, "encoded")
        assert filing.facts == {el.TEXT_ROLE_OF_MANAGEMENT: "Le comité reçoit un rapport."}


def test_wrongly_declared_encoding_is_refused_naming_the_line() -> None:
    body = "\n\n" + cyd(el.TEXT_ROLE_OF_MANAGEMENT, "comité")
    data = inline(body).replace("comité".encode(), "comité".encode("latin-1"))
    line = data[: data.index(b"comit")].count(b"\n") + 1

    error = rejection(data)

    assert f"not valid in its declared encoding at line {line}" in error.message
    assert "save it as UTF-8" in error.message


def test_parser_limits_give_a_clear_error_with_the_line() -> None:
    deep = "<div>" * 300 + "</div>" * 300
    data = inline(f"\n{deep}\n" + cyd(el.FLAG_INTEGRATED, "true"))

    error = rejection(data)

    line = data.decode().splitlines().index(deep) + 1
    assert f"exceeds the XML parser's safety limits at line {line}" in error.message


def test_a_file_over_the_size_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sniff, "MAX_FILING_BYTES", 2 * 2**20)

    error = rejection(b" " * (3 * 2**20))

    assert error.message == f"{EXPECTED}; found a file of 3.0 MB; Riskward reads filings up to 2 MB"


# -- EDGAR's rendered page as HTML (an R page) -------------------------------------------------


def test_rendered_html_page_is_read_by_element_name() -> None:
    filing = import_filing(read("r_page.htm"), "R7.htm")

    assert filing.format == "edgar-html"
    assert filing.period_end == date(2024, 12, 31)
    assert filing.facts == {
        el.TEXT_PROCESSES: "Cybersecurity Risk Management Strategy\n"
        "We run \u201cquarterly\u201d training and an annual penetration test.\n"
        "Exercise Tabletop",
        el.FLAG_INTEGRATED: True,
        # A filer's own label, read through the defref link to the element.
        el.FLAG_THIRD_PARTY_ENGAGED: False,
        el.TEXT_BOARD_COMMITTEE: "audit committee",
    }
    # The extension element that borrows a standard label is not taken for the cyd element.
    assert el.TEXT_ROLE_OF_MANAGEMENT not in filing.facts


# -- files that are not filings ----------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file"),
        (PNG, "a PNG file (image/png)"),
        (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive"),
        (b"", "an empty file"),
        (b" \r\n\t ", "an empty file"),
        (codecs.BOM_UTF8, "an empty file"),
        (b"\x00\x01\x02\x03binary\x00\x10", "binary data, not text"),
        (b'<?xml version="1.0"?>\n<foo xmlns="urn:x"/>', "XML with root element {urn:x}foo"),
        (b'<xbrl xmlns="http://www.xbrl.org/2003/instance"/>', "an XBRL instance document"),
        (b"<!DOCTYPE html><html><body><p>Hello<br></body></html>", "an HTML page with no Inline"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "an XHTML page with no"),
        (b"<a>\n<b>\n</a>", "markup, but it is not well-formed XML: line 3, column"),
        (b'{"facts": []}', "JSON or other structured text"),
        (b"Item 1C. Cybersecurity\nWe have a program.", "plain text that is not an EDGAR"),
    ],
)  # fmt: skip
def test_anything_else_is_refused_saying_what_was_found(data: bytes, found: str) -> None:
    error = rejection(data)

    assert error.message.startswith(f"{EXPECTED}; found {found}")


def test_inline_namespace_on_a_non_html_root_is_refused() -> None:
    data = b'<ix:header xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"/>'

    message = rejection(data).message

    assert "root element {http://www.xbrl.org/2013/inlineXBRL}header" in message
    assert "not an XHTML <html> document" in message


# -- JSON for the CLI --------------------------------------------------------------------------


def test_facts_to_json_is_json_with_cover_and_facts_in_order() -> None:
    filing = import_filing(read("small_inline.htm"), "small_inline.htm")

    data = json.loads(json.dumps(facts_to_json(filing)))

    assert data["period_end"] == "2024-12-31"
    assert data["cik"] == "0000123456"
    assert data["fact_count"] == len(filing.facts) == len(data["facts"])
    assert [f["element"] for f in data["facts"]] == list(filing.facts)
    first = data["facts"][0]
    processes = el.element(el.TEXT_PROCESSES)
    assert first == {
        "element": processes.name,
        "qname": processes.qname,
        "label": processes.label,
        "kind": "textBlock",
        "value": filing.facts[processes.name],
    }
    assert data["notes"] == list(filing.notes)


# -- the synthetic 10-K the benchmark uses ------------------------------------------------------


def test_synthetic_10k_reaches_its_size_and_imports_its_cyd_facts() -> None:
    data = make_large_filing(300_000)

    filing = import_filing(data, "synthetic.htm")

    assert 300_000 <= len(data) < 360_000  # a page of tables at most past the target
    assert data == make_large_filing(300_000)
    assert filing.facts == EXPECTED_FACTS
    assert (filing.registrant_name, filing.cik, filing.form) == (REGISTRANT, CIK, "10-K")
    assert filing.period_end == date(2024, 12, 31)
    assert filing.notes == ()
    assert data.count(b"<ix:nonFraction") > 200
