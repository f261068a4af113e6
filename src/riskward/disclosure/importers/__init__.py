"""Reading existing disclosures: our own past filings and peers', whatever form they come in.

`import_filing(data, source)` takes the bytes of an Inline XBRL document (10-K, 20-F, 8-K...),
or of an EDGAR rendered disclosure page saved as text or HTML, and returns its cyd facts as a
`facts.ImportedFiling`. Anything else is refused with `FilingRejected` (an `ImportRejected`)
whose message says what was expected and what was found, and the line when there is one.
No Django imports: the CLI, the web upload and the benchmark all call this directly.
"""

from __future__ import annotations

from dataclasses import replace

from riskward.disclosure.elements import element
from riskward.disclosure.facts import ImportedFiling
from riskward.disclosure.importers.collect import EXPECTED, FilingRejected
from riskward.disclosure.importers.edgar_html import read_edgar_html
from riskward.disclosure.importers.edgar_text import read_edgar_text
from riskward.disclosure.importers.ixbrl import read_inline_xbrl
from riskward.disclosure.importers.sniff import MAX_FILING_BYTES, Format, detect_format

__all__ = [
    "EXPECTED",
    "MAX_FILING_BYTES",
    "FilingRejected",
    "Format",
    "facts_to_json",
    "import_filing",
]


def import_filing(data: bytes, source: str) -> ImportedFiling:
    """The cyd facts of one filing, the reader chosen from its bytes; FilingRejected (never a
    parser's exception) when they are not a filing Riskward reads or hold no cyd facts."""
    sniffed = detect_format(data)
    if sniffed.format is Format.INLINE_XBRL:
        filing = read_inline_xbrl(data, source)
        return _with_notes(filing, sniffed.notes) if sniffed.notes else filing
    if sniffed.format is Format.EDGAR_HTML:
        return read_edgar_html(sniffed.text, source, sniffed.notes)
    return read_edgar_text(sniffed.text, source, sniffed.notes)


def _with_notes(filing: ImportedFiling, notes: tuple[str, ...]) -> ImportedFiling:
    return replace(filing, notes=(*notes, *filing.notes))


def facts_to_json(filing: ImportedFiling) -> dict[str, object]:
    """The filing as JSON-ready data for `riskward disclosure import FILE`: the cover as read,
    then each fact with its element, label, kind and value, in presentation order."""
    return {
        "source": filing.source,
        "format": filing.format,
        "registrant_name": filing.registrant_name,
        "cik": filing.cik,
        "form": filing.form,
        "period_end": filing.period_end.isoformat() if filing.period_end else None,
        "taxonomy_year": filing.taxonomy_year,
        "fact_count": len(filing.facts),
        "facts": [
            {
                "element": name,
                "qname": element(name).qname,
                "label": element(name).label,
                "kind": str(element(name).kind),
                "value": value,
            }
            for name, value in filing.facts.items()
        ],
        "notes": list(filing.notes),
    }
