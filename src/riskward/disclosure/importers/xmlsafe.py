"""Parsing XML from outside safely, with errors a user can act on.

The parser never resolves entities, never loads a DTD and never touches the network. It keeps
libxml2's default size limits (`huge_tree=False`): they cap one text node or attribute at 10 MB
and nesting at 256 levels, not the document (a 54 MB, 3-million-element file parses within
them), and Inline XBRL filings stay far inside both, so lifting them would only help an attacker.
"""

from __future__ import annotations

import re

from lxml import etree

from riskward.disclosure.importers.collect import FilingRejected

_POSITION = re.compile(r",? line \d+, column \d+\s*$")
_LIMITS = ("XML_PARSE_HUGE", "Resource limit", "Excessive depth", "amplification")
_HUGE_HINT = re.compile(r",?\s*(?:try|use) XML_PARSE_HUGE(?: option)?\s*")  # not the user's to set
_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s>]+)")


def hardened_parser() -> etree.XMLParser:
    """A fresh parser per document: lxml parsers keep an error log and are not thread-safe."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, what: str) -> etree._Element:
    """The root element of `data`; FilingRejected naming the line when it is not well-formed
    XML or declares entities."""
    refuse_declared_entities(data, what)
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as error:
        raise syntax_problem(error, what) from None
    refuse_entities(root, data, what)
    return root


def syntax_problem(error: etree.XMLSyntaxError, what: str) -> FilingRejected:
    line, column = error.position if error.position else (error.lineno or 0, 0)
    message = _POSITION.sub("", (error.msg or str(error)).strip())
    if any(hint in message for hint in _LIMITS):
        message = _HUGE_HINT.sub("", message).strip(" ,")
        return FilingRejected(
            f"{what} exceeds the XML parser's safety limits at line {line} ({message}); "
            "no filing needs a text over 10 MB, nesting over 256 levels or entity expansion",
            line,
        )
    if "encoding" in message or "UTF-8" in message:
        return FilingRejected(
            f"{what} is not valid in its declared encoding at line {line}, column {column}: "
            f"{message}; save it as UTF-8 or declare its real encoding in the XML declaration",
            line,
        )
    return FilingRejected(
        f"{what} is not well-formed XML: line {line}, column {column}: {message}", line
    )


def refuse_declared_entities(data: bytes, what: str) -> None:
    """Entity declarations (the "billion laughs" and external-entity attacks among them) are never
    expanded, and a filing has no use for them, so a document whose DOCTYPE declares any is
    refused before parsing: libxml2 would otherwise stop on its own amplification guard with a
    message that does not say why."""
    doctype = data.find(b"<!DOCTYPE")
    end = data.find(b"]>", doctype) if doctype >= 0 else -1
    subset = data[doctype:end] if end >= 0 else b""
    names = [name.decode("ascii", "replace") for name in _ENTITY.findall(subset)]
    if names:
        _refuse(names, data, what)


def refuse_entities(root: etree._Element, data: bytes, what: str) -> None:
    """The same refusal, after parsing, for encodings the byte scan cannot read (UTF-16)."""
    dtd = root.getroottree().docinfo.internalDTD
    names = [str(entity.name) for entity in dtd.iterentities()] if dtd is not None else []
    if names:
        _refuse(names, data, what)


def _refuse(names: list[str], data: bytes, what: str) -> None:
    offset = data.find(b"<!ENTITY")
    line = data[:offset].count(b"\n") + 1 if offset >= 0 else 0
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    at = f" at line {line}" if line else ""
    raise FilingRejected(
        f"{what} declares XML entities ({shown}){at}; filings never need them and Riskward "
        "does not expand them",
        line,
    )
