"""`riskward disclosure build|import|compare` from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from riskward.disclosure import elements as el
from riskward.disclosure import services
from riskward.disclosure.models import DisclosureVersion, ImportedFiling
from tests.disclosure.seed import SEED_PATH, needs_seed


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("disclosure", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_build_drafts_the_year_writes_the_package_and_validates(org, users, tmp_path):
    args = ["--org", "Example", "--year", "2024", "-o", str(tmp_path), "--as", "admin"]
    out, _ = run("build", *args)
    version = DisclosureVersion.objects.get(organization=org, disclosure__fiscal_year=2024)
    names = {path.name for path in tmp_path.iterdir()}
    stems = {Path(name).stem for name in names}
    assert len(stems) == 1  # the document, its schema, the zip and the text share one stem
    stem = stems.pop()
    assert {f"{stem}.htm", f"{stem}.xsd", f"{stem}.zip", f"{stem}.txt"} == names
    document = (tmp_path / f"{stem}.htm").read_bytes()
    assert b"http://www.xbrl.org/2013/inlineXBRL" in document
    assert el.FLAG_INTEGRATED.encode() in document
    assert "0 error(s)" in out and "UNOFFICIAL" in out
    assert version.status == "draft" and version.created_by == users["admin"]


def test_build_recomputes_a_draft_but_keeps_edits(org, users, tmp_path):
    draft = services.start_annual(org, users["admin"], 2024)
    services.edit_texts(org, users["admin"], draft, {el.TEXT_EXPERTISE: "Our own words."})
    run("build", "--org", "Example", "--year", "2024", "-o", str(tmp_path), "--no-validate")
    text = next(tmp_path.glob("*.txt")).read_text()
    assert "Our own words." in text


def test_build_for_an_unknown_organization_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no organization named 'Nobody'"):
        run("build", "--org", "Nobody", "--year", "2024", "-o", str(tmp_path))


def test_build_refuses_a_user_who_may_not_edit(org, users, tmp_path):
    with pytest.raises(CommandError, match="may not do this"):
        run("build", "--org", "Example", "--year", "2024", "-o", str(tmp_path), "--as", "auditor")


def test_build_of_an_implausible_year_names_the_field(org, tmp_path):
    with pytest.raises(CommandError, match="fiscal_year"):
        run("build", "--org", "Example", "--year", "1999", "-o", str(tmp_path))


@needs_seed
def test_import_prints_the_seed_facts_as_json(db):
    out, _ = run("import", str(SEED_PATH))
    body = json.loads(out)
    assert body["format"] == "edgar-text" and body["fact_count"] == 13
    facts = {fact["element"]: fact["value"] for fact in body["facts"]}
    assert facts[el.FLAG_MATERIALLY_AFFECTED] is False
    assert facts[el.TEXT_BOARD_COMMITTEE] == "audit committee"


@needs_seed
def test_import_with_an_org_keeps_the_filing_for_comparison(org, users):
    _, err = run("import", str(SEED_PATH), "--org", "Example", "--name", "Peer A", "--as", "admin")
    kept = ImportedFiling.objects.get(organization=org)
    assert kept.name == "Peer A" and len(kept.facts) == 13
    assert "kept as “Peer A”" in err


@pytest.mark.parametrize(
    "content, message",
    [(b"%PDF-1.7\n", "PDF"), (b"", "empty"), (b"<root><a/></root>", "root")],
)
def test_import_of_something_else_is_a_clear_error(db, tmp_path, content, message):
    path = tmp_path / "not-a-filing.bin"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run("import", str(path))
    assert message.lower() in str(error.value).lower()


def test_import_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "nope.htm"))


@needs_seed
def test_compare_prints_ours_next_to_the_peer(org, users):
    services.start_annual(org, users["admin"], 2024)
    run("import", str(SEED_PATH), "--org", "Example", "--name", "Peer A")
    out, _ = run("compare", "--org", "Example", "--year", "2024")
    assert "Peer A" in out and "Ours" in out


def test_compare_with_nothing_is_a_clear_error(org):
    with pytest.raises(CommandError, match="nothing to compare"):
        run("compare", "--org", "Example")
