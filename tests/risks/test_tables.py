"""The risk register as a CSV/XLSX table: names, ratings on the matrix, derived columns."""

from __future__ import annotations

import pytest

from riskward.assets.models import Asset
from riskward.audit.models import AuditEvent
from riskward.controls.models import Control
from riskward.core import tabular
from riskward.core.models import ErmCategory, Person
from riskward.lib.errors import ImportRejected
from riskward.risks import services
from riskward.risks.models import Risk, RiskAssessment, RiskMatrix
from riskward.risks.tables import RISK_TABLE
from tests.sheets import csv_bytes, csv_rows

HEADER = [
    "Reference",
    "Title",
    "Threat source",
    "Affected assets",
    "Controls",
    "ERM category",
    "Owner",
    "Inherent likelihood",
    "Inherent impact",
    "Residual likelihood",
    "Residual impact",
]


def import_rows(org, actor, rows, update=False):
    sheet = tabular.read_rows(csv_bytes(rows), "risks.csv")
    return tabular.import_table(org, actor, RISK_TABLE, sheet, update=update)


def exported(org, params=None):
    rows = tabular.export_rows(org, RISK_TABLE, params)
    return csv_rows("".join(tabular.csv_lines(RISK_TABLE, rows)))


@pytest.fixture
def record(org):
    Asset.objects.create(organization=org, name="ERP", kind="application")
    Control.objects.create(
        organization=org,
        reference="CTL-001",
        name="Backups",
        control_type="technical",
        function="corrective",
    )
    ErmCategory.objects.create(organization=org, name="Operational")
    return org


def test_table_is_registered_with_required_title_and_threat_source():
    assert tabular.table("risks") is RISK_TABLE
    required = [c.header for c in RISK_TABLE.columns if RISK_TABLE.is_required(c)]
    assert required == ["Title", "Threat source"]


def test_import_names_assets_controls_people_and_rates_on_the_default_matrix(record, users):
    rows = [
        HEADER,
        ["", "Ransomware", "External", "ERP", "CTL-001", "Operational", "Rita Owner", 4, 5, 2, 3],
        ["RSK-100", "Insider", "internal", "", "", "", "", "", "", "", ""],
    ]
    result = import_rows(record, users["admin"], rows)
    assert result.created == 2
    ransomware = Risk.objects.get(title="Ransomware")
    assert ransomware.reference == "RSK-001"  # assigned, as on the form
    assert [a.name for a in ransomware.assets.all()] == ["ERP"]
    assert [c.reference for c in ransomware.controls.all()] == ["CTL-001"]
    assert (ransomware.erm_category.name, ransomware.owner.name) == ("Operational", "Rita Owner")
    assert (ransomware.inherent_score, ransomware.residual_score) == (20, 6)
    assert ransomware.matrix.is_default
    assert RiskAssessment.objects.filter(risk=ransomware).count() == 1  # history starts
    assert Risk.objects.get(title="Insider").reference == "RSK-100"


def test_bad_rows_name_row_and_column_and_write_nothing_not_even_the_matrix(record, users):
    events = AuditEvent.objects.count()
    rows = [
        HEADER,
        ["", "Fine", "external", "", "", "", "", 3, 3, "", ""],
        ["", "Too likely", "external", "", "", "", "", 6, 3, "", ""],
        ["", "Worse after", "external", "", "", "", "", 2, 2, 3, 2],
        ["", "Unknown", "aliens", "Mainframe", "CTL-999", "", "", "", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as error:
        import_rows(record, users["admin"], rows)
    assert {(row, column) for row, column, _ in error.value.problems} == {
        (3, "Inherent likelihood"),
        (4, "Residual likelihood"),
        (5, "Threat source"),
        (5, "Affected assets"),
        (5, "Controls"),
    }
    assert not Risk.objects.exists()
    assert not RiskMatrix.objects.exists()
    assert AuditEvent.objects.count() == events


def test_status_rules_of_the_register_apply_to_imports(org, users):
    rows = [["Title", "Threat source", "Status"], ["Shadow IT", "internal", "Accepted"]]
    with pytest.raises(ImportRejected) as error:
        import_rows(org, users["admin"], rows)
    assert error.value.problems == [
        (2, "Status", "a risk becomes accepted only when its acceptance is approved")
    ]


def test_update_mode_re_rates_and_records_the_assessment(org, users):
    risk = services.create_risk(
        org,
        users["admin"],
        {
            "title": "Phishing",
            "threat_source": "external",
            "inherent_likelihood": 3,
            "inherent_impact": 3,
        },
    )
    rows = [["Reference", "Inherent likelihood"], [risk.reference, 5]]
    assert import_rows(org, users["admin"], rows, update=True).updated == 1
    risk.refresh_from_db()
    assert (risk.inherent_likelihood, risk.inherent_score) == (5, 15)
    assert risk.assessments.count() == 2
    again = import_rows(org, users["admin"], rows, update=True)
    assert (again.updated, again.unchanged) == (0, 1)


def test_export_adds_scores_bands_and_next_review_that_import_ignores(org, users, other_org):
    services.create_risk(
        org,
        users["admin"],
        {
            "title": "Phishing",
            "threat_source": "external",
            "inherent_likelihood": 4,
            "inherent_impact": 4,
            "residual_likelihood": 2,
            "residual_impact": 2,
        },
    )
    table = exported(org)
    row = dict(zip(table[0], table[1], strict=True))
    assert (row["Inherent score"], row["Inherent level"]) == ("16", "High")
    assert (row["Residual score"], row["Residual level"]) == ("4", "Low")
    assert row["Status"] == "Assessed" and row["Matrix"] == "Standard 5x5"
    assert row["Next review"] == Risk.objects.get().next_review_on.isoformat()
    sheet = tabular.read_rows(csv_bytes(table), "risks.csv")
    result = tabular.import_table(other_org, users["outsider"], RISK_TABLE, sheet)
    assert result.created == 1
    assert exported(other_org) == table


def test_export_honours_the_level_filter(org, users):
    for title, rating in (("High one", 5), ("Low one", 1)):
        services.create_risk(
            org,
            users["admin"],
            {
                "title": title,
                "threat_source": "external",
                "inherent_likelihood": rating,
                "inherent_impact": rating,
            },
        )
    assert [row[1] for row in exported(org, {"level": "5"})[1:]] == ["High one"]


def test_export_query_count_does_not_grow_with_risks(org, users, django_assert_max_num_queries):
    owner = Person.objects.create(organization=org, name="Owner")
    asset = Asset.objects.create(organization=org, name="ERP", kind="application")
    for i in range(15):
        risk = services.create_risk(
            org,
            users["admin"],
            {"title": f"R{i}", "threat_source": "external", "owner": owner.pk},
        )
        risk.assets.add(asset)
    with django_assert_max_num_queries(6):
        exported(org)
