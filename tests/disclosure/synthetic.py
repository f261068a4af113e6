"""A realistic, synthetic Inline XBRL 10-K of any size, for import tests and the benchmark.

The shape follows what filing tools emit: an XHTML document whose ix:header holds hidden dei
facts, the schema reference, hundreds of contexts (fiscal years, instants, segment members) and
units; then a cover page, page after page of financial tables whose cells are styled
ix:nonFraction facts, note text blocks (escape="true") with numeric facts nested inside, and
Item 1C with the cyd facts, one text block continued across a page break whose footer is an
ix:exclude. Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import random
from html import escape

from riskward.disclosure.elements import (
    FLAG_INTEGRATED,
    FLAG_MATERIALLY_AFFECTED,
    FLAG_POSITIONS_RESPONSIBLE,
    FLAG_REPORT_TO_BOARD,
    FLAG_THIRD_PARTY_ENGAGED,
    FLAG_THIRD_PARTY_OVERSIGHT,
    TEXT_BOARD_COMMITTEE,
    TEXT_BOARD_OVERSIGHT,
    TEXT_PROCESSES,
    TEXT_ROLE_OF_MANAGEMENT,
)
from riskward.disclosure.facts import FactValue

REGISTRANT = "Synthetic Industries Corp."
CIK = "0000987654"
FY_CONTEXT = "c-1"

PROCESSES_PARAGRAPHS = (
    "Cybersecurity Risk Management and Strategy",
    "We maintain a cybersecurity program aligned with the NIST Cybersecurity Framework and "
    "certified to ISO/IEC 27001. The program is part of our enterprise risk management.",
    "We engage third-party assessors to perform annual penetration tests and quarterly "
    "vulnerability scans, and we run tabletop exercises with senior management.",
    "Our incident response plan defines escalation to the Chief Information Security Officer "
    "and, for potentially material incidents, to the audit committee.",
)
EXPECTED_FACTS: dict[str, FactValue] = {
    TEXT_PROCESSES: "\n".join(PROCESSES_PARAGRAPHS),
    FLAG_INTEGRATED: True,
    FLAG_THIRD_PARTY_ENGAGED: True,
    FLAG_THIRD_PARTY_OVERSIGHT: True,
    FLAG_MATERIALLY_AFFECTED: False,
    TEXT_BOARD_OVERSIGHT: "The audit committee of the board of directors oversees cybersecurity "
    "risk and receives a report from the CISO each quarter.",
    TEXT_BOARD_COMMITTEE: "audit committee",
    TEXT_ROLE_OF_MANAGEMENT: "Our CISO, who has 18 years of experience, leads the program.",
    FLAG_POSITIONS_RESPONSIBLE: True,
    FLAG_REPORT_TO_BOARD: True,
}

NAMESPACES = {
    "": "http://www.w3.org/1999/xhtml",
    "ix": "http://www.xbrl.org/2013/inlineXBRL",
    "ixt": "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12",
    "ixt-sec": "http://www.sec.gov/inlineXBRL/transformation/2015-08-31",
    "xbrli": "http://www.xbrl.org/2003/instance",
    "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink",
    "xbrldi": "http://xbrl.org/2006/xbrldi",
    "iso4217": "http://www.xbrl.org/2003/iso4217",
    "dei": "http://xbrl.sec.gov/dei/2024",
    "us-gaap": "http://fasb.org/us-gaap/2024",
    "srt": "http://fasb.org/srt/2024",
    "cyd": "http://xbrl.sec.gov/cyd/2024",
    "syn": "http://www.synthetic.example/20241231",
}
GAAP = """Revenues CostOfRevenue GrossProfit ResearchAndDevelopmentExpense
SellingGeneralAndAdministrativeExpense OperatingIncomeLoss InterestExpense
OtherNonoperatingIncomeExpense IncomeTaxExpenseBenefit NetIncomeLoss
CashAndCashEquivalentsAtCarryingValue AccountsReceivableNetCurrent InventoryNet
PrepaidExpenseAndOtherAssetsCurrent AssetsCurrent PropertyPlantAndEquipmentNet Goodwill
IntangibleAssetsNetExcludingGoodwill OperatingLeaseRightOfUseAsset Assets AccountsPayableCurrent
AccruedLiabilitiesCurrent LongTermDebtNoncurrent LiabilitiesCurrent Liabilities
StockholdersEquity LiabilitiesAndStockholdersEquity DepreciationDepletionAndAmortization
ShareBasedCompensation NetCashProvidedByUsedInOperatingActivities
PaymentsToAcquirePropertyPlantAndEquipment NetCashProvidedByUsedInInvestingActivities
RepaymentsOfLongTermDebt PaymentsForRepurchaseOfCommonStock
NetCashProvidedByUsedInFinancingActivities""".split()  # noqa: SIM905
WORDS = """the company our results operations revenue customers products services market
period fiscal year compared increase decrease primarily due higher lower costs expenses
segment growth demand pricing supply contracts liquidity capital resources financing
management believes estimates assumptions significant accounting policies fair value
impairment goodwill leases tax rate deferred assets liabilities obligations commitments
contingencies litigation regulatory environment competition foreign currency exchange
interest rates inflation""".split()  # noqa: SIM905
SPAN = "color:#000000;font-family:'Times New Roman',sans-serif;font-size:10pt;line-height:120%"
CELL = "padding:2px 1pt;vertical-align:bottom;background-color:#cceeff"


def make_large_filing(target_bytes: int = 4_000_000, *, seed: int = 2024) -> bytes:
    """An Inline XBRL 10-K of about `target_bytes` (never less) holding EXPECTED_FACTS."""
    rng = random.Random(seed)
    contexts, members = _contexts()
    head, tail = _head(contexts), _item_1c() + "</body></html>\n"
    parts, size, page = [head, _cover()], len(head), 1
    while size + len(tail) < target_bytes:
        chunk = _page(rng, page, members) if page % 4 else _note(rng, page)
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
        page += 1
    parts.append(tail)
    return "".join(parts).encode("utf-8")


def _contexts() -> tuple[list[str], list[str]]:
    years = {2024: ("2024-01-01", "2024-12-31"), 2023: ("2023-01-01", "2023-12-31")}
    years[2022] = ("2022-01-01", "2022-12-31")
    out, members = [], [f"Segment{n:02d}Member" for n in range(1, 41)]
    for index, (start, end) in enumerate(years.values()):
        out.append(_context(f"c-{index + 1}", _duration(start, end)))
        out.append(_context(f"i-{index + 1}", f"<xbrli:instant>{end}</xbrli:instant>"))
        for member in members:
            segment = (
                '<xbrli:segment><xbrldi:explicitMember dimension="us-gaap:'
                f'StatementBusinessSegmentsAxis">syn:{member}</xbrldi:explicitMember>'
                "</xbrli:segment>"
            )
            out.append(_context(f"c-{index + 1}-{member}", _duration(start, end), segment))
    return out, members


def _duration(start: str, end: str) -> str:
    return f"<xbrli:startDate>{start}</xbrli:startDate><xbrli:endDate>{end}</xbrli:endDate>"


def _context(context_id: str, period: str, segment: str = "") -> str:
    return (
        f'<xbrli:context id="{context_id}"><xbrli:entity><xbrli:identifier scheme="http://www.'
        f'sec.gov/CIK">{CIK}</xbrli:identifier>{segment}</xbrli:entity><xbrli:period>{period}'
        "</xbrli:period></xbrli:context>\n"
    )


def _head(contexts: list[str]) -> str:
    declarations = " ".join(
        f'xmlns{":" + prefix if prefix else ""}="{uri}"' for prefix, uri in NAMESPACES.items()
    )
    hidden = "".join(
        f'<ix:nonNumeric name="dei:{name}" contextRef="{FY_CONTEXT}">{value}</ix:nonNumeric>'
        for name, value in (
            ("EntityCentralIndexKey", CIK),
            ("AmendmentFlag", "false"),
            ("DocumentFiscalYearFocus", "2024"),
            ("DocumentFiscalPeriodFocus", "FY"),
            ("CurrentFiscalYearEndDate", "--12-31"),
        )
    )
    units = (
        '<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>'
        '<xbrli:unit id="shares"><xbrli:measure>xbrli:shares</xbrli:measure></xbrli:unit>\n'
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- Synthetic 10-K for Riskward tests -->\n'
        f'<html {declarations} xml:lang="en-US">\n<head><meta http-equiv="Content-Type" '
        'content="text/html"/><title>syn-20241231</title></head>\n<body>\n'
        '<div style="display:none"><ix:header><ix:hidden>'
        f'{hidden}</ix:hidden><ix:references><link:schemaRef xlink:type="simple" '
        'xlink:href="syn-20241231.xsd"/></ix:references><ix:resources>\n'
        f"{''.join(contexts)}{units}</ix:resources></ix:header></div>\n"
    )


def _cover() -> str:
    return (
        '<div style="text-align:center"><p><span style="font-weight:700">UNITED STATES SECURITIES'
        ' AND EXCHANGE COMMISSION</span></p><p>FORM <ix:nonNumeric name="dei:DocumentType" '
        f'contextRef="{FY_CONTEXT}">10-K</ix:nonNumeric></p><p>For the fiscal year ended '
        '<ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="c-1" '
        'format="ixt:date-monthname-day-year-en">December 31, 2024</ix:nonNumeric></p>'
        f'<p><ix:nonNumeric name="dei:EntityRegistrantName" contextRef="{FY_CONTEXT}">'
        f"{escape(REGISTRANT)}</ix:nonNumeric></p><p>Annual report <ix:nonNumeric "
        f'name="dei:DocumentAnnualReport" contextRef="{FY_CONTEXT}" format="ixt-sec:'
        'boolballotbox">&#9746;</ix:nonNumeric></p></div>\n'
    )


def _page_break(number: int) -> str:
    return (
        f'<div style="height:42pt;text-align:center"><span style="{SPAN}">{number}</span></div>'
        '<hr style="page-break-after:always"/>\n'
    )


def _page(rng: random.Random, number: int, members: list[str]) -> str:
    rows = [_prose(rng, 3)]
    rows.append('<table style="border-collapse:collapse;width:100%">')
    for name in rng.sample(GAAP, 24):
        cells = [
            f'<td style="{CELL};text-align:left"><span style="{SPAN}">{_label(name)}</span></td>'
        ]
        for year, context in ((2024, "c-1"), (2023, "c-2"), (2022, "c-3")):
            if rng.random() < 0.35:
                context = f"{context}-{rng.choice(members)}"
            value = f"{rng.randint(1, 999_999):,}"
            cells.append(
                f'<td style="{CELL};text-align:right"><span style="{SPAN}">$</span></td>'
                f'<td style="{CELL};text-align:right"><span style="{SPAN}"><ix:nonFraction '
                f'unitRef="usd" contextRef="{context}" decimals="-6" name="us-gaap:{name}" '
                f'format="ixt:num-dot-decimal" scale="6" id="f-{number}-{name}-{year}">{value}'
                "</ix:nonFraction></span></td>"
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    rows.append("</table>")
    rows.append(_prose(rng, 2))
    return "\n".join(rows) + _page_break(number)


def _note(rng: random.Random, number: int) -> str:
    nested = (
        f'<ix:nonFraction unitRef="usd" contextRef="c-1" decimals="-6" name="us-gaap:Goodwill" '
        f'format="ixt:num-dot-decimal" scale="6" id="n-{number}">{rng.randint(100, 999)}'
        "</ix:nonFraction>"
    )
    return (
        f'<div><ix:nonNumeric name="us-gaap:SignificantAccountingPoliciesTextBlock" '
        f'contextRef="c-1" escape="true" id="t-{number}"><p style="font-weight:700">Note '
        f"{number}. Accounting Policies</p>{_prose(rng, 4)}<p>Goodwill of ${nested} million "
        "was tested for impairment.</p></ix:nonNumeric></div>\n" + _page_break(number)
    )


def _prose(rng: random.Random, paragraphs: int) -> str:
    return "".join(
        f'<div style="margin-top:6pt;text-align:justify"><span style="{SPAN}">'
        f"{' '.join(rng.choice(WORDS) for _ in range(rng.randint(60, 140))).capitalize()}."
        "</span></div>"
        for _ in range(paragraphs)
    )


def _label(name: str) -> str:
    return "".join(f" {c}" if c.isupper() else c for c in name).strip()


def _flag(name: str, value: bool, words: str) -> str:
    fixed = "fixed-true" if value else "fixed-false"
    return (
        f'<ix:nonNumeric name="cyd:{name}" contextRef="{FY_CONTEXT}" format="ixt:{fixed}">'
        f"{words}</ix:nonNumeric>"
    )


def _text(name: str, html: str, **attributes: str) -> str:
    extra = "".join(f' {key}="{value}"' for key, value in attributes.items())
    return (
        f'<ix:nonNumeric name="cyd:{name}" contextRef="{FY_CONTEXT}" escape="true"{extra}>'
        f"{html}</ix:nonNumeric>"
    )


def _item_1c() -> str:
    first, *rest = PROCESSES_PARAGRAPHS
    body = "".join(f'<div><span style="{SPAN}">{escape(p)}</span></div>' for p in rest[:2])
    continued = f'<div><span style="{SPAN}">{escape(rest[2])}</span></div>'
    facts = EXPECTED_FACTS
    return (
        '<div><span style="font-weight:700">Item 1C. Cybersecurity</span></div>\n'
        + _text(TEXT_PROCESSES, f"<div><b>{escape(first)}</b></div>{body}", continuedAt="k-1")
        + '<div style="height:42pt"><ix:exclude><span>97</span></ix:exclude></div>'
        '<hr style="page-break-after:always"/>\n'
        + f'<ix:continuation id="k-1">{continued}</ix:continuation>\n<div><span>Our process '
        + _flag(FLAG_INTEGRATED, True, "is integrated")
        + " into enterprise risk management. We "
        + _flag(FLAG_THIRD_PARTY_ENGAGED, True, "engage assessors")
        + " and "
        + _flag(FLAG_THIRD_PARTY_OVERSIGHT, True, "oversee our vendors")
        + ". No threats have "
        + _flag(FLAG_MATERIALLY_AFFECTED, False, "materially affected")
        + " us.</span></div>\n<div>"
        + _text(TEXT_BOARD_OVERSIGHT, f"<p>{facts[TEXT_BOARD_OVERSIGHT]}</p>")
        + "</div><div>Oversight lies with the "
        + _text(TEXT_BOARD_COMMITTEE, "audit committee")
        + ".</div><div>"
        + _text(TEXT_ROLE_OF_MANAGEMENT, f"<p>{facts[TEXT_ROLE_OF_MANAGEMENT]}</p>")
        + "</div><div>Responsibility: "
        + _flag(FLAG_POSITIONS_RESPONSIBLE, True, "the CISO")
        + ", who "
        + _flag(FLAG_REPORT_TO_BOARD, True, "reports to the board")
        + ".</div>\n"
    )
