"""The asset register as a CSV/XLSX table: its columns, names and the asset rules on import."""

from __future__ import annotations

import pytest

from riskward.assets import services
from riskward.assets.models import Asset
from riskward.assets.tables import ASSET_TABLE
from riskward.core import tabular
from riskward.core.models import Person
from riskward.lib.errors import ImportRejected
from tests.sheets import csv_bytes, csv_rows


def import_rows(org, actor, rows, update=False):
    sheet = tabular.read_rows(csv_bytes(rows), "assets.csv")
    return tabular.import_table(org, actor, ASSET_TABLE, sheet, update=update)


def test_table_is_registered_with_every_asset_column():
    assert tabular.table("assets") is ASSET_TABLE
    assert [c.header for c in ASSET_TABLE.columns] == [
        "Name",
        "Kind",
        "Description",
        "Owner",
        "Criticality",
        "Internet-facing",
        "MLPS level",
        "Status",
        "Dependencies",
    ]
    required = [c.header for c in ASSET_TABLE.columns if ASSET_TABLE.is_required(c)]
    assert required == ["Name", "Kind"]


@pytest.mark.parametrize(
    ("kind", "criticality", "expected"),
    [
        ("data_store", "4", ("data_store", 4)),
        ("Data store", "Critical", ("data_store", 4)),
        ("NETWORK", "low", ("network", 1)),
    ],
)
def test_kind_and_criticality_accept_value_or_label(org, users, kind, criticality, expected):
    import_rows(org, users["admin"], [["Name", "Kind", "Criticality"], ["X", kind, criticality]])
    asset = Asset.objects.get()
    assert (asset.kind, asset.criticality) == expected


def test_owner_is_found_by_person_name(org, users):
    import_rows(
        org, users["admin"], [["Name", "Kind", "Owner"], ["ERP", "application", "Rita Owner"]]
    )
    asset = Asset.objects.get()
    assert asset.owner.name == "Rita Owner"
    assert asset.is_owned_by(users["risk_owner"])


def test_dependencies_name_existing_assets_and_rows_of_the_same_file(org, users):
    services.create_asset(org, users["admin"], {"name": "Core switch", "kind": "network"})
    rows = [
        ["Name", "Kind", "Dependencies"],
        ["Portal", "application", "Billing DB; core switch"],
        ["Billing DB", "data_store", ""],
    ]
    import_rows(org, users["admin"], rows)
    portal = Asset.objects.get(name="Portal")
    assert sorted(a.name for a in portal.dependencies.all()) == ["Billing DB", "Core switch"]


def test_dependency_loop_through_existing_assets_is_refused_in_update_mode(org, users):
    admin = users["admin"]
    switch = services.create_asset(org, admin, {"name": "Switch", "kind": "network"})
    services.create_asset(
        org, admin, {"name": "Firewall", "kind": "network", "dependencies": [switch.pk]}
    )
    with pytest.raises(ImportRejected) as error:
        import_rows(org, admin, [["Name", "Dependencies"], ["Switch", "Firewall"]], update=True)
    assert error.value.problems == [
        (2, "Dependencies", "this would make the asset depend on itself")
    ]
    assert not switch.dependencies.exists()


def test_mlps_level_outside_one_to_five_names_the_column(org, users):
    with pytest.raises(ImportRejected) as error:
        import_rows(org, users["admin"], [["Name", "Kind", "MLPS level"], ["X", "network", "6"]])
    assert error.value.problems == [
        (2, "MLPS level", "Ensure this value is less than or equal to 5.")
    ]


def test_export_writes_labels_and_names(org, users):
    rita = Person.objects.get(name="Rita Owner")
    db = services.create_asset(org, users["admin"], {"name": "DB", "kind": "data_store"})
    services.create_asset(
        org,
        users["admin"],
        {
            "name": "ERP",
            "kind": "application",
            "owner": rita.pk,
            "criticality": 3,
            "internet_facing": True,
            "status": "planned",
            "dependencies": [db.pk],
        },
    )
    rows = csv_rows("".join(tabular.csv_lines(ASSET_TABLE, tabular.export_rows(org, ASSET_TABLE))))
    assert rows[2] == ["ERP", "Application", "", "Rita Owner", "High", "yes", "", "Planned", "DB"]
