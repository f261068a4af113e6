"""`riskward import` and `riskward export`: output, exit codes, and nothing written on problems."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from riskward import cli
from riskward.assets.models import Asset
from riskward.audit.models import AuditEvent
from riskward.core.models import Person
from tests.sheets import csv_bytes, csv_rows, xlsx_bytes, xlsx_rows


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(*args):
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return error.value, err.getvalue()


@pytest.fixture
def good_csv(tmp_path):
    path = tmp_path / "assets.csv"
    path.write_bytes(csv_bytes([["Name", "Kind"], ["ERP", "application"], ["Mail", "network"]]))
    return path


@pytest.fixture
def bad_xlsx(tmp_path):
    path = tmp_path / "assets.xlsx"
    rows = [
        ["Name", "Kind", "MLPS level"],
        ["ERP", "application", 3],
        ["Mail", "spaceship", 2],
        ["CRM", "application", 7],
    ]
    path.write_bytes(xlsx_bytes(rows))
    return path


def test_import_prints_the_counts(org, users, good_csv):
    out, _ = run("import_records", "assets", str(good_csv), "--org", "Example Holdings Ltd.")
    assert out == "assets: 2 created, 0 updated, 0 unchanged\n"
    assert Asset.objects.filter(organization=org).count() == 2
    assert AuditEvent.objects.get(action="import").actor_label == "system"


def test_import_as_a_user_is_recorded_under_their_name(org, users, good_csv):
    run("import_records", "assets", str(good_csv), "--org", "Example", "--as", "security_manager")
    assert AuditEvent.objects.get(action="import").actor_label == "security_manager"
    assert {e.actor_label for e in AuditEvent.objects.filter(action="create")} >= {
        "security_manager"
    }


def test_import_with_bad_rows_prints_each_problem_and_writes_nothing(org, users, bad_xlsx):
    events = AuditEvent.objects.count()
    error, err = failing("import_records", "assets", str(bad_xlsx), "--org", "Example")
    assert error.returncode == 1
    assert str(error) == "2 problem(s) found; nothing was imported"
    lines = err.splitlines()
    assert lines[0].startswith("row 3, column Kind: “spaceship” is not one of:")
    assert lines[1] == "row 4, column MLPS level: Ensure this value is less than or equal to 5."
    assert not Asset.objects.exists()
    assert AuditEvent.objects.count() == events


def test_update_flag_changes_existing_rows(org, users, tmp_path):
    Asset.objects.create(organization=org, name="ERP", kind="application")
    path = tmp_path / "update.csv"
    path.write_bytes(csv_bytes([["Name", "Criticality"], ["ERP", "Critical"]]))
    _, err = failing("import_records", "assets", str(path), "--org", "Example")
    assert err == "row 1, column Kind: this column is required but missing\n"  # to create rows
    out, _ = run("import_records", "assets", str(path), "--org", "Example", "--update")
    assert out == "assets: 0 created, 1 updated, 0 unchanged\n"
    assert Asset.objects.get().criticality == Asset.Criticality.CRITICAL


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--org", "Nobody Inc."], "no organization named 'Nobody Inc.'"),
        (["--org", "Example", "--as", "outsider"], "no user 'outsider' in Example"),
        (["--org", "Example", "--as", "auditor"], "auditor (Auditor) may not do this"),
    ],
)
def test_import_refuses_unknown_organization_and_users(users, good_csv, extra, message):
    error, _ = failing("import_records", "assets", str(good_csv), *extra)
    assert str(error) == message
    assert not Asset.objects.exists()


def test_import_refuses_missing_and_foreign_files(users, tmp_path):
    error, _ = failing("import_records", "assets", str(tmp_path / "nope.csv"), "--org", "Example")
    assert str(error) == f"no file {tmp_path / 'nope.csv'}"
    pdf = tmp_path / "assets.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    error, _ = failing("import_records", "assets", str(pdf), "--org", "Example")
    assert str(error) == "Only CSV and XLSX files can be imported, not .pdf files."


def test_riskward_import_exits_1_on_problems_and_0_on_success(
    users, bad_xlsx, good_csv, capsys, monkeypatch
):
    # The command closes database connections when it ends; the test's transaction needs them.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["import", "assets", str(bad_xlsx), "--org", "Example"])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "row 3, column Kind:" in captured.err
    assert "CommandError: 2 problem(s) found; nothing was imported" in captured.err
    cli.main(["import", "assets", str(good_csv), "--org", "Example"])
    assert capsys.readouterr().out == "assets: 2 created, 0 updated, 0 unchanged\n"


@pytest.fixture
def assets(org, users):
    rita = Person.objects.get(name="Rita Owner")
    Asset.objects.create(organization=org, name="ERP", kind="application", owner=rita)
    Asset.objects.create(organization=org, name="=HYPERLINK()", kind="network")


def test_export_csv_goes_to_standard_output(assets, org):
    out, _ = run("export_records", "assets", "--org", str(org.pk))
    table = csv_rows(out)
    assert not out.startswith("\ufeff")  # no byte-order mark in a pipe
    assert table[0][:4] == ["Name", "Kind", "Description", "Owner"]
    assert [row[0] for row in table[1:]] == ["'=HYPERLINK()", "ERP"]
    event = AuditEvent.objects.get(action="export")
    assert (event.actor_label, event.after["rows"], event.after["format"]) == ("system", 2, "csv")


def test_export_xlsx_to_a_file_takes_the_format_from_its_name(assets, tmp_path):
    target = tmp_path / "register.xlsx"
    out, _ = run(
        "export_records", "assets", "--org", "Example", "-o", str(target), "--as", "auditor"
    )
    assert out == f"exported 2 assets to {target}\n"
    rows = xlsx_rows(target.read_bytes())
    assert rows[2][:4] == ["ERP", "Application", None, "Rita Owner"]
    assert AuditEvent.objects.get(action="export").actor_label == "auditor"


def test_export_xlsx_needs_an_output_file(assets):
    error, _ = failing("export_records", "assets", "--org", "Example", "--format", "xlsx")
    assert str(error) == "an XLSX export needs -o FILE"
    assert not AuditEvent.objects.filter(action="export").exists()


def test_exported_file_imports_into_another_organization(assets, other_org, tmp_path):
    Person.objects.create(organization=other_org, name="Rita Owner")
    target = tmp_path / "assets.csv"
    run("export_records", "assets", "--org", "Example", "-o", str(target))
    out, _ = run("import_records", "assets", str(target), "--org", "Other Corp")
    assert out == "assets: 2 created, 0 updated, 0 unchanged\n"
    copy = Asset.objects.get(organization=other_org, name="ERP")
    assert copy.owner.name == "Rita Owner" and copy.owner.organization == other_org
    assert Asset.objects.filter(organization=other_org, name="=HYPERLINK()").exists()
