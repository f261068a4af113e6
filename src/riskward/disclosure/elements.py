"""The SEC `cyd` elements Riskward tags, read from the one table in `data/cyd-elements.csv`.

Everything that names a cyd element (the fact computation, the Inline XBRL writer, the importers,
the test taxonomy) goes through this module, so a correction from the official schema is one edit
to the CSV. No Django imports: the importers and the writer run in plain Python too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
CYD_PREFIX = "cyd"
DEI_PREFIX = "dei"
SUPPORTED_YEARS = (2024, 2025)
DEFAULT_TAXONOMY_YEAR = 2024


def cyd_namespace(year: int = DEFAULT_TAXONOMY_YEAR) -> str:
    return f"http://xbrl.sec.gov/cyd/{year}"


def dei_namespace(year: int = DEFAULT_TAXONOMY_YEAR) -> str:
    return f"http://xbrl.sec.gov/dei/{year}"


class Kind(StrEnum):
    FLAG = "boolean"
    TEXT_BLOCK = "textBlock"


class Use(StrEnum):
    ANNUAL = "annual"  # Form 10-K Item 1C / Form 20-F Item 16K
    INCIDENT = "incident"  # Form 8-K Item 1.05 / Form 6-K


@dataclass(frozen=True)
class Element:
    """One cyd element: its local name, kind, where it is used and its standard label."""

    name: str  # local name, e.g. "CybersecurityRiskManagementProcessesIntegratedFlag"
    kind: Kind
    use: Use
    paragraph: str  # Regulation S-K Item 106 paragraph or Item 1.05 reference
    label: str  # standard label as EDGAR shows it, with its "[Flag]"/"[Text Block]" suffix
    verified: bool  # False where the name is not yet confirmed against the official schema

    @property
    def qname(self) -> str:
        return f"{CYD_PREFIX}:{self.name}"

    @property
    def is_flag(self) -> bool:
        return self.kind is Kind.FLAG


@cache
def all_elements() -> tuple[Element, ...]:
    """Every element in the table, in the table's (the SEC's presentation) order."""
    with (DATA_DIR / "cyd-elements.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(_element_from_row(row) for row in csv.DictReader(handle))


def _element_from_row(row: dict[str, str]) -> Element:
    prefix, _, name = row["qname"].partition(":")
    if prefix != CYD_PREFIX or not name:
        raise ValueError(f"cyd-elements.csv: qname {row['qname']!r} is not a cyd element")
    return Element(
        name=name,
        kind=Kind(row["type"]),
        use=Use.ANNUAL if row["form_item"] == "annual" else Use.INCIDENT,
        paragraph=row["reg_sk_106"],
        label=row["standard_label"],
        verified=row["verified"].startswith(("yes", "name yes")),
    )


def annual_elements() -> tuple[Element, ...]:
    return tuple(e for e in all_elements() if e.use is Use.ANNUAL)


def incident_elements() -> tuple[Element, ...]:
    return tuple(e for e in all_elements() if e.use is Use.INCIDENT)


@cache
def _by_name() -> dict[str, Element]:
    return {element.name: element for element in all_elements()}


def element(name: str) -> Element:
    """The element with this local name (a `cyd:` prefix is accepted); KeyError if unknown."""
    return _by_name()[name.removeprefix(f"{CYD_PREFIX}:")]


def find_element(name: str) -> Element | None:
    return _by_name().get(name.removeprefix(f"{CYD_PREFIX}:"))


@cache
def element_by_label() -> dict[str, Element]:
    """Standard label -> element, for reading EDGAR's rendered pages."""
    return {element.label: element for element in all_elements()}


# Short names for the elements the record computes, so code reads `FLAG_INTEGRATED`, not a
# 90-character identifier. They are looked up, not retyped: a typo fails at import.
FLAG_INTEGRATED = element("CybersecurityRiskManagementProcessesIntegratedFlag").name
FLAG_THIRD_PARTY_ENGAGED = element("CybersecurityRiskManagementThirdPartyEngagedFlag").name
FLAG_THIRD_PARTY_OVERSIGHT = element(
    "CybersecurityRiskThirdPartyOversightAndIdentificationProcessesFlag"
).name
FLAG_MATERIALLY_AFFECTED = element(
    "CybersecurityRiskMateriallyAffectedOrReasonablyLikelyToMateriallyAffectRegistrantFlag"
).name
FLAG_POSITIONS_RESPONSIBLE = element(
    "CybersecurityRiskManagementPositionsOrCommitteesResponsibleFlag"
).name
FLAG_REPORT_TO_BOARD = element(
    "CybersecurityRiskManagementPositionsOrCommitteesResponsibleReportToBoardFlag"
).name

TEXT_PROCESSES = element(
    "CybersecurityRiskManagementProcessesForAssessingIdentifyingAndManagingThreatsTextBlock"
).name
TEXT_INTEGRATED = element("CybersecurityRiskManagementProcessesIntegratedTextBlock").name
TEXT_MATERIALLY_AFFECTED = element(
    "CybersecurityRiskMateriallyAffectedOrReasonablyLikelyToMateriallyAffectRegistrantTextBlock"
).name
TEXT_BOARD_OVERSIGHT = element("CybersecurityRiskBoardOfDirectorsOversightTextBlock").name
TEXT_BOARD_COMMITTEE = element(
    "CybersecurityRiskBoardCommitteeOrSubcommitteeResponsibleForOversightTextBlock"
).name
TEXT_INFORMING_COMMITTEE = element(
    "CybersecurityRiskProcessForInformingBoardCommitteeOrSubcommitteeResponsibleForOversightTextBlock"
).name
TEXT_ROLE_OF_MANAGEMENT = element("CybersecurityRiskRoleOfManagementTextBlock").name
TEXT_POSITIONS_RESPONSIBLE = element(
    "CybersecurityRiskManagementPositionsOrCommitteesResponsibleTextBlock"
).name
TEXT_EXPERTISE = element(
    "CybersecurityRiskManagementExpertiseOfManagementResponsibleTextBlock"
).name
TEXT_INFORMING_MANAGEMENT = element(
    "CybersecurityRiskProcessForInformingManagementOrCommitteesResponsibleTextBlock"
).name

INCIDENT_NATURE = element("MaterialCybersecurityIncidentNatureTextBlock").name
INCIDENT_SCOPE = element("MaterialCybersecurityIncidentScopeTextBlock").name
INCIDENT_TIMING = element("MaterialCybersecurityIncidentTimingTextBlock").name
INCIDENT_IMPACT = element(
    "MaterialCybersecurityIncidentMaterialImpactOrReasonablyLikelyMaterialImpactTextBlock"
).name
INCIDENT_UNDETERMINED = element(
    "MaterialCybersecurityIncidentInformationNotAvailableOrUndeterminedTextBlock"
).name

# The cover (dei) elements Riskward writes, with the xbrli base type of each. The official dei
# schema restricts some of these further (e.g. dei:centralIndexKeyItemType); the test taxonomy
# declares them with these base types. Numeric ones need a unit (shares, or the currency).
DEI_ELEMENTS: dict[str, str] = {
    "DocumentType": "xbrli:stringItemType",
    "AmendmentFlag": "xbrli:booleanItemType",
    "AmendmentDescription": "xbrli:stringItemType",
    "DocumentPeriodEndDate": "xbrli:dateItemType",
    "DocumentFiscalYearFocus": "xbrli:gYearItemType",
    "DocumentFiscalPeriodFocus": "xbrli:stringItemType",
    "CurrentFiscalYearEndDate": "xbrli:gMonthDayItemType",
    "EntityRegistrantName": "xbrli:normalizedStringItemType",
    "EntityCentralIndexKey": "xbrli:stringItemType",
    "EntityFileNumber": "xbrli:stringItemType",
    "EntityIncorporationStateCountryCode": "xbrli:stringItemType",
    "EntityTaxIdentificationNumber": "xbrli:stringItemType",
    "EntityAddressAddressLine1": "xbrli:normalizedStringItemType",
    "EntityAddressCityOrTown": "xbrli:normalizedStringItemType",
    "EntityAddressCountry": "xbrli:normalizedStringItemType",
    "EntityAddressPostalZipCode": "xbrli:normalizedStringItemType",
    "CityAreaCode": "xbrli:normalizedStringItemType",
    "LocalPhoneNumber": "xbrli:normalizedStringItemType",
    "EntityShellCompany": "xbrli:booleanItemType",
    "EntityFilerCategory": "xbrli:stringItemType",
    "EntityEmergingGrowthCompany": "xbrli:booleanItemType",
    "EntitySmallBusiness": "xbrli:booleanItemType",
    "EntityCurrentReportingStatus": "xbrli:stringItemType",
    "EntityInteractiveDataCurrent": "xbrli:stringItemType",
    "EntityCommonStockSharesOutstanding": "xbrli:sharesItemType",
    "EntityPublicFloat": "xbrli:monetaryItemType",
    "DocumentAnnualReport": "xbrli:booleanItemType",
    "DocumentTransitionReport": "xbrli:booleanItemType",
    "DocumentShellCompanyReport": "xbrli:booleanItemType",
    "DocumentAccountingStandard": "xbrli:stringItemType",
    "ContactPersonnelName": "xbrli:normalizedStringItemType",
    "AuditorName": "xbrli:normalizedStringItemType",
    "AuditorLocation": "xbrli:normalizedStringItemType",
    "AuditorFirmId": "xbrli:stringItemType",
    "WrittenCommunications": "xbrli:booleanItemType",
    "SolicitingMaterial": "xbrli:booleanItemType",
    "PreCommencementTenderOffer": "xbrli:booleanItemType",
    "PreCommencementIssuerTenderOffer": "xbrli:booleanItemType",
}
