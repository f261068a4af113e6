"""The table engine: reading files, all-or-nothing imports, exports that import back."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskward.assets import services as asset_services
from riskward.assets.models import Asset
from riskward.assets.tables import ASSET_TABLE
from riskward.audit.models import AuditEvent
from riskward.core import tabular
from riskward.core.models import Person
from riskward.core.tabular import reading
from riskward.lib.errors import ImportRejected, InvalidInput, NotFound
from tests.sheets import csv_bytes, csv_rows, xlsx_bytes, xlsx_rows

HEADER = ["Name", "Kind", "Criticality", "MLPS level", "Owner", "Dependencies"]


def run_import(org, actor, rows, *, update=False, xlsx=False):
    data = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    sheet = tabular.read_rows(data, "assets.xlsx" if xlsx else "assets.csv")
    return tabular.import_table(org, actor, ASSET_TABLE, sheet, update=update, source="test")


def rejected(org, actor, rows, **options):
    with pytest.raises(ImportRejected) as error:
        run_import(org, actor, rows, **options)
    return error.value.problems


def where(problems):
    return {(row, column) for row, column, _ in problems}


# Reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_detected(delimiter):
    data = csv_bytes([["Name", "Kind"], ["ERP; billing", "application"]], delimiter)
    sheet = tabular.read_rows(data, "assets.csv")
    assert sheet.headers == ("Name", "Kind")
    assert sheet.rows[0].cells == ("ERP; billing", "application")


def test_byte_order_mark_is_not_part_of_the_first_header():
    sheet = tabular.read_rows("\ufeffName,Kind\nERP,application\n".encode(), "a.csv")
    assert sheet.headers == ("Name", "Kind")


def test_blank_rows_are_skipped_and_numbers_match_the_spreadsheet():
    sheet = tabular.read_rows(b"Name,Kind\nA,network\n,\n\nB,network\n", "a.csv")
    assert [row.number for row in sheet.rows] == [2, 5]


def test_xlsx_is_recognised_by_its_bytes():
    sheet = tabular.read_rows(xlsx_bytes([["Name", "Kind"], ["ERP", "application"]]), "")
    assert sheet.rows[0].cells == ("ERP", "application")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n1 0 obj\n", "assets.pdf", "Only CSV and XLSX files"),
        (b"%PDF-1.7\n1 0 obj\n", "assets.csv", "This is a PDF file"),
        (b"Name,Kind\nERP,application\n", "assets.xlsx", "named .xlsx but is not an XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "assets.xls", "Only CSV and XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "", "old Excel .xls"),
        ("Name,Kind\n".encode("utf-16"), "assets.csv", "UTF-16"),
        ("Name,Kind\nCafé,network\n".encode("latin-1"), "assets.csv", "not UTF-8"),
        (b"   \n", "assets.csv", "empty"),
        (b"\x00\x01\x02binary", "", "binary file"),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_refused(data, name, message):
    with pytest.raises(InvalidInput, match=message) as error:
        tabular.read_rows(data, name)
    assert error.value.field == "file"


def test_xlsx_named_as_csv_is_refused():
    with pytest.raises(InvalidInput, match=r"named \.csv but is a zip archive"):
        tabular.read_rows(xlsx_bytes([["Name"]]), "assets.csv")


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InvalidInput, match="not an XLSX workbook"):
        tabular.read_rows(buffer.getvalue(), "assets.xlsx")


def test_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(InvalidInput, match="larger than"):
        tabular.read_rows(b"Name,Kind\n" + b"A,network\n" * 20, "a.csv")


def test_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(InvalidInput, match="unpacks to more than"):
        tabular.read_rows(xlsx_bytes([["Name"], ["x" * 5000]]), "a.xlsx")


def test_header_only_file_is_refused(org, users):
    with pytest.raises(InvalidInput, match="no data rows"):
        run_import(org, users["admin"], [HEADER])


# Importing -------------------------------------------------------------------------------


BAD_CSV = [
    HEADER,
    ["ERP", "application", "High", "3", "Rita Owner", ""],
    ["", "network", "Low", "", "", ""],
    ["Mail", "spaceship", "Medium", "", "", ""],
    ["CRM", "application", "Extreme", "9", "Nobody", "Ghost"],
    ["Web", "application", "low", "", "", "ERP"],
    ["erp", "platform", "", "", "", ""],
]


def test_csv_with_bad_rows_reports_each_row_and_column_and_writes_nothing(org, users):
    events = AuditEvent.objects.count()
    problems = rejected(org, users["admin"], BAD_CSV)
    assert where(problems) == {
        (3, "Name"),
        (4, "Kind"),
        (5, "Criticality"),
        (5, "MLPS level"),
        (5, "Owner"),
        (5, "Dependencies"),
        (7, "Name"),
    }
    messages = {(row, column): message for row, column, message in problems}
    assert messages[(3, "Name")] == "is required"
    assert "“spaceship” is not one of: Platform, Application" in messages[(4, "Kind")]
    assert "less than or equal to 5" in messages[(5, "MLPS level")]
    assert messages[(5, "Owner")] == "no person with the name “Nobody”"
    assert messages[(5, "Dependencies")] == "no asset with the name “Ghost”"
    assert messages[(7, "Name")] == "“erp” is already in row 2"
    assert [row for row, _, _ in problems] == sorted(row for row, _, _ in problems)
    assert not Asset.objects.exists()
    assert AuditEvent.objects.count() == events


def test_xlsx_with_bad_rows_reports_each_row_and_column_and_writes_nothing(org, users):
    events = AuditEvent.objects.count()
    rows = [
        ["Name", "Kind", "Internet-facing", "MLPS level", "Status"],
        ["Portal", "application", True, 3, "active"],
        ["Billing", "application", "maybe", 2.5, "Active"],
        ["DB", "Data store", False, None, "gone"],
        ["x" * 201, "network", None, None, None],
    ]
    problems = rejected(org, users["admin"], rows, xlsx=True)
    assert where(problems) == {
        (3, "Internet-facing"),
        (3, "MLPS level"),
        (4, "Status"),
        (5, "Name"),
    }
    assert not Asset.objects.exists()
    assert AuditEvent.objects.count() == events


def test_good_import_creates_every_row_through_the_service_with_audit(org, users):
    before = AuditEvent.objects.count()
    rows = [
        [*HEADER, "Internet-facing", "Status"],
        ["ERP", "Application", "high", "3", "rita owner", "", "yes", "Active"],
        ["Core DB", "data_store", "4", "", "", "", "no", "planned"],
        ["Web", "application", "", "", "", "ERP; Core DB", "", ""],
    ]
    result = run_import(org, users["admin"], rows)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    erp = Asset.objects.get(organization=org, name="ERP")
    assert (erp.kind, erp.criticality, erp.mlps_level) == ("application", 3, 3)
    assert erp.owner.name == "Rita Owner" and erp.internet_facing
    web = Asset.objects.get(name="Web")
    assert web.criticality == Asset.Criticality.MEDIUM  # empty cell: the model default
    assert sorted(a.name for a in web.dependencies.all()) == ["Core DB", "ERP"]
    created = AuditEvent.objects.filter(action="create", object_type="assets.Asset")
    assert created.count() == 3
    summary = AuditEvent.objects.get(action="import")
    assert summary.after == {
        "table": "assets",
        "source": "test",
        "update": False,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }
    assert summary.actor_label == "admin"
    assert AuditEvent.objects.count() == before + 4


def test_xlsx_formula_is_imported_as_plain_text(org, users):
    rows = [["Name", "Kind"], ['=HYPERLINK("http://evil.example","x")', "network"]]
    run_import(org, users["admin"], rows, xlsx=True)
    assert Asset.objects.get().name == '=HYPERLINK("http://evil.example","x")'


def test_existing_name_is_refused_unless_update_mode(org, users):
    asset_services.create_asset(org, users["admin"], {"name": "ERP", "kind": "application"})
    problems = rejected(org, users["admin"], [["Name", "Kind"], ["erp", "platform"]])
    assert problems == [(2, "Name", "“erp” already exists; import in update mode")]


def test_update_mode_updates_creates_and_leaves_unchanged_rows_alone(org, users):
    admin = users["admin"]
    erp = asset_services.create_asset(org, admin, {"name": "ERP", "kind": "application"})
    crm = asset_services.create_asset(
        org, admin, {"name": "CRM", "kind": "application", "criticality": 1}
    )
    last = AuditEvent.objects.order_by("-id").first().id
    rows = [
        ["Name", "Kind", "Criticality"],
        ["ERP", "application", "Critical"],
        ["CRM", "application", "Low"],
        ["Mail", "application", "Low"],
    ]
    result = run_import(org, admin, rows, update=True)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    erp.refresh_from_db()
    assert erp.criticality == Asset.Criticality.CRITICAL
    new = AuditEvent.objects.filter(id__gt=last)
    assert sorted((e.action, e.object_repr) for e in new) == [
        ("create", "Mail"),
        ("import", ""),
        ("update", "ERP"),
    ]
    assert crm.pk not in {int(e.object_id) for e in new if e.object_id}


def test_update_mode_changes_only_the_columns_in_the_file(org, users):
    asset_services.create_asset(
        org, users["admin"], {"name": "ERP", "kind": "application", "description": "Billing"}
    )
    run_import(org, users["admin"], [["Name", "MLPS level"], ["ERP", "3"]], update=True)
    erp = Asset.objects.get()
    assert (erp.mlps_level, erp.description, erp.kind) == (3, "Billing", "application")


def test_new_row_in_update_mode_still_needs_required_values(org, users):
    problems = rejected(org, users["admin"], [["Name", "MLPS level"], ["New", "3"]], update=True)
    assert [(row, column) for row, column, _ in problems] == [(2, "Kind")]
    assert "blank" in problems[0][2]


def test_service_refusal_in_a_later_row_rolls_back_earlier_rows(org, users):
    admin = users["admin"]
    a = asset_services.create_asset(org, admin, {"name": "A", "kind": "network"})
    asset_services.create_asset(
        org, admin, {"name": "B", "kind": "network", "dependencies": [a.pk]}
    )
    before = AuditEvent.objects.count()
    rows = [["Name", "Kind", "Dependencies"], ["C", "network", ""], ["A", "network", "B"]]
    problems = rejected(org, admin, rows, update=True)
    assert problems == [(3, "Dependencies", "this would make the asset depend on itself")]
    assert not Asset.objects.filter(name="C").exists()
    assert AuditEvent.objects.count() == before


def test_unknown_duplicate_and_missing_columns_are_reported_in_row_one(org, users):
    problems = rejected(org, users["admin"], [["Name", "Colour", "name"], ["ERP", "red", "x"]])
    assert where(problems) == {(1, "Colour"), (1, "name"), (1, "Kind")}
    assert "unknown column" in {c: m for _, c, m in problems}["Colour"]


def test_headers_match_field_names_in_any_case(org, users):
    run_import(org, users["admin"], [["NAME", " kind ", "internet_facing"], ["X", "network", "y"]])
    assert Asset.objects.get().internet_facing is True


def test_rows_referring_to_later_rows_are_written_after_them(org, users):
    rows = [
        ["Name", "Kind", "Dependencies"],
        ["App", "application", "Zeta DB"],
        ["Zeta DB", "data_store", "Disk"],
        ["Disk", "infrastructure", ""],
    ]
    assert run_import(org, users["admin"], rows).created == 3
    assert [a.name for a in Asset.objects.get(name="App").dependencies.all()] == ["Zeta DB"]


def test_reference_to_a_refused_row_says_so(org, users):
    rows = [["Name", "Kind", "Dependencies"], ["Web", "application", "DB"], ["DB", "moon", ""]]
    problems = rejected(org, users["admin"], rows)
    assert problems == [
        (2, "Dependencies", "“DB” is in row 3, which has problems"),
        (3, "Kind", problems[1][2]),
    ]


def test_reference_loop_between_new_rows_is_reported(org, users):
    rows = [["Name", "Kind", "Dependencies"], ["A", "network", "B"], ["B", "network", "A"]]
    problems = rejected(org, users["admin"], rows)
    assert where(problems) == {(2, "Dependencies"), (3, "Dependencies")}
    assert "loop" in problems[0][2]


def test_ambiguous_person_name_is_reported(org, users):
    Person.objects.create(organization=org, name="Rita Owner")
    problems = rejected(
        org, users["admin"], [["Name", "Kind", "Owner"], ["X", "network", "Rita Owner"]]
    )
    assert problems == [(2, "Owner", "2 people have the name “Rita Owner”; make it unique")]


def test_names_are_looked_up_in_the_importing_organization_only(org, other_org, users):
    Person.objects.create(organization=other_org, name="Stranger")
    problems = rejected(
        org, users["admin"], [["Name", "Kind", "Owner"], ["X", "network", "Stranger"]]
    )
    assert where(problems) == {(2, "Owner")}


def test_values_right_of_the_last_column_are_reported(org, users):
    problems = rejected(org, users["admin"], [["Name", "Kind"], ["X", "network", "stray"]])
    assert problems == [(2, "", "1 value(s) to the right of the last column")]
    assert tabular.problem_line(problems[0]) == "row 2: 1 value(s) to the right of the last column"


# Exporting -------------------------------------------------------------------------------


@pytest.fixture
def register(org, users):
    admin = users["admin"]
    rita = Person.objects.get(name="Rita Owner")
    db = asset_services.create_asset(org, admin, {"name": "Zeta DB", "kind": "data_store"})
    asset_services.create_asset(
        org,
        admin,
        {
            "name": "App",
            "kind": "application",
            "description": "=cmd|' /C calc'!A0",
            "owner": rita.pk,
            "criticality": 4,
            "internet_facing": True,
            "mlps_level": 3,
            "dependencies": [db.pk],
        },
    )
    asset_services.create_asset(org, admin, {"name": "@SUM(1)", "kind": "network"})
    return org


def exported(org, fmt, params=None):
    rows = tabular.export_rows(org, ASSET_TABLE, params)
    if fmt == "csv":
        return csv_rows("".join(tabular.csv_lines(ASSET_TABLE, rows)))
    buffer = io.BytesIO()
    tabular.write_xlsx(ASSET_TABLE, rows, buffer)
    return xlsx_rows(buffer.getvalue())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_the_headers_import_reads(register, fmt):
    table = exported(register, fmt)
    assert table[0] == [c.header for c in ASSET_TABLE.columns]
    app = next(row for row in table if row[0] == "App")
    expected = ["App", "Application", "'=cmd|' /C calc'!A0", "Rita Owner", "Critical", "yes", 3]
    assert app[:7] == (expected if fmt == "xlsx" else [*expected[:6], "3"])
    assert app[8] == "Zeta DB"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_is_neutralised_on_export(register, fmt):
    names = [row[0] for row in exported(register, fmt)[1:]]
    assert "'@SUM(1)" in names
    assert not any(str(cell).startswith(tabular.FORMULA_START) for cell in names)


def test_xlsx_export_has_no_formula_cells(register):
    buffer = io.BytesIO()
    tabular.write_xlsx(ASSET_TABLE, tabular.export_rows(register, ASSET_TABLE), buffer)
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_elsewhere_round_trips(register, other_org, users, fmt):
    Person.objects.create(organization=other_org, name="Rita Owner")
    rows = exported(register, fmt)
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    sheet = tabular.read_rows(data, f"assets.{fmt}")
    result = tabular.import_table(other_org, users["outsider"], ASSET_TABLE, sheet)
    assert result.created == 3
    assert exported(other_org, fmt) == rows
    assert Asset.objects.get(organization=other_org, name="App").description.startswith("=cmd")


def test_exported_file_imported_in_update_mode_changes_nothing(register, users):
    data = "".join(tabular.csv_lines(ASSET_TABLE, tabular.export_rows(register, ASSET_TABLE)))
    sheet = tabular.read_rows(data.encode(), "assets.csv")
    result = tabular.import_table(register, users["admin"], ASSET_TABLE, sheet, update=True)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_export_honours_the_register_filters_search_and_sort(register):
    table = exported(register, "csv", {"kind": "application"})
    assert [row[0] for row in table[1:]] == ["App"]
    assert [row[0] for row in exported(register, "csv", {"q": "zeta"})[1:]] == ["Zeta DB"]
    names = [row[0] for row in exported(register, "csv", {"sort": "-name"})[1:]]
    assert names == ["Zeta DB", "App", "'@SUM(1)"]


def test_export_query_count_does_not_grow_with_rows(org, users):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            exported(org, "csv")
        return len(queries)

    rita = Person.objects.get(name="Rita Owner")
    base = asset_services.create_asset(org, users["admin"], {"name": "Base", "kind": "network"})
    few = count_queries()
    for i in range(20):
        asset_services.create_asset(
            org,
            users["admin"],
            {"name": f"A{i}", "kind": "network", "owner": rita.pk, "dependencies": [base.pk]},
        )
    assert count_queries() == few


def test_export_is_audited(register, users):
    rows = tabular.export_rows(register, ASSET_TABLE, {"kind": "network", "q": ""})
    tabular.record_export(
        register, users["auditor"], ASSET_TABLE, "xlsx", rows.count(), {"kind": "network", "q": ""}
    )
    event = AuditEvent.objects.get(action="export")
    assert event.actor_label == "auditor"
    assert event.after == {
        "table": "assets",
        "format": "xlsx",
        "rows": 1,
        "filters": {"kind": "network"},
    }


# Registry --------------------------------------------------------------------------------


def test_registered_tables_are_found_by_key_and_model():
    assert tabular.table("assets") is ASSET_TABLE
    assert tabular.table_for_model(Asset) is ASSET_TABLE
    with pytest.raises(NotFound):
        tabular.table("nonsense")


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ([tabular.Column("Name", "name"), tabular.Column("Colour", "colour")], "no field"),
        ([tabular.Column("Name", "name"), tabular.Column("Owner", "owner")], "needs lookup"),
        ([tabular.Column("Kind", "kind")], "natural key"),
    ],
)
def test_misdeclared_tables_are_refused(columns, message):
    from django.core.exceptions import ImproperlyConfigured

    spec = tabular.TableSpec(
        key="broken",
        model=Asset,
        columns=columns,
        natural_key="name",
        create=asset_services.create_asset,
        update=asset_services.update_asset,
    )
    with pytest.raises(ImproperlyConfigured, match=message):
        tabular.register_table(spec)


def test_a_second_table_under_a_taken_key_is_refused():
    from dataclasses import replace

    from django.core.exceptions import ImproperlyConfigured

    tabular.register_table(ASSET_TABLE)  # the same one again is fine
    with pytest.raises(ImproperlyConfigured, match="two tables"):
        tabular.register_table(replace(ASSET_TABLE, list_url=""))


def test_column_guide_describes_what_each_cell_may_hold():
    guide = {c.header: tabular.describe(ASSET_TABLE, c) for c in ASSET_TABLE.columns}
    assert guide["Name"] == "text, up to 200 characters"
    assert guide["Kind"] == "one of: Platform, Application, Infrastructure, Network, Data store"
    assert guide["Owner"] == "a person by name"
    assert guide["Internet-facing"] == "yes or no"
    assert guide["MLPS level"].startswith("a whole number from 1 to 5. China's Multi-Level")
    assert guide["Dependencies"] == (
        "assets by name, separated by “;”. Assets this one needs in order to run."
    )


def test_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [["Name", "Kind"], *[[f"A{i}", "network"] for i in range(4)]]
    assert len(tabular.read_rows(csv_bytes(rows[:4]), "a.csv").rows) == 3
    with pytest.raises(InvalidInput, match="more than 3 rows"):
        tabular.read_rows(xlsx_bytes(rows), "a.xlsx")
