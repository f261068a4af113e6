"""The control register as a CSV/XLSX table: references, requirements by framework, test dates."""

from __future__ import annotations

from datetime import date

import pytest

from riskward.audit.models import AuditEvent
from riskward.controls.models import Control, Framework, Requirement
from riskward.controls.tables import CONTROL_TABLE
from riskward.core import tabular
from riskward.lib.errors import ImportRejected
from tests.sheets import csv_bytes, csv_rows, xlsx_bytes

HEADER = ["Reference", "Name", "Type", "Function", "Owner", "Requirements", "Last tested"]


def import_rows(org, actor, rows, update=False, xlsx=False):
    data = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    sheet = tabular.read_rows(data, "controls.xlsx" if xlsx else "controls.csv")
    return tabular.import_table(org, actor, CONTROL_TABLE, sheet, update=update)


def exported(org, params=None):
    rows = tabular.export_rows(org, CONTROL_TABLE, params)
    return csv_rows("".join(tabular.csv_lines(CONTROL_TABLE, rows)))


def load_catalog(org):
    """Two frameworks that share a requirement reference, as real catalogs may."""
    for key, name in (("nist-csf-2.0", "NIST CSF 2.0"), ("iso-27001-2022", "ISO/IEC 27001:2022")):
        framework = Framework.objects.create(organization=org, key=key, name=name)
        for position, ref in enumerate(["GV.OC-01", "A.5.1"]):
            Requirement.objects.create(
                organization=org,
                framework=framework,
                ref_id=ref,
                title=f"{name} {ref}",
                kind="control",
                sort_key=f"{position:04}",
            )


@pytest.fixture
def catalog(org):
    load_catalog(org)
    return org


def test_table_is_registered_with_reference_name_type_and_function_required():
    assert tabular.table("controls") is CONTROL_TABLE
    required = [c.header for c in CONTROL_TABLE.columns if CONTROL_TABLE.is_required(c)]
    assert required == ["Reference", "Name", "Type", "Function"]


def test_requirements_are_named_by_framework_and_reference(catalog, users):
    rows = [
        HEADER,
        [
            "CTL-001",
            "Bug bounty",
            "Technical",
            "Detective",
            "Rita Owner",
            "nist-csf-2.0:GV.OC-01; ISO-27001-2022:a.5.1",
            "2025-01-15",
        ],
    ]
    assert import_rows(catalog, users["admin"], rows).created == 1
    control = Control.objects.get()
    mapped = sorted(f"{r.framework.key}:{r.ref_id}" for r in control.requirements.all())
    assert mapped == ["iso-27001-2022:A.5.1", "nist-csf-2.0:GV.OC-01"]
    assert control.last_tested == date(2025, 1, 15)
    assert control.owner.name == "Rita Owner"


def test_bad_rows_name_row_and_column_and_write_nothing(catalog, users):
    events = AuditEvent.objects.count()
    rows = [
        HEADER,
        ["CTL-001", "Monitoring", "technical", "detective", "", "", ""],
        ["CTL-002", "Firewall", "technical", "blocking", "", "nist-csf-2.0:XX-99", ""],
        ["CTL-001", "Again", "technical", "preventive", "", "GV.OC-01", "15/01/2025"],
    ]
    with pytest.raises(ImportRejected) as error:
        import_rows(catalog, users["admin"], rows, xlsx=True)
    assert {(row, column) for row, column, _ in error.value.problems} == {
        (3, "Function"),
        (3, "Requirements"),
        (4, "Reference"),
        (4, "Requirements"),
        (4, "Last tested"),
    }
    messages = {(row, column): message for row, column, message in error.value.problems}
    assert messages[(3, "Requirements")] == "no requirement “nist-csf-2.0:XX-99”"
    assert messages[(4, "Reference")] == "“CTL-001” is already in row 2"
    assert not Control.objects.exists()
    assert AuditEvent.objects.count() == events


def test_existing_reference_is_updated_only_in_update_mode(org, users):
    Control.objects.create(
        organization=org,
        reference="CTL-001",
        name="Old",
        control_type="technical",
        function="detective",
    )
    rows = [["Reference", "Name", "Type", "Function"], ["CTL-001", "New", "technical", "detective"]]
    with pytest.raises(ImportRejected):
        import_rows(org, users["admin"], rows)
    assert import_rows(org, users["admin"], rows, update=True).updated == 1
    assert Control.objects.get().name == "New"


def test_export_writes_requirements_and_next_test_due_and_round_trips(catalog, other_org, users):
    import_rows(
        catalog,
        users["admin"],
        [
            [*HEADER, "Test frequency (days)", "Status"],
            [
                "CTL-7",
                "Backups",
                "technical",
                "corrective",
                "",
                "iso-27001-2022:A.5.1",
                "2025-01-01",
                90,
                "Implemented",
            ],
        ],
    )
    table = exported(catalog)
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Requirements"] == "iso-27001-2022:A.5.1"
    assert row["Next test due"] == "2025-04-01"
    assert row["Type"] == "Technical" and row["Status"] == "Implemented"
    load_catalog(other_org)
    sheet = tabular.read_rows(csv_bytes(table), "controls.csv")
    assert tabular.import_table(other_org, users["outsider"], CONTROL_TABLE, sheet).created == 1
    assert exported(other_org) == table


def test_export_sorts_and_filters_on_the_test_schedule(org, users):
    for reference, tested in (("CTL-1", "2020-01-01"), ("CTL-2", "2099-01-01")):
        Control.objects.create(
            organization=org,
            reference=reference,
            name=reference,
            control_type="technical",
            function="detective",
            status="implemented",
            test_frequency_days=30,
            last_tested=date.fromisoformat(tested),
        )
    assert [r[0] for r in exported(org, {"sort": "-test_due_on"})[1:]] == ["CTL-2", "CTL-1"]
    assert [r[0] for r in exported(org, {"test_overdue": "true"})[1:]] == ["CTL-1"]


def test_export_query_count_does_not_grow_with_controls(catalog, django_assert_max_num_queries):
    requirements = list(Requirement.objects.all())
    for i in range(15):
        control = Control.objects.create(
            organization=catalog,
            reference=f"CTL-{i}",
            name="x",
            control_type="technical",
            function="detective",
        )
        control.requirements.set(requirements)
    with django_assert_max_num_queries(4):
        exported(catalog)
