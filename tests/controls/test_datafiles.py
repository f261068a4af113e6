"""The bundled framework files as Riskward reads them, and customers' text CSVs."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

import pytest

from riskward.controls import datafiles
from riskward.controls.datafiles import CatalogError
from riskward.lib.errors import InvalidInput

WITHDRAWN_CATEGORIES = {
    "ID.BE", "ID.GV", "ID.RM", "ID.SC", "PR.AC", "PR.IP", "PR.MA", "PR.PT", "DE.DP", "RS.IM",
    "RS.RP", "RC.IM",
}  # fmt: skip


def counts(catalog, kind):
    items = [item for item in catalog.items if item.kind == kind]
    return len(items), sum(not item.withdrawn for item in items)


def test_nist_counts_follow_the_rule_in_sources():
    catalog = datafiles.read_catalog("nist-csf-2.0")
    assert counts(catalog, "function") == (6, 6)
    assert counts(catalog, "category") == (34, 22)
    assert counts(catalog, "subcategory") == (185, 106)
    withdrawn = {i.ref_id for i in catalog.items if i.kind == "category" and i.withdrawn}
    assert withdrawn == WITHDRAWN_CATEGORIES


def test_nist_is_in_nists_order_not_the_files():
    catalog = datafiles.read_catalog("nist-csf-2.0")
    govern = [i.ref_id for i in catalog.items if i.parent_ref == "GV"]
    assert govern == ["GV.OC", "GV.RM", "GV.RR", "GV.PO", "GV.OV", "GV.SC"]
    keys = [item.sort_key for item in catalog.items]
    assert keys == sorted(keys)  # depth-first: every parent before its children
    assert len(set(keys)) == len(keys)


def test_nist_subcategory_keeps_statement_and_examples():
    catalog = datafiles.read_catalog("nist-csf-2.0")
    item = next(i for i in catalog.items if i.ref_id == "GV.OC-01")
    assert item.title.startswith("The organizational mission is understood")
    assert "Implementation examples:" in item.description
    assert (item.parent_ref, item.depth) == ("GV.OC", 2)
    moved = next(i for i in catalog.items if i.ref_id == "ID.AM-06")
    assert moved.withdrawn


def test_bundled_nist_file_matches_the_hash_in_sources():
    sources = datafiles.data_bytes("nist-csf-2.0", "SOURCES.md").decode()
    line = next(row for row in sources.splitlines() if "NIST_CSF_v2.0_catalog.json" in row)
    expected = re.findall(r"`([0-9a-f]{64})`", line)[0]
    data = datafiles.data_bytes("nist-csf-2.0", datafiles.NIST_FILE)
    assert hashlib.sha256(data).hexdigest() == expected


def test_iso_annex_a_has_93_controls_under_four_themes():
    catalog = datafiles.read_catalog("iso-27001-2022")
    themes = [i.ref_id for i in catalog.items if i.kind == "theme"]
    assert themes == ["A.5", "A.6", "A.7", "A.8"]
    per_theme = Counter(i.parent_ref for i in catalog.items if i.kind == "control")
    assert per_theme == {"A.5": 37, "A.6": 8, "A.7": 14, "A.8": 34}
    refs = [i.ref_id for i in catalog.items if i.kind == "control"]
    assert refs[:2] == ["A.5.1", "A.5.2"] and refs[-1] == "A.8.34"
    titles = [i.title for i in catalog.items if i.kind == "control"]
    assert len(set(titles)) == 93 and all(10 < len(t) <= 300 for t in titles)


def test_mlps_level_3_has_ten_classes_and_named_control_points():
    catalog = datafiles.read_catalog("mlps-2.0-l3")
    classes = [i for i in catalog.items if i.kind == "security_class"]
    assert len(classes) == 10
    areas = Counter(i.description for i in classes)
    assert areas == {"Technical requirements": 5, "Management requirements": 5}
    points = [i for i in catalog.items if i.kind == "control_point"]
    assert len(points) == 71
    assert all(not i.description for i in points)  # names only: no requirement text bundled
    first = points[0]
    assert (first.ref_id, first.parent_ref) == ("8.1.1.1", "8.1.1")
    assert "物理位置选择" in first.title


def test_unknown_key_names_the_field():
    with pytest.raises(InvalidInput) as error:
        datafiles.read_catalog("pci-dss-4")
    assert error.value.field == "key"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"ref_id,kind,title\n", "header"),
        (b"ref_id,parent_ref_id,kind,title,description\nA.5,A.9,theme,X,\n", "must come before"),
        (b"ref_id,parent_ref_id,kind,title,description\nA.5,,galaxy,X,\n", "kind"),
        (b"ref_id,parent_ref_id,kind,title,description\nA.5,,theme,,\n", "title"),
        (b"ref_id,parent_ref_id,kind,title,description\nA.5,,theme,X,\nA.5,,theme,Y,\n", "row 3"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_malformed_tree_file_is_refused_naming_the_place(monkeypatch, content, message):
    monkeypatch.setattr(datafiles, "data_bytes", lambda key, name: content)
    with pytest.raises(CatalogError, match=message):
        datafiles.read_catalog("iso-27001-2022")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "should be an object"),
        (b'{"catalog": {"metadata": {}, "groups": {}}}', "catalog.groups should be a list"),
        (b'{"catalog": {"metadata": {}, "groups": [{"title": "X"}]}}', r"groups\[0\]\.id"),
        (b'{"catalog": {"metadata": {}, "groups": []}}', "no groups"),
    ],
)
def test_malformed_oscal_is_refused_naming_the_place(monkeypatch, document, message):
    monkeypatch.setattr(datafiles, "data_bytes", lambda key, name: document)
    with pytest.raises(CatalogError, match=message):
        datafiles.read_catalog("nist-csf-2.0")


def test_missing_data_file_is_a_clear_installation_error():
    with pytest.raises(CatalogError, match="missing from this installation"):
        datafiles.data_bytes("nist-csf-2.0", "nope.json")


def test_oscal_withdrawn_rule_reads_prose_and_examples(monkeypatch):
    group = {
        "id": "GV",
        "title": "GOVERN",
        "controls": [
            {
                "id": "GV.XX",
                "title": "Old",
                "parts": [{"name": "statement"}],
                "controls": [{"id": "GV.XX-01", "parts": [{"name": "statement", "prose": "S"}]}],
            },
            {
                "id": "GV.YY",
                "title": "New",
                "parts": [{"name": "statement", "prose": "Live"}],
                "controls": [
                    {
                        "id": "GV.YY-01",
                        "parts": [
                            {"name": "statement", "prose": "Do it"},
                            {"name": "example", "prose": "Like this"},
                        ],
                    }
                ],
            },
        ],
    }
    document = json.dumps({"catalog": {"metadata": {"version": "9"}, "groups": [group]}})
    monkeypatch.setattr(datafiles, "data_bytes", lambda key, name: document.encode())
    catalog = datafiles.read_catalog("nist-csf-2.0")
    state = {item.ref_id: item.withdrawn for item in catalog.items}
    assert state == {
        "GV": False,
        "GV.XX": True,
        "GV.XX-01": True,
        "GV.YY": False,
        "GV.YY-01": False,
    }
    assert catalog.version == "CSF 2.0, OSCAL catalog 9"


def test_text_csv_reads_utf8_with_bom_and_gb18030():
    rows = datafiles.read_text_csv("\ufeffref_id,text\nA.5.1,Policy text\n".encode())
    assert rows == [{"ref_id": "A.5.1", "text": "Policy text"}]
    from tests.controls.samples import CSV_GBK

    assert "测试条款" in datafiles.read_text_csv(CSV_GBK)[0]["text"]


def test_text_csv_keeps_multiline_text_and_ignores_extra_columns():
    data = b'Ref_ID,Text,Note\n8.1.1.1,"a) first\nb) second",x\n'
    assert datafiles.read_text_csv(data) == [{"ref_id": "8.1.1.1", "text": "a) first\nb) second"}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"id,body\nA,B\n", "ref_id and text"),
        (b"ref_id,text\x00\n", "not a CSV"),
        (b"ref_id,text\n" + b"A.5.1,x\n" * (datafiles.MAX_TEXT_ROWS + 1), "more than"),
        (b'ref_id,text\nA.5.1,"unterminated\n', "row 2"),
    ],
)
def test_bad_text_csv_names_the_file_field(data, message):
    with pytest.raises(InvalidInput, match=message) as error:
        datafiles.read_text_csv(data)
    assert error.value.field == "file"
