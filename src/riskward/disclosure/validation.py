"""Offline validation of an Inline XBRL filing with Arelle (arelle-release, in-process).

Arelle runs with internet connectivity off, its cache and configuration in a throw-away directory
(never the user's ~/.config/arelle) and its log captured, not printed. The https://xbrl.sec.gov
URLs resolve through a generated taxonomy package whose META-INF/catalog.xml rewrites them to the
taxonomy's local files; the xbrl.org schemas come from Arelle's built-in cache.

Only XBRL 2.1, Inline XBRL 1.1 and schema validity are checked. The SEC's EDGAR Filer Manual
rules (Arelle's `validate/EFM` plugin, disclosure system "efm-pragmatic") are not: arelle-release
does not ship that plugin (it lives in Arelle's separate EDGAR repository, not on PyPI) and, asked
for it, Arelle reports "Unable to load validate/EFM" and "efm-pragmatic not recognized". So even an
official, error-free report means "valid XBRL", not "accepted by EDGAR".
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from riskward.disclosure.taxonomy import Taxonomy
from riskward.lib.errors import InvalidInput

# Arelle keeps process-wide state (plugin and package managers): one validation at a time.
_ARELLE_LOCK = threading.Lock()
_CATALOG = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
_PACKAGE = "http://xbrl.org/2016/taxonomy-package"
# Arelle's own levels between WARNING and ERROR: "WARNING-SEMANTIC" (31), "ASSERTION-SATISFIED"
# (32, a success report), "INCONSISTENCY" (33), "ERROR-SEMANTIC" (38), "ASSERTION-NOT-SATISFIED".
_ERROR_FROM = logging.ERROR - 2
_NOT_PROBLEMS = frozenset({"ASSERTION-SATISFIED"})


@dataclass(frozen=True)
class Issue:
    """One Arelle finding: its code (e.g. "xmlSchema:valueError"), message and where it is."""

    code: str
    message: str
    location: str  # "document.htm line 33", or "" when Arelle names no place


@dataclass(frozen=True)
class ValidationReport:
    """What Arelle found; ready to file only when official and clean, never with the test one."""

    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    fact_count: int
    official: bool
    taxonomy: str  # the taxonomy's description
    seconds: float  # wall time of the validation, Arelle's start included

    @property
    def ready_to_file(self) -> bool:
        return self.official and not self.errors and not self.warnings

    @property
    def summary(self) -> str:
        counts = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        if not self.official:
            return (
                f"{counts}. NOT READY TO FILE: validated against Riskward's UNOFFICIAL test "
                "taxonomy, not the SEC's files; supply them through RISKWARD_SEC_TAXONOMY."
            )
        if self.ready_to_file:
            return f"{counts}. Valid against the official SEC taxonomy."
        return f"{counts} against the official SEC taxonomy: not ready to file."


def validate_package(
    files: Mapping[str, bytes], document_name: str, taxonomy: Taxonomy
) -> ValidationReport:
    """Validate the Inline XBRL document `document_name` of `files` offline against `taxonomy`."""
    if document_name not in files:
        raise InvalidInput(f"{document_name}: not among the package's files", "document_name")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="riskward-arelle-") as temporary:
        work = Path(temporary)
        filing = _write_filing(work / "filing", files)
        package = _write_taxonomy_package(work / "taxonomy-package.zip", taxonomy)
        errors, warnings, fact_count = _run_arelle(filing / document_name, package, work)
    return ValidationReport(
        errors=tuple(_relative(issue, filing) for issue in errors),
        warnings=tuple(_relative(issue, filing) for issue in warnings),
        fact_count=fact_count,
        official=taxonomy.official,
        taxonomy=taxonomy.description,
        seconds=time.perf_counter() - started,
    )


def _write_filing(directory: Path, files: Mapping[str, bytes]) -> Path:
    for name, data in files.items():
        parts = PurePosixPath(name).parts
        if not parts or PurePosixPath(name).is_absolute() or ".." in parts or "\\" in name:
            raise InvalidInput(f"{name!r}: a package file name must be a plain relative path")
        target = directory.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return directory


def _write_taxonomy_package(path: Path, taxonomy: Taxonomy) -> Path:
    """A taxonomy package (XBRL TP 1.0) holding only a catalog that points at the local files."""
    metadata = etree.Element(f"{{{_PACKAGE}}}taxonomyPackage", nsmap={"tp": _PACKAGE})
    metadata.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    for tag, text in (
        ("identifier", f"urn:riskward:taxonomy:{taxonomy.year}"),
        ("name", "Riskward taxonomy mapping"),
        ("description", taxonomy.description),
        ("version", str(taxonomy.year)),
    ):
        etree.SubElement(metadata, f"{{{_PACKAGE}}}{tag}").text = text
    catalog = etree.Element(f"{{{_CATALOG}}}catalog", nsmap={None: _CATALOG})
    for prefix, directory in sorted(_rewrites(taxonomy).items()):
        etree.SubElement(
            catalog, f"{{{_CATALOG}}}rewriteURI", uriStartString=prefix, rewritePrefix=directory
        )
    with zipfile.ZipFile(path, "w") as archive:
        for name, root in (("taxonomyPackage.xml", metadata), ("catalog.xml", catalog)):
            data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
            archive.writestr(f"riskward/META-INF/{name}", data)
    return path


def _rewrites(taxonomy: Taxonomy) -> dict[str, str]:
    """URL folder -> local folder, for https and the http spelling some schemas still use."""
    rewrites: dict[str, str] = {}
    for url, local in taxonomy.url_map.items():
        folder, _, name = url.rpartition("/")
        if local.name != name:
            raise InvalidInput(f"{url}: mapped to {local}, which has another file name")
        for spelling in (folder, "http" + folder.removeprefix("https")):
            rewrites[f"{spelling}/"] = f"{local.parent.resolve()}/"
    return rewrites


class _Collector(logging.Handler):
    """Keeps Arelle's warnings and errors as Issues instead of printing them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING or record.levelname in _NOT_PROBLEMS:
            return
        issue = issue_from_record(record)
        (self.errors if record.levelno >= _ERROR_FROM else self.warnings).append(issue)


def issue_from_record(record: logging.LogRecord) -> Issue:
    """An Issue from one Arelle log record (messageCode and refs are Arelle's extra fields)."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError, KeyError):
        message = str(record.msg)
    refs: list[dict[str, Any]] = getattr(record, "refs", None) or []
    location = ""
    if refs and refs[0].get("href"):
        location = str(refs[0]["href"]).split("#", 1)[0]
        if refs[0].get("sourceLine"):
            location += f" line {refs[0]['sourceLine']}"
    return Issue(str(getattr(record, "messageCode", "") or "arelle"), message.strip(), location)


def _relative(issue: Issue, filing: Path) -> Issue:
    """Locations name the package's own files, not the temporary directory they sat in."""
    location, message = issue.location, issue.message
    for root in (f"{filing.resolve()}/", f"{filing}/"):
        location, message = location.replace(root, ""), message.replace(root, "")
    return Issue(issue.code, message, location)


def _run_arelle(document: Path, package: Path, work: Path) -> tuple[list[Issue], list[Issue], int]:
    # Imported here: Arelle takes about half a second to import, and most requests never need it.
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    options = RuntimeOptions(
        entrypointFile=str(document),
        validate=True,
        internetConnectivity="offline",
        packages=[str(package)],
        cacheDirectory=str(work / "arelle-cache"),
        disablePersistentConfig=True,  # no config.json, plugins.json or packages.json in ~
        logLevel="WARNING",
        logPropagate=False,
        keepOpen=True,
    )
    collector = _Collector()
    with _ARELLE_LOCK, Session() as session:
        try:
            session.run(options, logHandler=collector)
            models = session.get_models()
            fact_count = sum(len(model.factsInInstance) for model in models)
            for model in models:
                model.close()
        except Exception as error:  # Arelle's own failure must read as a finding, not a crash
            collector.errors.append(Issue("riskward:arelleFailed", repr(error), ""))
            fact_count = 0
    return collector.errors, collector.warnings, fact_count
