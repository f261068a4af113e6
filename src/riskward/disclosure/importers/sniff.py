"""Telling what a file is from its bytes, and saying so plainly when it is not a filing.

Binary files are named by their signature (`filetype`, then a short table of our own), text is
decoded by its byte-order mark, then as UTF-8, then as Windows-1252 (what older EDGAR pages and
Windows "Save as text" produce), and markup is told apart by the Inline XBRL namespace or EDGAR's
report table.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from enum import StrEnum

import filetype
from lxml import etree

from riskward.disclosure.importers.collect import rejected_format
from riskward.disclosure.importers.xmlsafe import (
    hardened_parser,
    refuse_declared_entities,
    refuse_entities,
    syntax_problem,
)

MAX_FILING_BYTES = 150 * 1024 * 1024  # a memory guard: lxml's tree takes several times the file
IX_NAMESPACE = "http://www.xbrl.org/2013/inlineXBRL"
XBRL_INSTANCE_ROOT = "{http://www.xbrl.org/2003/instance}xbrl"
_REPORT_TABLE = re.compile(r"<table\b[^>]*\bclass=[\"']?report\b", re.IGNORECASE)
_LABEL_ROW = re.compile(
    r"^[ \t]*\|.*\[(?:Flag|Text Block|Line Items|Abstract|Table)\][ \t\r]*$", re.M | re.I
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (for a filing package, import the .htm report inside it)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file"),
    (b"{\\rtf", "an RTF document"),
)


class Format(StrEnum):
    INLINE_XBRL = "inline-xbrl"
    EDGAR_TEXT = "edgar-text"
    EDGAR_HTML = "edgar-html"


@dataclass(frozen=True)
class Sniffed:
    format: Format
    text: str  # the decoded file, for the readers that work on text
    notes: tuple[str, ...]


def detect_format(data: bytes) -> Sniffed:
    """Which reader this file needs; FilingRejected saying what was found when none fits."""
    if len(data) > MAX_FILING_BYTES:
        raise rejected_format(
            f"a file of {len(data) / 2**20:,.1f} MB; Riskward reads filings up to "
            f"{MAX_FILING_BYTES // 2**20} MB"
        )
    binary = _binary_kind(data)
    if binary:
        raise rejected_format(binary)
    text, notes = decode(data)
    if not text.strip():
        raise rejected_format("an empty file")
    if _CONTROL.search(text[:8192]):
        raise rejected_format("binary data, not text")
    if text.lstrip().startswith("<"):
        if IX_NAMESPACE in text:
            return Sniffed(Format.INLINE_XBRL, text, notes)
        if _REPORT_TABLE.search(text):
            return Sniffed(Format.EDGAR_HTML, text, notes)
        found, line = _describe_markup(data, text)
        raise rejected_format(found, line)
    if _LABEL_ROW.search(text):
        return Sniffed(Format.EDGAR_TEXT, text, notes)
    raise rejected_format(_describe_text(text))


def _binary_kind(data: bytes) -> str | None:
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return f"a {kind.extension.upper()} file ({kind.mime})"
    return None


def decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """The text of `data` and, when the encoding had to be guessed, a note saying how."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), ()
    utf16 = _utf16_without_bom(data[:512])
    if utf16:
        return data.decode(utf16, errors="replace"), (f"no byte-order mark; read as {utf16}",)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        codec = "cp1252"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            codec, text = "latin-1", data.decode("latin-1")
        return text, (f"not valid UTF-8 (line {line}); read as {codec}",)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text of mostly ASCII has a zero in every other byte; which half says the order."""
    if len(head) < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) * 0.4 and even == 0:
        return "utf-16-le"
    if even > len(head) * 0.4 and odd == 0:
        return "utf-16-be"
    return None


def _describe_markup(data: bytes, text: str) -> tuple[str, int]:
    """What markup that is no filing is, and the line at fault when it is not even XML."""
    html = re.search(r"<html\b", text[:4096], re.IGNORECASE) is not None
    refuse_declared_entities(data, "the file")
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as error:
        if html:
            return "an HTML page with no Inline XBRL facts and no EDGAR report table", 0
        problem = syntax_problem(error, "it")
        return f"markup, but {problem.message}", problem.line
    refuse_entities(root, data, "the file")
    if root.tag == XBRL_INSTANCE_ROOT:
        return f"an XBRL instance document (root element {root.tag}), not Inline XBRL", 0
    if html and str(root.tag).rpartition("}")[2] == "html":
        return "an XHTML page with no Inline XBRL facts (no ix: namespace)", 0
    return f"XML with root element {root.tag}", 0


def _describe_text(text: str) -> str:
    head = text.lstrip()
    if head.startswith(("{", "[")):
        return "JSON or other structured text"
    return (
        "plain text that is not an EDGAR rendered page (no '|' rows labelled [Flag] or "
        "[Text Block])"
    )
