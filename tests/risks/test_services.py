"""Matrices, risks, assessments and reviews: every rule, its error field, and its audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from riskward.assets.models import Asset
from riskward.audit.models import AuditEvent
from riskward.core.models import Person
from riskward.lib.errors import Conflict, InvalidInput
from riskward.risks import services
from riskward.risks.models import DEFAULT_LEVELS, Risk, RiskAssessment, RiskMatrix

SMALL = {
    "name": "Simple 3x3",
    "likelihood_labels": ["Low", "Medium", "High"],
    "impact_labels": ["Low", "Medium", "High"],
    "levels": [[1, 2, 3], [2, 3, 4], [3, 4, 5]],
}


def events(model: str, action: str | None = None):
    rows = AuditEvent.objects.filter(object_type=f"risks.{model}")
    return rows.filter(action=action) if action else rows


# Matrices ---------------------------------------------------------------------------------


def test_default_matrix_is_the_standard_5x5_made_once_and_audited(org):
    matrix = services.default_matrix(org)
    assert matrix.is_default
    assert (matrix.likelihood_size, matrix.impact_size) == (5, 5)
    assert matrix.levels == DEFAULT_LEVELS
    assert matrix.band_labels == ["Very low", "Low", "Medium", "High", "Very high"]
    assert (matrix.level(1, 1), matrix.level(5, 5), matrix.level(3, 3)) == (1, 5, 3)
    assert services.default_matrix(org) == matrix
    assert events("RiskMatrix", "create").count() == 1


def test_first_matrix_becomes_default_and_a_new_default_replaces_it(org, users):
    first = services.create_matrix(org, users["admin"], SMALL)
    assert first.is_default
    second = services.create_matrix(org, users["admin"], {"name": "Board 5x5", "is_default": True})
    first.refresh_from_db()
    assert second.is_default and not first.is_default
    assert services.default_matrix(org) == second


def test_duplicate_matrix_name_names_the_field(org, users):
    services.create_matrix(org, users["admin"], SMALL)
    with pytest.raises(InvalidInput) as error:
        services.create_matrix(org, users["admin"], SMALL)
    assert error.value.field == "name"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"levels": [[1, 2], [2, 3]]}, "levels"),  # 2 rows for 3 likelihood steps
        ({"levels": [[1, 2, 3], [2, 3, 4], [3, 4, 9]]}, "levels"),  # band 9 does not exist
        ({"levels": [[3, 2, 1], [3, 3, 4], [3, 4, 5]]}, "levels"),  # band falls as impact rises
        ({"band_labels": ["Low", "High"]}, "band_labels"),
        ({"likelihood_labels": ["Only"], "levels": [[1, 2, 3]]}, "likelihood_labels"),
        ({"impact_labels": ["", "B", "C"]}, "impact_labels"),
    ],
)
def test_invalid_matrix_names_the_field_and_writes_nothing(org, users, change, field):
    with pytest.raises(InvalidInput) as error:
        services.create_matrix(org, users["admin"], {**SMALL, **change})
    assert error.value.field == field
    assert not RiskMatrix.objects.exists()
    assert not events("RiskMatrix").exists()


def test_changing_bands_rebands_the_matrix_risks(org, users, make_risk):
    risk = make_risk(
        inherent_likelihood=2, inherent_impact=2, residual_likelihood=1, residual_impact=1
    )
    assert (risk.inherent_level, risk.residual_level) == (2, 1)
    matrix = risk.matrix
    levels = [[5] * 5 for _ in range(5)]
    services.update_matrix(org, users["admin"], matrix, {"levels": levels})
    risk.refresh_from_db()
    assert (risk.inherent_level, risk.residual_level) == (5, 5)
    assert events("RiskMatrix", "update").get().after["levels"] == levels


def test_matrix_cannot_shrink_below_ratings_in_use(org, users, make_risk):
    risk = make_risk(inherent_likelihood=5, inherent_impact=2)
    with pytest.raises(InvalidInput) as error:
        services.update_matrix(org, users["admin"], risk.matrix, SMALL)
    assert error.value.field == "likelihood_labels"
    risk.matrix.refresh_from_db()
    assert risk.matrix.likelihood_size == 5


def test_default_matrix_cannot_be_unset_or_deleted_while_others_exist(org, users):
    default = services.create_matrix(org, users["admin"], SMALL)
    services.create_matrix(org, users["admin"], {"name": "Other"})
    with pytest.raises(InvalidInput) as error:
        services.update_matrix(org, users["admin"], default, {"is_default": False})
    assert error.value.field == "is_default"
    with pytest.raises(Conflict, match="default"):
        services.delete_matrix(org, users["admin"], default)


def test_matrix_in_use_cannot_be_deleted(org, users, make_risk):
    risk = make_risk()
    with pytest.raises(InvalidInput, match="Still referenced"):
        services.delete_matrix(org, users["admin"], risk.matrix)


def test_unused_matrix_is_deleted_with_an_audit_event(org, users):
    services.create_matrix(org, users["admin"], SMALL)
    spare = services.create_matrix(org, users["admin"], {"name": "Spare"})
    services.delete_matrix(org, users["admin"], spare)
    assert not RiskMatrix.objects.filter(pk=spare.pk).exists()
    assert events("RiskMatrix", "delete").get().object_repr == "Spare"


# Creating risks ---------------------------------------------------------------------------


def test_create_assigns_references_on_the_default_matrix_and_audits(org, users, make_risk):
    first, second = make_risk(), make_risk()
    assert (first.reference, second.reference) == ("RSK-001", "RSK-002")
    assert first.matrix.is_default
    assert first.status == Risk.Status.IDENTIFIED
    event = events("Risk", "create").filter(object_id=str(first.pk)).get()
    assert event.after["reference"] == "RSK-001"
    assert event.actor_label == "admin"


def test_reference_continues_after_the_highest_number(make_risk):
    make_risk(reference="RSK-009")
    make_risk(reference="LEGACY-77")
    assert make_risk().reference == "RSK-010"


def test_duplicate_reference_names_the_field(make_risk):
    make_risk(reference="RSK-001")
    with pytest.raises(InvalidInput) as error:
        make_risk(reference="RSK-001")
    assert error.value.field == "reference"
    assert Risk.objects.count() == 1


def test_initial_ratings_are_scored_banded_and_start_the_history(make_risk, users):
    risk = make_risk(
        inherent_likelihood=4, inherent_impact=5, residual_likelihood=2, residual_impact=3
    )
    assert (risk.inherent_score, risk.inherent_level, risk.inherent_band) == (20, 5, "Very high")
    assert (risk.residual_score, risk.residual_level, risk.residual_band) == (6, 3, "Medium")
    assert risk.status == Risk.Status.ASSESSED
    history = risk.assessments.get()
    assert (history.inherent_score, history.residual_level) == (20, 3)
    assert history.assessed_by == users["admin"]
    assert events("RiskAssessment", "create").count() == 1


@pytest.mark.parametrize(
    ("ratings", "field"),
    [
        ({"inherent_likelihood": 6, "inherent_impact": 1}, "inherent_likelihood"),
        ({"inherent_likelihood": 1, "inherent_impact": 0}, "inherent_impact"),
        ({"inherent_likelihood": 3}, "inherent_impact"),
        ({"inherent_impact": 3}, "inherent_likelihood"),
        ({"residual_likelihood": 1, "residual_impact": 1}, "inherent_likelihood"),
        (
            {
                "inherent_likelihood": 2,
                "inherent_impact": 2,
                "residual_likelihood": 3,
                "residual_impact": 1,
            },
            "residual_likelihood",
        ),
        (
            {
                "inherent_likelihood": 2,
                "inherent_impact": 2,
                "residual_likelihood": 1,
                "residual_impact": "x",
            },
            "residual_impact",
        ),
    ],
)
def test_bad_ratings_name_the_field_and_write_nothing(make_risk, ratings, field):
    with pytest.raises(InvalidInput) as error:
        make_risk(**ratings)
    assert error.value.field == field
    assert not Risk.objects.exists()
    assert not RiskAssessment.objects.exists()
    assert not events("Risk").exists()


def test_ratings_must_fit_the_chosen_matrix(org, users, make_risk):
    small = services.create_matrix(org, users["admin"], SMALL)
    with pytest.raises(InvalidInput, match="between 1 and 3 on the matrix “Simple 3x3”") as error:
        make_risk(matrix=small.pk, inherent_likelihood=4, inherent_impact=1)
    assert error.value.field == "inherent_likelihood"
    risk = make_risk(matrix=small.pk, inherent_likelihood=3, inherent_impact=3)
    assert (risk.inherent_score, risk.inherent_level) == (9, 5)


def test_matrix_of_another_organization_is_refused(other_org, make_risk):
    foreign = services.default_matrix(other_org)
    with pytest.raises(InvalidInput) as error:
        make_risk(matrix=foreign.pk)
    assert error.value.field == "matrix"


@pytest.mark.parametrize("field", ["owner", "erm_category"])
def test_references_to_another_organization_are_refused(other_org, make_risk, field):
    from riskward.core.models import ErmCategory

    stranger = (
        Person.objects.create(organization=other_org, name="Stranger")
        if field == "owner"
        else ErmCategory.objects.create(organization=other_org, name="Theirs")
    )
    with pytest.raises(InvalidInput) as error:
        make_risk(**{field: stranger.pk})
    assert error.value.field == field


def test_linked_assets_must_belong_to_the_organization(org, other_org, make_risk):
    ours = Asset.objects.create(organization=org, name="ERP", kind="application")
    theirs = Asset.objects.create(organization=other_org, name="Theirs", kind="application")
    risk = make_risk(assets=[ours.pk])
    assert list(risk.assets.all()) == [ours]
    with pytest.raises(InvalidInput) as error:
        make_risk(assets=[theirs.pk])
    assert error.value.field == "assets"


def test_accepted_status_only_comes_from_an_approved_acceptance(make_risk, own_risk, org, users):
    with pytest.raises(InvalidInput) as error:
        make_risk(status="accepted", inherent_likelihood=1, inherent_impact=1)
    assert error.value.field == "status"
    with pytest.raises(InvalidInput):
        services.update_risk(org, users["admin"], own_risk, {"status": "accepted"})


def test_assessed_status_needs_a_rating(make_risk):
    with pytest.raises(InvalidInput) as error:
        make_risk(status="assessed")
    assert error.value.field == "status"


def test_derived_fields_cannot_be_typed_in(make_risk):
    risk = make_risk(inherent_likelihood=1, inherent_impact=2, inherent_score=25, inherent_level=5)
    assert (risk.inherent_score, risk.inherent_level) == (2, 1)


# Review cadence ---------------------------------------------------------------------------


def test_next_review_is_one_interval_after_creation_or_last_review(make_risk, today):
    assert make_risk().next_review_on == today + timedelta(days=180)
    reviewed = today - timedelta(days=10)
    risk = make_risk(last_reviewed_on=reviewed, review_interval_days=30)
    assert risk.next_review_on == reviewed + timedelta(days=30)
    assert not risk.review_overdue


def test_changing_the_interval_moves_the_next_review(org, users, make_risk, today):
    risk = make_risk(last_reviewed_on=today - timedelta(days=100))
    services.update_risk(org, users["admin"], risk, {"review_interval_days": 90})
    assert risk.next_review_on == today - timedelta(days=10)
    assert risk.review_overdue


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"review_interval_days": 0}, "review_interval_days"),
        ({"review_interval_days": 10**9}, "review_interval_days"),
        ({"last_reviewed_on": "tomorrow"}, "last_reviewed_on"),
    ],
)
def test_bad_review_cadence_names_the_field(make_risk, data, field, today):
    if data.get("last_reviewed_on") == "tomorrow":
        data = {"last_reviewed_on": today + timedelta(days=1)}
    with pytest.raises(InvalidInput) as error:
        make_risk(**data)
    assert error.value.field == field


def test_review_moves_the_next_review_and_is_audited(org, users, own_risk, today):
    own_risk.review_interval_days = 30
    reviewed = services.review_risk(org, users["risk_owner"], own_risk)
    assert reviewed.last_reviewed_on == today
    assert reviewed.next_review_on == today + timedelta(days=30)
    event = events("Risk", "update").filter(actor_label="risk_owner").get()
    assert event.after["last_reviewed_on"] == today.isoformat()


def test_review_cannot_go_back_in_time_or_ahead(org, users, make_risk, today):
    risk = make_risk(last_reviewed_on=today - timedelta(days=5))
    with pytest.raises(InvalidInput) as error:
        services.review_risk(org, users["admin"], risk, today - timedelta(days=6))
    assert error.value.field == "reviewed_on"
    with pytest.raises(InvalidInput):
        services.review_risk(org, users["admin"], risk, today + timedelta(days=1))


def test_closed_risk_has_no_review_or_assessment(org, users, own_risk):
    services.update_risk(org, users["admin"], own_risk, {"status": "closed"})
    assert not own_risk.review_overdue
    with pytest.raises(Conflict, match="closed"):
        services.review_risk(org, users["admin"], own_risk)
    with pytest.raises(Conflict, match="closed"):
        services.assess_risk(
            org, users["admin"], own_risk, {"inherent_likelihood": 1, "inherent_impact": 1}
        )


# Updates and assessments ------------------------------------------------------------------


def test_update_without_rating_change_writes_no_history(org, users, own_risk):
    services.update_risk(org, users["admin"], own_risk, {"title": "Renamed"})
    assert own_risk.assessments.count() == 1
    event = events("Risk", "update").get()
    assert (event.before["title"], event.after["title"]) == ("Rita's risk", "Renamed")


def test_update_that_changes_ratings_is_written_to_the_history(org, users, own_risk):
    services.update_risk(org, users["admin"], own_risk, {"inherent_impact": 5})
    assert own_risk.inherent_score == 20
    assert own_risk.assessments.count() == 2
    assert own_risk.assessments.first().inherent_impact == 5


def test_assess_records_history_updates_the_risk_and_counts_as_review(org, users, make_risk, today):
    risk = make_risk()
    assessed_on = today - timedelta(days=3)
    assessment = services.assess_risk(
        org,
        users["security_manager"],
        risk,
        {
            "inherent_likelihood": 5,
            "inherent_impact": 4,
            "residual_likelihood": 2,
            "residual_impact": 4,
            "assessed_on": assessed_on,
            "notes": "After the 2024 tabletop.",
        },
    )
    risk.refresh_from_db()
    assert risk.status == Risk.Status.ASSESSED
    assert (risk.inherent_score, risk.residual_score, risk.residual_level) == (20, 8, 3)
    assert (assessment.assessed_on, assessment.notes) == (assessed_on, "After the 2024 tabletop.")
    assert assessment.assessed_by == users["security_manager"]
    assert (assessment.inherent_level, assessment.residual_band) == (5, "Medium")
    assert risk.last_reviewed_on == assessed_on
    assert risk.next_review_on == assessed_on + timedelta(days=180)
    assert events("RiskAssessment", "create").get().after["inherent_score"] == 20
    assert events("Risk", "update").get().after["status"] == "assessed"


def test_assess_keeps_a_later_status_and_can_confirm_unchanged_ratings(org, users, own_risk):
    services.update_risk(org, users["admin"], own_risk, {"status": "treating"})
    services.assess_risk(
        org, users["admin"], own_risk, {"inherent_likelihood": 4, "inherent_impact": 4}
    )
    assert own_risk.status == Risk.Status.TREATING
    assert own_risk.assessments.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"inherent_impact": 3}, "inherent_likelihood"),
        ({"inherent_likelihood": 9, "inherent_impact": 3}, "inherent_likelihood"),
        (
            {"inherent_likelihood": 2, "inherent_impact": 2, "residual_impact": 1},
            "residual_likelihood",
        ),
        ({"inherent_likelihood": 2, "inherent_impact": 2, "assessed_on": "soon"}, "assessed_on"),
    ],
)
def test_bad_assessment_names_the_field_and_writes_nothing(org, users, own_risk, data, field):
    before = (own_risk.inherent_likelihood, own_risk.inherent_impact)
    with pytest.raises(InvalidInput) as error:
        services.assess_risk(org, users["admin"], own_risk, data)
    assert error.value.field == field
    own_risk.refresh_from_db()
    assert (own_risk.inherent_likelihood, own_risk.inherent_impact) == before
    assert own_risk.assessments.count() == 1
    assert not events("Risk", "update").exists()


def test_assessment_in_the_future_is_refused(org, users, own_risk, today):
    with pytest.raises(InvalidInput) as error:
        services.assess_risk(
            org,
            users["admin"],
            own_risk,
            {"inherent_likelihood": 1, "inherent_impact": 1, "assessed_on": today + timedelta(1)},
        )
    assert error.value.field == "assessed_on"


def test_delete_is_audited_and_takes_the_history_along(org, users, own_risk):
    services.delete_risk(org, users["admin"], own_risk)
    assert not Risk.objects.exists()
    assert not RiskAssessment.objects.exists()
    assert events("Risk", "delete").get().object_repr == "RSK-001 Rita's risk"


def test_is_owned_by_follows_the_owner_person(own_risk, others_risk, users):
    assert own_risk.is_owned_by(users["risk_owner"])
    assert not others_risk.is_owned_by(users["risk_owner"])
    assert not own_risk.is_owned_by(users["admin"])
