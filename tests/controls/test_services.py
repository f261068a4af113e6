"""Framework loading, requirement text import, controls and compliance assessments."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from riskward.audit.models import AuditEvent
from riskward.controls import datafiles, queries, services
from riskward.controls.models import (
    ComplianceAssessment,
    Control,
    Framework,
    Requirement,
    RequirementResult,
)
from riskward.lib.errors import ImportRejected, InvalidInput, NotFound


def active(framework, kind):
    return Requirement.objects.filter(framework=framework, kind=kind, withdrawn=False).count()


# --- Loading frameworks -----------------------------------------------------------------------


def test_nist_loads_6_functions_22_categories_106_subcategories(org, users):
    framework = services.load_framework(org, "nist-csf-2.0", actor=users["admin"])
    assert (framework.key, framework.name) == ("nist-csf-2.0", "NIST Cybersecurity Framework 2.0")
    assert active(framework, "function") == 6
    assert active(framework, "category") == 22
    assert active(framework, "subcategory") == 106
    assert Requirement.objects.filter(framework=framework).count() == 6 + 34 + 185
    category = Requirement.objects.get(framework=framework, ref_id="GV.OC-01").parent
    assert (category.ref_id, category.parent.ref_id) == ("GV.OC", "GV")


def test_iso_and_mlps_load_their_structure(iso, mlps):
    assert active(iso, "control") == 93
    assert active(iso, "theme") == 4
    assert active(mlps, "security_class") == 10
    assert active(mlps, "control_point") == 71


def test_load_is_audited_once_as_an_import(org, users):
    framework = services.load_framework(org, "iso-27001-2022", actor=users["admin"])
    events = AuditEvent.objects.filter(organization=org, object_type="controls.Framework")
    event = events.get()
    assert (event.action, event.object_id, event.actor_label) == (
        "import",
        str(framework.pk),
        "admin",
    )
    assert event.after["added"] == 97 and event.after["changed"] == 0
    assert not AuditEvent.objects.filter(object_type="controls.Requirement").exists()


def test_reload_is_idempotent_and_keeps_mappings_and_imported_text(org, users, nist, control):
    requirement = Requirement.objects.get(framework=nist, ref_id="DE.CM-01")
    control.requirements.add(requirement)
    services.import_requirement_text(org, nist, [{"ref_id": "DE.CM-01", "text": "Ours"}])
    before = AuditEvent.objects.count()

    again = services.load_framework(org, "nist-csf-2.0", actor=users["admin"])

    assert again.pk == nist.pk
    assert Framework.objects.filter(organization=org).count() == 1
    assert Requirement.objects.filter(framework=nist).count() == 225
    assert AuditEvent.objects.count() == before  # nothing changed, nothing to record
    requirement.refresh_from_db()
    assert requirement.licensed_text == "Ours"
    assert list(control.requirements.all()) == [requirement]


def test_each_organization_gets_its_own_copy(org, other_org, nist):
    theirs = services.load_framework(other_org, "nist-csf-2.0")
    assert theirs.pk != nist.pk
    assert Requirement.objects.filter(organization=other_org).count() == 225


def test_reload_applies_what_a_new_data_file_changed(org, iso, monkeypatch):
    catalog = datafiles.read_catalog("iso-27001-2022")
    first, second = catalog.items[1], catalog.items[2]
    items = [
        dataclasses.replace(first, title="Reworded"),
        dataclasses.replace(second, withdrawn=True),
        *catalog.items[3:],
        dataclasses.replace(first, ref_id="A.5.38", sort_key="0001.0038"),
    ]
    monkeypatch.setattr(
        datafiles, "read_catalog", lambda key: dataclasses.replace(catalog, items=tuple(items))
    )
    services.load_framework(org, "iso-27001-2022")
    rows = {r.ref_id: r for r in Requirement.objects.filter(framework=iso)}
    assert rows["A.5.1"].title == "Reworded"
    assert rows["A.5.2"].withdrawn
    assert rows["A.5.38"].parent == rows["A.5"]
    assert "A.5" in rows  # missing from the new file, but never deleted
    event = AuditEvent.objects.filter(action="import").latest("id")
    assert (event.after["added"], event.after["changed"]) == (1, 2)


def test_failed_load_writes_nothing(org, monkeypatch):
    def broken(key):
        raise datafiles.CatalogError("frameworks/x: broken")

    monkeypatch.setattr(datafiles, "read_catalog", broken)
    with pytest.raises(datafiles.CatalogError):
        services.load_framework(org, "nist-csf-2.0")
    assert not Framework.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_unknown_framework_key_names_the_field(org):
    with pytest.raises(InvalidInput) as error:
        services.load_framework(org, "sox")
    assert error.value.field == "key"


def test_delete_framework_is_refused_while_assessed(org, users, iso):
    services.create_assessment(org, users["admin"], {"framework": iso, "title": "Pre-audit"})
    with pytest.raises(InvalidInput, match="Still referenced"):
        services.delete_framework(org, users["admin"], iso)
    assert Framework.objects.filter(pk=iso.pk).exists()


def test_delete_framework_removes_its_requirements_and_mappings(org, users, iso, control):
    control.requirements.add(Requirement.objects.get(framework=iso, ref_id="A.8.16"))
    services.delete_framework(org, users["admin"], iso)
    assert not Requirement.objects.exists()
    assert control.requirements.count() == 0


# --- Importing licensed requirement text ------------------------------------------------------


def test_text_import_updates_and_adds_items(org, users, mlps):
    rows = [
        {"ref_id": "8.1.1.1", "text": "Licensed heading text"},
        {"ref_id": "8.1.1.1.a", "text": "a) First requirement item"},
        {"ref_id": "8.1.1.1.b", "text": "b) Second requirement item"},
    ]
    done = services.import_requirement_text(org, mlps, rows, actor=users["admin"])
    assert (done.updated, done.added) == (1, 2)
    point = Requirement.objects.get(framework=mlps, ref_id="8.1.1.1")
    assert point.licensed_text == "Licensed heading text"
    items = list(point.children.order_by("sort_key"))
    assert [i.ref_id for i in items] == ["8.1.1.1.a", "8.1.1.1.b"]
    assert items[0].kind == "item" and items[0].depth == 2
    assert items[0].sort_key.startswith(point.sort_key + ".")
    event = AuditEvent.objects.get(
        action="import", object_type="controls.Framework", actor=users["admin"]
    )
    assert event.after == {"rows": 3, "updated": 1, "added": 2}


def test_text_import_is_all_or_nothing_and_names_rows(org, mlps):
    rows = [
        {"ref_id": "8.1.1.1", "text": "Fine"},
        {"ref_id": "9.9.9", "text": "No such place"},
        {"ref_id": "", "text": "No reference"},
        {"ref_id": "8.1.1.2", "text": ""},
        {"ref_id": "8.1.1.1", "text": "Again"},
    ]
    with pytest.raises(ImportRejected) as error:
        services.import_requirement_text(org, mlps, rows)
    assert error.value.problems == [
        (3, "ref_id", f"9.9.9 is not a reference of {mlps}"),
        (4, "ref_id", "missing"),
        (5, "text", "must have 1 to 20000 characters"),
        (6, "ref_id", "repeated"),
    ]
    assert not Requirement.objects.exclude(licensed_text="").exists()


def test_text_import_twice_changes_nothing_the_second_time(org, iso):
    rows = [{"ref_id": "A.5.1", "text": "Licensed"}]
    services.import_requirement_text(org, iso, rows)
    assert services.import_requirement_text(org, iso, rows) == services.TextImport(0, 0)
    assert AuditEvent.objects.filter(action="import").count() == 2  # the load and one import


def test_text_import_refuses_another_organizations_framework(other_org, iso):
    with pytest.raises(NotFound):
        services.import_requirement_text(other_org, iso, [{"ref_id": "A.5.1", "text": "x"}])


def test_text_import_with_no_rows_is_refused(org, iso):
    with pytest.raises(InvalidInput, match="no rows"):
        services.import_requirement_text(org, iso, [])


def test_reload_moves_imported_items_with_their_parent(org, iso, monkeypatch):
    services.import_requirement_text(org, iso, [{"ref_id": "A.5.1.x", "text": "Item"}])
    catalog = datafiles.read_catalog("iso-27001-2022")
    moved = [
        dataclasses.replace(i, sort_key="0009" + i.sort_key[4:]) if i.ref_id in {"A.5", "A.5.1"}
        else i
        for i in catalog.items
    ]  # fmt: skip
    monkeypatch.setattr(
        datafiles, "read_catalog", lambda key: dataclasses.replace(catalog, items=tuple(moved))
    )
    services.load_framework(org, "iso-27001-2022")
    item = Requirement.objects.get(ref_id="A.5.1.x")
    assert item.sort_key.startswith("0009.0001.")


# --- Controls ---------------------------------------------------------------------------------


def test_control_maps_to_requirements_of_several_frameworks(org, users, nist, iso, control):
    wanted = Requirement.objects.filter(ref_id__in=["DE.CM-01", "A.8.16"])
    services.update_control(org, users["admin"], control, {"requirements": list(wanted)})
    assert set(control.requirements.values_list("ref_id", flat=True)) == {"DE.CM-01", "A.8.16"}
    event = AuditEvent.objects.filter(action="update", object_type="controls.Control").get()
    assert sorted(event.after["requirements"]) == sorted(r.pk for r in wanted)


def test_requirement_of_another_organization_is_refused(org, other_org, users, control):
    foreign = services.load_framework(other_org, "iso-27001-2022").requirements.first()
    with pytest.raises(InvalidInput) as error:
        services.update_control(org, users["admin"], control, {"requirements": [foreign.pk]})
    assert error.value.field == "requirements"


def test_duplicate_reference_names_the_field(org, users, control):
    with pytest.raises(InvalidInput) as error:
        services.create_control(
            org,
            users["admin"],
            {
                "reference": "CTL-001",
                "name": "Copy",
                "control_type": "technical",
                "function": "preventive",
            },
        )
    assert error.value.field == "reference"
    assert Control.objects.count() == 1


def test_same_reference_in_another_organization_is_fine(other_org, users, control):
    data = {
        "reference": "CTL-001",
        "name": "Theirs",
        "control_type": "physical",
        "function": "preventive",
    }
    assert services.create_control(other_org, users["outsider"], data).pk != control.pk


def test_bad_choice_names_the_field(org, users):
    with pytest.raises(InvalidInput) as error:
        services.create_control(
            org,
            users["admin"],
            {"reference": "C", "name": "X", "control_type": "magic", "function": "preventive"},
        )
    assert error.value.field == "control_type"


def test_delete_control_is_audited(org, users, control):
    services.delete_control(org, users["admin"], control)
    assert AuditEvent.objects.filter(action="delete", object_type="controls.Control").exists()


# --- Compliance assessments -------------------------------------------------------------------


@pytest.mark.parametrize(("fixture", "expected"), [("nist", 106), ("iso", 93), ("mlps", 71)])
def test_assessment_starts_with_every_assessable_requirement_not_assessed(
    request, org, users, fixture, expected
):
    framework = request.getfixturevalue(fixture)
    assessment = services.create_assessment(
        org, users["admin"], {"framework": framework, "title": "Baseline"}
    )
    results = RequirementResult.objects.filter(assessment=assessment)
    assert results.count() == expected
    assert set(results.values_list("result", flat=True)) == {"not_assessed"}
    assert not results.filter(requirement__withdrawn=True).exists()


def test_imported_items_replace_their_control_point_in_new_assessments(org, users, mlps):
    rows = [{"ref_id": "8.1.1.1.a", "text": "a)"}, {"ref_id": "8.1.1.1.b", "text": "b)"}]
    services.import_requirement_text(org, mlps, rows)
    assessment = services.create_assessment(org, users["admin"], {"framework": mlps, "title": "L3"})
    refs = set(assessment.results.values_list("requirement__ref_id", flat=True))
    assert len(refs) == 72
    assert {"8.1.1.1.a", "8.1.1.1.b"} <= refs and "8.1.1.1" not in refs


@pytest.fixture
def assessment(org, users, iso):
    return services.create_assessment(
        org, users["admin"], {"framework": iso, "title": "ISO pre-audit"}
    )


def test_record_result_with_evidence_and_summary(org, users, assessment, link_evidence):
    results = list(assessment.results.order_by("requirement__sort_key")[:3])
    services.record_result(
        org,
        users["admin"],
        results[0],
        {"result": "compliant", "findings": "", "evidence": [link_evidence.pk]},
    )
    services.record_result(
        org, users["admin"], results[1], {"result": "non_compliant", "findings": "No policy"}
    )
    services.record_result(org, users["admin"], results[2], {"result": "not_applicable"})
    assert list(results[0].evidence.all()) == [link_evidence]
    assert queries.result_summary(assessment) == {
        "total": 93,
        "compliant": 1,
        "partial": 0,
        "non_compliant": 1,
        "not_applicable": 1,
        "not_assessed": 90,
    }


def test_result_summary_is_one_query(assessment, django_assert_num_queries):
    with django_assert_num_queries(1):
        queries.result_summary(assessment)


def test_bad_result_value_names_the_field(org, users, assessment):
    with pytest.raises(InvalidInput) as error:
        services.record_result(org, users["admin"], assessment.results.first(), {"result": "great"})
    assert error.value.field == "result"


def test_result_fields_are_limited(org, users, assessment):
    with pytest.raises(InvalidInput) as error:
        services.record_result(org, users["admin"], assessment.results.first(), {"requirement": 1})
    assert error.value.field == "requirement"


def test_completed_assessment_is_closed_to_result_changes(org, users, assessment):
    services.update_assessment(org, users["admin"], assessment, {"status": "completed"})
    assessment.refresh_from_db()
    assert assessment.completed_on is not None  # filled in on completion
    with pytest.raises(InvalidInput, match="completed"):
        services.record_result(
            org, users["admin"], assessment.results.first(), {"result": "compliant"}
        )


def test_assessment_keeps_its_framework(org, users, assessment, nist):
    with pytest.raises(InvalidInput) as error:
        services.update_assessment(org, users["admin"], assessment, {"framework": nist.pk})
    assert error.value.field == "framework"


def test_completion_before_start_names_the_field(org, users, iso):
    with pytest.raises(InvalidInput) as error:
        services.create_assessment(
            org,
            users["admin"],
            {
                "framework": iso,
                "title": "X",
                "started_on": date(2024, 5, 1),
                "completed_on": date(2024, 4, 1),
            },
        )
    assert error.value.field == "completed_on"
    assert not ComplianceAssessment.objects.exists()
    assert not RequirementResult.objects.exists()


def test_deleting_an_assessment_removes_its_results(org, users, assessment):
    services.delete_assessment(org, users["admin"], assessment)
    assert not RequirementResult.objects.exists()
