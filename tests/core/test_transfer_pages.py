"""The import page and export downloads for every role, and the other organization's user."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from riskward.assets.models import Asset
from riskward.audit.models import AuditEvent
from riskward.core import tabular
from tests.conftest import ROLES
from tests.roles import EDITORS, READERS
from tests.sheets import csv_bytes, csv_rows, xlsx_bytes, xlsx_rows

IMPORT_URL = "/transfer/assets/import/"
IMPORTERS = EDITORS  # roles with Cap.IMPORT


@pytest.fixture
def asset(org, users):
    return Asset.objects.create(organization=org, name="Core switch", kind="network")


def upload(rows, name="assets.csv", xlsx=False):
    return SimpleUploadedFile(name, xlsx_bytes(rows) if xlsx else csv_bytes(rows))


GOOD = [["Name", "Kind", "Owner"], ["ERP", "application", ""], ["Mail", "application", ""]]


@pytest.mark.parametrize("role", ROLES)
def test_import_page_is_for_importers_only(client_as, role):
    response = client_as(role).get(IMPORT_URL)
    if role in IMPORTERS | {"outsider"}:  # the outsider imports into their own organization
        assert response.status_code == 200
        assert b"Import assets" in response.content
        assert b"Dependencies" in response.content  # the column guide
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_import_writes_only_for_importers_and_only_into_their_organization(
    client_as, org, other_org, role
):
    response = client_as(role).post(IMPORT_URL, {"file": upload(GOOD)})
    ours = Asset.objects.filter(organization=org).count()
    theirs = Asset.objects.filter(organization=other_org).count()
    if role in IMPORTERS:
        assert response.status_code == 302
        assert response.url == "/assets/asset/"
        assert (ours, theirs) == (2, 0)
    elif role == "outsider":
        assert response.status_code == 302
        assert (ours, theirs) == (0, 2)
    else:
        assert response.status_code == 403
        assert (ours, theirs) == (0, 0)


def test_successful_import_says_what_it_did(client_as):
    response = client_as("admin").post(IMPORT_URL, {"file": upload(GOOD)}, follow=True)
    assert b"Imported assets: 2 created, 0 updated, 0 unchanged." in response.content


@pytest.mark.parametrize("xlsx", [False, True])
def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_written(client_as, org, xlsx):
    events = AuditEvent.objects.count()
    rows = [
        ["Name", "Kind", "Owner"],
        ["ERP", "application", ""],
        ["Mail", "spaceship", ""],
        ["CRM", "application", "Nobody"],
    ]
    name = "assets.xlsx" if xlsx else "assets.csv"
    response = client_as("admin").post(IMPORT_URL, {"file": upload(rows, name, xlsx)})
    assert response.status_code == 422
    assert response.context["problems"] == [
        (3, "Kind", response.context["problems"][0][2]),
        (4, "Owner", "no person with the name “Nobody”"),
    ]
    html = response.content.decode()
    assert "Nothing was imported: 2 problems found" in html
    assert "<td>4</td><td>Owner</td><td>no person with the name “Nobody”</td>" in html
    assert not Asset.objects.filter(organization=org).exists()
    assert AuditEvent.objects.count() == events


def test_update_checkbox_turns_on_update_mode(client_as, asset):
    rows = [["Name", "Criticality"], ["Core switch", "Critical"]]
    refused = client_as("admin").post(IMPORT_URL, {"file": upload(rows)})
    assert refused.status_code == 422
    done = client_as("admin").post(IMPORT_URL, {"file": upload(rows), "update": "on"})
    assert done.status_code == 302
    asset.refresh_from_db()
    assert asset.criticality == Asset.Criticality.CRITICAL


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("report.pdf", b"%PDF-1.7\n"), b"Only CSV and XLSX files"),
        (SimpleUploadedFile("assets.xlsx", b"Name,Kind\n"), b"not an XLSX workbook"),
        (None, b"Choose a CSV or XLSX file"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(client_as, file, message):
    response = client_as("admin").post(IMPORT_URL, {"file": file} if file else {})
    assert response.status_code == 400
    assert message in response.content


def test_oversized_upload_is_refused_before_reading(client_as, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_IMPORT_BYTES", 10)
    response = client_as("admin").post(IMPORT_URL, {"file": upload(GOOD)})
    assert response.status_code == 400
    assert b"larger than" in response.content


def test_unknown_table_is_not_found(client_as):
    assert client_as("admin").get("/transfer/nonsense/import/").status_code == 404
    assert client_as("admin").get("/transfer/nonsense/export.csv").status_code == 404
    assert client_as("admin").get("/transfer/assets/export.pdf").status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_for_readers_of_their_own_organization(client_as, asset, role, fmt):
    response = client_as(role).get(f"/transfer/assets/export.{fmt}")
    if role not in READERS | {"outsider"}:
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(action="export").exists()
        return
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="assets-')
    data = b"".join(response.streaming_content)
    table = csv_rows(data.decode()) if fmt == "csv" else xlsx_rows(data)
    assert table[0][:2] == ["Name", "Kind"]
    names = [row[0] for row in table[1:]]
    assert names == ([] if role == "outsider" else ["Core switch"])
    event = AuditEvent.objects.get(action="export")
    assert event.actor_label == role
    assert event.after["format"] == fmt
    assert event.after["rows"] == len(names)


def test_export_takes_the_list_page_filters(client_as, org, asset):
    Asset.objects.create(organization=org, name="Billing", kind="application")
    response = client_as("auditor").get("/transfer/assets/export.csv", {"kind": "application"})
    table = csv_rows(b"".join(response.streaming_content).decode())
    assert [row[0] for row in table[1:]] == ["Billing"]
    assert AuditEvent.objects.get(action="export").after["filters"] == {"kind": "application"}


@pytest.mark.parametrize("role", ["admin", "security_manager", "risk_owner", "auditor"])
def test_list_page_offers_export_to_readers_and_import_to_importers(client_as, role):
    html = client_as(role).get("/assets/asset/").content.decode()
    assert 'formaction="/transfer/assets/export.csv"' in html
    assert 'formaction="/transfer/assets/export.xlsx"' in html
    assert 'form="list-filters"' in html and 'id="list-filters"' in html
    assert (f'href="{IMPORT_URL}"' in html) == (role in IMPORTERS)


@pytest.mark.parametrize("key", ["assets", "risks", "controls"])
def test_every_register_has_an_import_page_and_exports(client_as, key):
    client = client_as("admin")
    page = client.get(f"/transfer/{key}/import/")
    assert page.status_code == 200
    assert [c.header for c, _, _ in page.context["guide"]] == [
        c.header for c in tabular.table(key).columns
    ]
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/transfer/{key}/export.{fmt}").status_code == 200
