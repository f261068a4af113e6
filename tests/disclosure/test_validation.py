"""Offline validation with Arelle: hand-written samples, the offline guarantee, ready to file.

The samples in files/validation/ are small Inline XBRL documents written by hand: one valid, and
three broken on purpose (a flag valued "maybe", an undefined context, an unknown cyd element).
"""

from __future__ import annotations

import logging
import socket
import tempfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from riskward.disclosure import elements as el
from riskward.disclosure.facts import Cover, FactSet, Form
from riskward.disclosure.taxonomy import Taxonomy, build_test_taxonomy, resolve_taxonomy
from riskward.disclosure.validation import (
    Issue,
    ValidationReport,
    _Collector,
    validate_package,
)
from riskward.lib.errors import InvalidInput
from tests.disclosure.test_taxonomy import official_bundle, publish

SAMPLES = Path(__file__).parent / "files" / "validation"
SCHEMA = "rwtest-20241231.xsd"
IX = "{http://www.xbrl.org/2013/inlineXBRL}"


@pytest.fixture(scope="module")
def test_taxonomy(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    return build_test_taxonomy(tmp_path_factory.mktemp("taxonomy"), 2024)


def sample(name: str) -> dict[str, bytes]:
    return {SCHEMA: (SAMPLES / SCHEMA).read_bytes(), name: (SAMPLES / name).read_bytes()}


def line_of(name: str, text: str) -> int:
    lines = (SAMPLES / name).read_text().splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_the_valid_sample_has_no_errors_or_warnings(test_taxonomy: Taxonomy) -> None:
    report = validate_package(sample("valid.htm"), "valid.htm", test_taxonomy)
    assert report.errors == ()
    assert report.warnings == ()
    tagged = etree.parse(str(SAMPLES / "valid.htm")).getroot().iter(f"{IX}nonNumeric")
    assert report.fact_count == len(list(tagged))
    assert report.seconds > 0


@pytest.mark.parametrize(
    ("name", "code", "marker"),
    [
        ("flag-maybe.htm", "xmlSchema:valueError", ">maybe<"),
        ("undefined-context.htm", "ix11.11.1.2:contextReference", 'contextRef="FY2023"'),
        (
            "unknown-element.htm",
            "ix11.12.1.2:missingReferences",
            'name="cyd:CybersecurityRiskManagementThirdPartyHiredFlag"',
        ),
    ],
)
def test_a_broken_sample_yields_the_expected_error_at_its_line(
    test_taxonomy: Taxonomy, name: str, code: str, marker: str
) -> None:
    report = validate_package(sample(name), name, test_taxonomy)
    found = [issue for issue in report.errors if issue.code == code]
    assert found, report.errors
    assert found[0].location == f"{name} line {line_of(name, marker)}"
    assert not report.ready_to_file


def test_the_test_taxonomy_is_never_ready_to_file_even_without_errors(
    test_taxonomy: Taxonomy,
) -> None:
    report = validate_package(sample("valid.htm"), "valid.htm", test_taxonomy)
    assert report.errors == () and report.warnings == ()
    assert not report.official
    assert not report.ready_to_file
    assert "NOT READY TO FILE" in report.summary
    assert "UNOFFICIAL" in report.taxonomy


def test_a_clean_report_against_verified_official_files_is_ready_to_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # TEST-ONLY: the "official" bundle is made up and its digest patched into the table.
    bundle = official_bundle(2024)
    publish(monkeypatch, ("2024.zip", 2024, "bundle", bundle))
    (tmp_path / "2024.zip").write_bytes(bundle)
    monkeypatch.setenv("RISKWARD_DATA_DIR", str(tmp_path / "data"))
    official = resolve_taxonomy(2024, source=tmp_path / "2024.zip")
    report = validate_package(sample("valid.htm"), "valid.htm", official)
    assert report.official and report.ready_to_file
    broken = validate_package(sample("flag-maybe.htm"), "flag-maybe.htm", official)
    assert broken.official and not broken.ready_to_file


@pytest.mark.parametrize(
    ("official", "errors", "warnings", "ready"),
    [
        (True, (), (), True),
        (True, (), (Issue("w", "a warning", ""),), False),
        (True, (Issue("e", "an error", ""),), (), False),
        (False, (), (), False),
    ],
)
def test_ready_to_file_needs_official_files_and_a_clean_report(
    official: bool, errors: tuple[Issue, ...], warnings: tuple[Issue, ...], ready: bool
) -> None:
    report = ValidationReport(errors, warnings, 3, official, "taxonomy", 0.5)
    assert report.ready_to_file is ready


def test_validation_never_touches_the_network(
    test_taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    report = validate_package(sample("valid.htm"), "valid.htm", test_taxonomy)
    assert report.errors == ()
    assert attempts == []


def test_arelle_writes_nothing_to_home_and_leaves_no_temporary_files(
    test_taxonomy: Taxonomy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, scratch = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    scratch.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    report = validate_package(sample("flag-maybe.htm"), "flag-maybe.htm", test_taxonomy)
    assert report.errors
    assert list(home.rglob("*")) == []
    assert list(scratch.iterdir()) == []


def test_arelle_log_is_captured_not_printed(
    test_taxonomy: Taxonomy, capfd: pytest.CaptureFixture[str]
) -> None:
    reached_root: list[logging.LogRecord] = []

    class Spy(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            reached_root.append(record)

    spy = Spy()
    logging.getLogger().addHandler(spy)
    try:
        report = validate_package(sample("flag-maybe.htm"), "flag-maybe.htm", test_taxonomy)
    finally:
        logging.getLogger().removeHandler(spy)
    assert report.errors[0].code == "xmlSchema:valueError"
    out, err = capfd.readouterr()
    assert "valueError" not in out + err
    assert [r for r in reached_root if r.name.startswith("arelle")] == []


def test_levels_sort_into_errors_and_warnings() -> None:
    collector = _Collector()
    for level, code in [
        (logging.ERROR, "e1"),
        (logging.ERROR - 2, "e2"),  # Arelle's ERROR-SEMANTIC
        (logging.CRITICAL, "e3"),
        (logging.WARNING, "w1"),
        (logging.WARNING + 1, "w2"),  # WARNING-SEMANTIC
        (logging.WARNING + 3, "w3"),  # INCONSISTENCY
        (logging.INFO, "i1"),
    ]:
        record = logging.LogRecord("arelle", level, "x.htm", 1, "message %(n)s", None, None)
        record.args = {"n": code}
        record.messageCode = code
        record.refs = [{"href": "/tmp/x/filing/x.htm#element(/1)", "sourceLine": 7}]
        collector.handle(record)
    satisfied = logging.LogRecord("arelle", logging.WARNING + 2, "", 0, "ok", None, None)
    satisfied.levelname = "ASSERTION-SATISFIED"
    collector.handle(satisfied)
    assert [i.code for i in collector.errors] == ["e1", "e2", "e3"]
    assert [i.code for i in collector.warnings] == ["w1", "w2", "w3"]
    assert collector.errors[0] == Issue("e1", "message e1", "/tmp/x/filing/x.htm line 7")


def test_the_document_must_be_in_the_package(test_taxonomy: Taxonomy) -> None:
    with pytest.raises(InvalidInput, match=r"other\.htm"):
        validate_package(sample("valid.htm"), "other.htm", test_taxonomy)


@pytest.mark.parametrize("name", ["../escape.htm", "/etc/escape.htm", "a\\b.htm"])
def test_package_file_names_must_stay_inside_the_package(
    test_taxonomy: Taxonomy, name: str
) -> None:
    files = {**sample("valid.htm"), name: b""}
    with pytest.raises(InvalidInput, match="plain relative path"):
        validate_package(files, "valid.htm", test_taxonomy)


def annual_factset(form: Form, year: int) -> FactSet:
    facts: dict[str, bool | str] = {}
    for number, element in enumerate(el.annual_elements()):
        text = f"{element.label}: what we do & why <it> matters.\n\nA second paragraph."
        facts[element.name] = number % 2 == 0 if element.is_flag else text
    cover = Cover(
        form=form,
        registrant_name="Example Holdings Ltd.",
        cik="0000123456",
        period_start=date(year - 1, 1, 1),
        period_end=date(year - 1, 12, 31),
    )
    return FactSet(cover=cover, facts=facts, taxonomy_year=year, unofficial=True)


@pytest.mark.parametrize(("form", "year"), [(Form.FORM_10K, 2024), (Form.FORM_20F, 2025)])
def test_the_inline_xbrl_writer_output_has_no_errors(tmp_path: Path, form: Form, year: int) -> None:
    ixbrl = pytest.importorskip("riskward.disclosure.ixbrl")
    factset = annual_factset(form, year)
    assert len(factset.facts) == 16
    package = ixbrl.build_filing(factset)
    report = validate_package(
        package.files, package.document_name, build_test_taxonomy(tmp_path, year)
    )
    assert report.errors == ()
    assert report.warnings == ()
    assert report.fact_count >= 16
