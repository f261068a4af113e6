"""The human renderings: EDGAR-style text (checked against the seed filing), HTML preview, PDF."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils.html import escape
from django.utils.safestring import mark_safe

from riskward.disclosure import elements as el
from riskward.disclosure import ixbrl, rendering
from riskward.disclosure.facts import Cover, FactSet, FactValue, Form, ImportedFiling
from riskward.disclosure.importers import import_filing
from tests.disclosure.seed import SEED_NAME, SEED_PATH, needs_seed

SEED = SEED_PATH or Path(SEED_NAME)  # a missing file: the tests that need it are skipped
LINE_ITEMS = "|Cybersecurity Risk Management, Strategy, and Governance [Line Items]"


def seed_lines() -> list[str]:
    """The seed page up to EDGAR's "|X References" trailers, which the rendering omits."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return lines[: lines.index("|X")]


def parse_seed(lines: list[str]) -> dict[str, FactValue]:
    """A tiny reader of EDGAR's text layout: "|label", then "|value" or "|" and paragraphs."""
    facts: dict[str, FactValue] = {}
    at = lines.index(LINE_ITEMS) + 1
    while at < len(lines):
        element = el.element_by_label()[lines[at][1:]]
        if lines[at + 1] == "|":
            end = at + 2
            while end < len(lines) and not lines[end].startswith("|"):
                end += 1
            facts[element.name] = "\n".join(lines[at + 2 : end])
        else:
            value = lines[at + 1][1:]
            facts[element.name] = value == "true" if element.is_flag else value
            end = at + 2
        at = end
    return facts


def make(facts: dict[str, FactValue], form: Form = Form.FORM_20F, **fields: Any) -> FactSet:
    cover: dict[str, Any] = {
        "registrant_name": "Example Holdings Ltd.",
        "cik": "0000123456",
        "period_start": date(2024, 1, 1),
        "period_end": date(2024, 12, 31),
    }
    unofficial = fields.pop("unofficial", False)
    return FactSet(Cover(form=form, **{**cover, **fields}), facts, unofficial=unofficial)


# -- text -----------------------------------------------------------------------------------


@needs_seed
def test_text_reproduces_the_seed_filing_line_for_line() -> None:
    lines = seed_lines()
    facts = parse_seed(lines)
    assert len(facts) == 13
    text = rendering.render_text(make(facts))
    assert text.endswith("\n")
    assert text.rstrip("\n").split("\n") == lines


@needs_seed
def test_text_of_the_seed_as_imported_matches_the_seed() -> None:
    imported = import_filing(SEED.read_bytes(), SEED.name)
    assert rendering.render_text(imported).rstrip("\n").split("\n") == seed_lines()


@needs_seed
def test_text_keeps_presentation_order_whatever_the_dict_order() -> None:
    facts = parse_seed(seed_lines())
    reversed_facts = dict(reversed(facts.items()))
    assert rendering.render_text(make(reversed_facts)) == rendering.render_text(make(facts))


def test_text_values_flags_phrases_and_paragraphs() -> None:
    facts: dict[str, FactValue] = {
        el.FLAG_INTEGRATED: False,
        el.TEXT_PROCESSES: "Heading\n\nFirst paragraph.\nSecond line.",
        el.TEXT_BOARD_COMMITTEE: "  risk committee  ",
        el.TEXT_ROLE_OF_MANAGEMENT: "",  # empty: left out, as the writer leaves it out
    }
    lines = rendering.render_text(make(facts)).split("\n")
    body = lines[lines.index(LINE_ITEMS) + 1 : -1]
    assert body == [
        "|" + el.element(el.TEXT_PROCESSES).label,
        "|",
        "Heading",
        "First paragraph.",
        "Second line.",
        "|" + el.element(el.FLAG_INTEGRATED).label,
        "|false",
        "|" + el.element(el.TEXT_BOARD_COMMITTEE).label,
        "|risk committee",
    ]


def test_text_heading_for_an_incident_is_the_report_date() -> None:
    facts: dict[str, FactValue] = {el.INCIDENT_NATURE: "Ransomware."}
    factset = make(facts, Form.FORM_8K, period_start=date(2025, 5, 2), period_end=date(2025, 5, 2))
    lines = rendering.render_text(factset).split("\n")
    assert lines[:4] == [
        "|",
        rendering.INCIDENT_TITLE,
        "|May 2, 2025",
        "|" + rendering.INCIDENT_LINE_ITEMS,
    ]
    assert lines[4:6] == ["|" + el.element(el.INCIDENT_NATURE).label, "|Ransomware."]


def test_text_heading_counts_months_like_edgar() -> None:
    facts: dict[str, FactValue] = {el.FLAG_INTEGRATED: True}
    fifty_two_weeks = make(facts, period_start=date(2023, 10, 1), period_end=date(2024, 9, 28))
    assert rendering.render_text(fifty_two_weeks).split("\n")[2:4] == [
        "|12 Months Ended",
        "Sep. 28, 2024",
    ]
    short_year = make(facts, period_start=date(2024, 7, 1), period_end=date(2024, 12, 31))
    assert rendering.render_text(short_year).split("\n")[2] == "|6 Months Ended"


def test_text_of_a_bare_mapping_needs_its_period_given() -> None:
    facts: dict[str, FactValue] = {el.FLAG_INTEGRATED: True}
    without = rendering.render_text(facts).split("\n")
    assert without[:3] == ["|", rendering.ANNUAL_TITLE, LINE_ITEMS]
    dated = rendering.render_text(facts, period_end=date(2024, 6, 30)).split("\n")
    assert dated[2:4] == ["|12 Months Ended", "Jun. 30, 2024"]
    imported = ImportedFiling(source="x", format="inline-xbrl", facts=facts, form="10-K")
    assert rendering.render_text(imported).split("\n")[:3] == [
        "|",
        rendering.ANNUAL_TITLE,
        LINE_ITEMS,
    ]


def test_text_refuses_unknown_elements_naming_them() -> None:
    with pytest.raises(ValueError, match="NotAnElementFlag"):
        rendering.render_text({"NotAnElementFlag": True})


# -- HTML preview ---------------------------------------------------------------------------


def test_html_preview_shows_the_cover_labels_and_yes_no_flags() -> None:
    facts: dict[str, FactValue] = {
        el.FLAG_INTEGRATED: True,
        el.FLAG_MATERIALLY_AFFECTED: False,
        el.TEXT_PROCESSES: "First.\nSecond.",
    }
    factset = make(facts, extra={"EntityFileNumber": "001-12345", "EntityShellCompany": "false"})
    html = rendering.render_html(factset)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "<title>Example Holdings Ltd. \u2014 Form 20-F Item 16K. Cybersecurity</title>" in html
    assert '<th scope="row">Central Index Key</th><td>0000123456</td>' in html
    assert '<th scope="row">Fiscal year</th><td>January 1, 2024 to December 31, 2024</td>' in html
    assert '<th scope="row">Fiscal year end</th><td>December 31</td>' in html
    assert '<th scope="row">Entity File Number</th><td>001-12345</td>' in html
    assert '<th scope="row">Entity Shell Company</th><td>No</td>' in html
    assert "<h3>Cybersecurity Risk Management Processes Integrated</h3>" in html
    assert '<p class="rw-flag">Yes</p>' in html and '<p class="rw-flag">No</p>' in html
    assert "<p>First.</p>" in html and "<p>Second.</p>" in html
    assert escape(ixbrl.UNOFFICIAL_BANNER) not in html and "(unofficial" not in html
    assert "<script" not in html and "http" not in html.split("</head>")[0]


def test_html_preview_escapes_narrative_and_flags_the_unofficial_taxonomy() -> None:
    hostile = '<script>alert("x")</script> & <img src="https://example.com/x.png">'
    factset = make({el.TEXT_PROCESSES: hostile}, registrant_name="A <b>B</b>", unofficial=True)
    html = rendering.render_html(factset)
    assert "<script>" not in html and "<img" not in html and "<b>B</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    assert escape(ixbrl.UNOFFICIAL_BANNER) in html
    assert "cyd 2024 (unofficial test taxonomy)" in html


def test_html_preview_context_overrides_the_heading() -> None:
    factset = make({el.INCIDENT_NATURE: "Ransomware."}, Form.FORM_8K)
    assert "<h2>Item 1.05 Material Cybersecurity Incidents</h2>" in rendering.render_html(factset)
    html = rendering.render_html(factset, {"heading": "Item 8.01 Other Events"})
    assert "<h2>Item 8.01 Other Events</h2>" in html
    assert '<th scope="row">Date of report</th><td>December 31, 2024</td>' not in html


# -- PDF ------------------------------------------------------------------------------------


@needs_seed
def test_pdf_is_a_pdf() -> None:
    pdf = rendering.render_pdf(make(parse_seed(seed_lines()), unofficial=True))
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_pdf_fetches_nothing_from_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(address: object, *args: object, **kwargs: object) -> None:
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    remote = mark_safe('<img src="https://example.com/logo.png" alt="">')
    pdf = rendering.render_pdf(make({el.FLAG_INTEGRATED: True}), {"heading": remote})
    assert pdf.startswith(b"%PDF-")
    assert attempts == []


@pytest.mark.parametrize(
    "url", ["https://example.com/a.css", "http://x/a.png", "file:///etc/passwd"]
)
def test_pdf_url_fetcher_refuses_everything_but_data_urls(url: str) -> None:
    fetcher = rendering.offline_url_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
