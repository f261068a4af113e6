"""What a disclosure version turns into: the Inline XBRL package, its Arelle validation, and the
readable renderings (text laid out like EDGAR's, HTML preview, PDF).

The taxonomy decides whether output can be filed: with the official SEC files configured
(RISKWARD_SEC_TAXONOMY) a clean validation is "ready to file"; with Riskward's test taxonomy the
output is labelled unofficial everywhere and never reported ready.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from riskward.core.changes import update_row
from riskward.core.models import Organization
from riskward.disclosure import ixbrl, rendering, services, taxonomy, validation
from riskward.disclosure.models import Disclosure, DisclosureVersion
from riskward.lib.errors import InvalidInput

DOWNLOADS = {
    # kind: (content type, file name suffix)
    "zip": ("application/zip", "-ixbrl.zip"),
    "htm": ("application/xhtml+xml; charset=utf-8", ".htm"),
    "txt": ("text/plain; charset=utf-8", ".txt"),
    "preview": ("text/html; charset=utf-8", "-preview.html"),
    "pdf": ("application/pdf", ".pdf"),
}


def current_taxonomy(year: int) -> taxonomy.Taxonomy:
    return taxonomy.resolve_taxonomy(year, settings.SEC_TAXONOMY)


def taxonomy_description() -> str:
    if settings.SEC_TAXONOMY:
        return f"official SEC taxonomy files from {settings.SEC_TAXONOMY}"
    return "Riskward's unofficial test taxonomy (set RISKWARD_SEC_TAXONOMY to file)"


def fact_set(org: Organization, version: DisclosureVersion) -> Any:
    return services.fact_set(org, version, unofficial=settings.SEC_TAXONOMY is None)


def build(org: Organization, version: DisclosureVersion) -> ixbrl.FilingPackage:
    voluntary = version.disclosure.form == Disclosure.Form.FORM_8K_801
    return ixbrl.build_filing(fact_set(org, version), item_801=voluntary)


def _summary(report: validation.ValidationReport) -> dict[str, Any]:
    return {
        "at": timezone.now().isoformat(timespec="seconds"),
        "official": report.official,
        "ready_to_file": report.ready_to_file,
        "fact_count": report.fact_count,
        "errors": [asdict(m) for m in report.errors],
        "warnings": [asdict(m) for m in report.warnings],
    }


def validate_package(org: Organization, version: DisclosureVersion) -> Any:
    """Build and validate without saving anything (the CLI and the benchmark use this)."""
    package = build(org, version)
    tax = current_taxonomy(version.taxonomy_year)
    return package, validation.validate_package(package.files, package.document_name, tax)


@transaction.atomic
def validate(org: Organization, actor: Any, version: DisclosureVersion) -> DisclosureVersion:
    """Validate the version's Inline XBRL with Arelle and keep the summary on the version.

    Frozen versions may be validated too: the summary is about the output, not the content."""
    _, report = validate_package(org, version)
    return update_row(org, actor, version, {"validation": _summary(report)})


def download(org: Organization, version: DisclosureVersion, kind: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of one rendering of the version."""
    if kind not in DOWNLOADS:
        raise InvalidInput(f"kind: expected one of {', '.join(DOWNLOADS)}", "kind")
    content_type, suffix = DOWNLOADS[kind]
    facts = fact_set(org, version)
    stem = f"riskward-{version.disclosure.form.split()[0].lower()}-{version.disclosure.fiscal_year}"
    stem += f"-v{version.number}"
    if kind == "zip":
        content = build(org, version).zip_bytes()
    elif kind == "htm":
        package = build(org, version)
        content = package.files[package.document_name]
    elif kind == "txt":
        content = rendering.render_text(facts).encode("utf-8")
    elif kind == "preview":
        content = rendering.render_html(facts).encode("utf-8")
    else:
        content = rendering.render_pdf(facts)
    return content, content_type, stem + suffix
