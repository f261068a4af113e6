"""The risk register's REST API for every role, the risk owner's own records and the outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest

from riskward.assets.models import Asset
from riskward.controls.models import Control
from riskward.risks import services
from riskward.risks.models import Risk, RiskAcceptance, RiskMatrix, TreatmentAction
from tests.conftest import ROLES
from tests.roles import EDITORS, READERS

BASE = "/api/v1/risks"
CHANGE_OWN = EDITORS | {"risk_owner"}


def denied(role):
    """What a refused call answers: another organization's rows do not exist for the outsider."""
    return 404 if role == "outsider" else 403


@pytest.mark.parametrize("role", ROLES)
def test_read_endpoints_per_role(api_as, own_risk, role):
    api = api_as(role)
    listing = api.get(f"{BASE}/risks")
    one = api.get(f"{BASE}/risks/{own_risk.pk}")
    history = api.get(f"{BASE}/risks/{own_risk.pk}/assessments")
    acceptances = api.get(f"{BASE}/risks/{own_risk.pk}/acceptances")
    if role in READERS:
        assert (listing.status_code, one.status_code, history.status_code) == (200, 200, 200)
        body = one.json()
        assert (body["reference"], body["inherent_score"], body["inherent_level"]) == (
            "RSK-001",
            16,
            4,
        )
        assert body["owner"] == own_risk.owner_id and body["review_overdue"] is False
        assert history.json()["items"][0]["inherent_score"] == 16
        assert acceptances.json()["count"] == 0
    elif role == "outsider":
        assert listing.json()["count"] == 0
        assert (one.status_code, history.status_code, acceptances.status_code) == (404, 404, 404)
    else:
        assert {listing.status_code, one.status_code, history.status_code} == {403}


@pytest.mark.parametrize("role", ROLES)
def test_create_and_delete_are_for_editors_only(api_as, own_risk, role):
    api = api_as(role)
    created = api.post(
        f"{BASE}/risks",
        {
            "title": "Misuse of AI by third parties",
            "threat_source": "external",
            "emerging": True,
            "inherent_likelihood": 3,
            "inherent_impact": 4,
        },
    )
    deleted = api.delete(f"{BASE}/risks/{own_risk.pk}")
    if role in EDITORS:
        assert (created.status_code, deleted.status_code) == (201, 204)
        body = created.json()
        assert (body["reference"], body["status"], body["inherent_score"]) == (
            "RSK-002",
            "assessed",
            12,
        )
    elif role == "outsider":
        assert created.status_code == 201
        assert created.json()["reference"] == "RSK-001"  # numbering is per organization
        assert deleted.status_code == 404
    else:
        assert (created.status_code, deleted.status_code) == (403, 403)
    assert Risk.objects.filter(pk=own_risk.pk).exists() == (role not in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_risk_owner_patches_own_risk_only(api_as, own_risk, others_risk, role):
    api = api_as(role)
    own = api.patch(f"{BASE}/risks/{own_risk.pk}", {"treatment_plan": "Segment the network"})
    other = api.patch(f"{BASE}/risks/{others_risk.pk}", {"treatment_plan": "Segment"})
    assert own.status_code == (200 if role in CHANGE_OWN else denied(role))
    assert other.status_code == (200 if role in EDITORS else denied(role))
    own_risk.refresh_from_db()
    assert (own_risk.treatment_plan == "Segment the network") == (role in CHANGE_OWN)


@pytest.mark.parametrize("role", ROLES)
def test_assess_and_review_endpoints(api_as, own_risk, others_risk, today, role):
    api = api_as(role)
    rating = {
        "inherent_likelihood": 5,
        "inherent_impact": 4,
        "residual_likelihood": 2,
        "residual_impact": 2,
        "notes": "Quarterly",
    }
    own = api.post(f"{BASE}/risks/{own_risk.pk}/assess", rating)
    other = api.post(f"{BASE}/risks/{others_risk.pk}/assess", rating)
    reviewed = api.post(f"{BASE}/risks/{own_risk.pk}/review", {})
    assert own.status_code == (201 if role in CHANGE_OWN else denied(role))
    assert other.status_code == (201 if role in EDITORS else denied(role))
    assert reviewed.status_code == (200 if role in CHANGE_OWN else denied(role))
    if role in CHANGE_OWN:
        assert (own.json()["inherent_score"], own.json()["residual_level"]) == (20, 2)
        assert reviewed.json()["last_reviewed_on"] == today.isoformat()
        assert reviewed.json()["residual_score"] == 4


def test_assess_errors_name_the_field(api_as, own_risk):
    api = api_as("admin")
    too_high = api.post(
        f"{BASE}/risks/{own_risk.pk}/assess", {"inherent_likelihood": 6, "inherent_impact": 1}
    )
    assert too_high.status_code == 422
    assert too_high.json()["field"] == "inherent_likelihood"
    missing = api.post(f"{BASE}/risks/{own_risk.pk}/assess", {"inherent_likelihood": 2})
    assert missing.status_code == 422
    assert "inherent_impact" in missing.json()["fields"]
    unknown = api.post(
        f"{BASE}/risks/{own_risk.pk}/assess",
        {"inherent_likelihood": 2, "inherent_impact": 2, "score": 4},
    )
    assert "score" in unknown.json()["fields"]
    assert own_risk.assessments.count() == 1


def test_create_errors_name_the_field(api_as):
    api = api_as("admin")
    unknown = api.post(f"{BASE}/risks", {"title": "X", "threat_source": "external", "colour": 1})
    assert unknown.status_code == 422
    assert "colour" in unknown.json()["fields"]
    bad_source = api.post(f"{BASE}/risks", {"title": "X", "threat_source": "aliens"})
    assert (bad_source.status_code, bad_source.json()["field"]) == (422, "threat_source")
    lonely = api.post(
        f"{BASE}/risks", {"title": "X", "threat_source": "external", "inherent_likelihood": 2}
    )
    assert (lonely.status_code, lonely.json()["field"]) == (422, "inherent_impact")
    assert not Risk.objects.exists()


def test_patch_cannot_set_ratings_or_derived_values(api_as, own_risk):
    response = api_as("admin").patch(
        f"{BASE}/risks/{own_risk.pk}", {"inherent_likelihood": 1, "inherent_score": 1}
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"inherent_likelihood", "inherent_score"}


def test_links_to_assets_and_controls(api_as, org):
    asset = Asset.objects.create(organization=org, name="VPN", kind="network")
    control = Control.objects.create(
        organization=org,
        reference="CTL-002",
        name="Network monitoring",
        control_type="technical",
        function="detective",
    )
    api = api_as("security_manager")
    created = api.post(
        f"{BASE}/risks",
        {
            "title": "VPN compromise",
            "threat_source": "external",
            "assets": [asset.pk],
            "controls": [control.pk],
        },
    ).json()
    assert (created["assets"], created["controls"]) == ([asset.pk], [control.pk])
    stranger = api_as("outsider").post(
        f"{BASE}/risks", {"title": "X", "threat_source": "internal", "assets": [asset.pk]}
    )
    assert (stranger.status_code, stranger.json()["field"]) == (422, "assets")


def test_list_filters_and_query_count(
    api_as, org, users, make_risk, rita, today, django_assert_max_num_queries
):
    asset = Asset.objects.create(organization=org, name="ERP", kind="application")
    for i in range(30):
        risk = make_risk(
            title=f"R{i:02}", owner=rita, inherent_likelihood=1 + i % 5, inherent_impact=5
        )
        risk.assets.add(asset)
    make_risk(title="Stale", last_reviewed_on=today - timedelta(days=400))
    api = api_as("auditor")
    assert api.get(f"{BASE}/risks", level=5).json()["count"] == 12
    assert [
        r["title"] for r in api.get(f"{BASE}/risks", review_overdue="true").json()["items"]
    ] == ["Stale"]
    assert api.get(f"{BASE}/risks", owner=rita.pk, limit=5).json()["count"] == 30
    top = api.get(f"{BASE}/risks", owner=rita.pk, sort="-inherent_score", limit=1).json()
    top = top["items"][0]
    assert top["inherent_score"] == 25
    with django_assert_max_num_queries(8):
        body = api.get(f"{BASE}/risks", limit=50).json()
    assert len(body["items"]) == 31
    assert body["items"][0]["assets"] == [asset.pk]


@pytest.mark.parametrize("role", ROLES)
def test_treatment_action_endpoints(
    api_as, org, users, own_risk, others_risk, rita, oscar, today, role
):
    due = today.isoformat()
    theirs = services.create_action(
        org,
        users["admin"],
        {"risk": others_risk, "title": "Theirs", "due_on": today, "owner": oscar},
    )
    hers = services.create_action(
        org, users["admin"], {"risk": others_risk, "title": "Hers", "due_on": today, "owner": rita}
    )
    api = api_as(role)
    listing = api.get(f"{BASE}/actions")
    planned = api.post(f"{BASE}/risks/{own_risk.pk}/actions", {"title": "MFA", "due_on": due})
    on_other = api.post(f"{BASE}/risks/{others_risk.pk}/actions", {"title": "X", "due_on": due})
    generic = api.post(f"{BASE}/actions", {"risk_id": own_risk.pk, "title": "Y", "due_on": due})
    patch_hers = api.patch(f"{BASE}/actions/{hers.pk}", {"status": "in_progress"})
    patch_theirs = api.patch(f"{BASE}/actions/{theirs.pk}", {"status": "in_progress"})
    complete_hers = api.post(f"{BASE}/actions/{hers.pk}/complete", {})
    delete_hers = api.delete(f"{BASE}/actions/{hers.pk}")
    if role in READERS:
        assert listing.status_code == 200
    assert planned.status_code == (201 if role in CHANGE_OWN else denied(role))
    assert on_other.status_code == (201 if role in EDITORS else denied(role))
    assert generic.status_code == (201 if role in EDITORS else (422 if role == "outsider" else 403))
    assert patch_hers.status_code == (200 if role in CHANGE_OWN else denied(role))
    assert patch_theirs.status_code == (200 if role in EDITORS else denied(role))
    assert complete_hers.status_code == (200 if role in CHANGE_OWN else denied(role))
    assert delete_hers.status_code == (204 if role in EDITORS else denied(role))
    if role == "risk_owner":
        assert complete_hers.json()["status"] == "done"
        assert TreatmentAction.objects.get(pk=hers.pk).status == "done"


def test_action_cannot_move_to_another_risk(api_as, org, users, own_risk, others_risk, today):
    action = services.create_action(
        org, users["admin"], {"risk": own_risk, "title": "A", "due_on": today}
    )
    response = api_as("admin").patch(f"{BASE}/actions/{action.pk}", {"risk_id": others_risk.pk})
    assert response.status_code == 422
    assert "risk_id" in response.json()["fields"]


def test_completing_twice_is_a_conflict(api_as, org, users, own_risk, today):
    action = services.create_action(
        org, users["admin"], {"risk": own_risk, "title": "A", "due_on": today}
    )
    api = api_as("risk_owner")
    assert api.post(f"{BASE}/actions/{action.pk}/complete", {}).status_code == 200
    again = api.post(f"{BASE}/actions/{action.pk}/complete", {})
    assert again.status_code == 409
    assert "already done" in again.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_acceptance_endpoints_per_role(api_as, users, own_risk, future, role):
    api = api_as(role)
    asked = api.post(
        f"{BASE}/risks/{own_risk.pk}/acceptances",
        {"justification": "Compensating controls", "expires_on": future.isoformat()},
    )
    assert asked.status_code == (201 if role in CHANGE_OWN else denied(role))
    acceptance = RiskAcceptance.objects.filter(risk=own_risk).first() or (
        services.request_acceptance(
            own_risk.organization,
            users["risk_owner"],
            own_risk,
            {"justification": "x", "expires_on": future},
        )
    )
    approved = api.post(f"{BASE}/acceptances/{acceptance.pk}/approve", {"decision_note": "Fine"})
    if role in EDITORS:
        own_self = acceptance.requested_by == users[role]
        assert approved.status_code == (403 if own_self else 200)
    else:
        assert approved.status_code == denied(role)


def test_acceptance_lifecycle_over_the_api(api_as, users, own_risk, future):
    owner, manager = api_as("risk_owner"), api_as("security_manager")
    first = owner.post(
        f"{BASE}/risks/{own_risk.pk}/acceptances",
        {"justification": "Low residual", "expires_on": future.isoformat()},
    ).json()
    assert first["state"] == "requested" and first["requested_by"] == users["risk_owner"].pk
    duplicate = owner.post(
        f"{BASE}/risks/{own_risk.pk}/acceptances",
        {"justification": "Again", "expires_on": future.isoformat()},
    )
    assert duplicate.status_code == 409
    no_reason = manager.post(f"{BASE}/acceptances/{first['id']}/reject", {})
    assert (no_reason.status_code, no_reason.json()["field"]) == (422, "decision_note")
    later = (future + timedelta(days=10)).isoformat()
    approved = manager.post(f"{BASE}/acceptances/{first['id']}/approve", {"expires_on": later})
    body = approved.json()
    assert (body["state"], body["decided_by"], body["expires_on"]) == (
        "approved",
        users["security_manager"].pk,
        later,
    )
    assert owner.get(f"{BASE}/risks/{own_risk.pk}").json()["status"] == "accepted"
    again = manager.post(f"{BASE}/acceptances/{first['id']}/reject", {"decision_note": "No"})
    assert again.status_code == 409
    assert "Cannot reject an acceptance that is approved" in again.json()["detail"]
    expired = manager.post(f"{BASE}/acceptances/{first['id']}/expire", {})
    assert expired.json()["state"] == "expired"
    assert owner.get(f"{BASE}/risks/{own_risk.pk}").json()["status"] == "assessed"
    assert owner.get(f"{BASE}/risks/{own_risk.pk}/acceptances").json()["count"] == 1


def test_acceptance_needs_a_future_expiry(api_as, own_risk, today):
    response = api_as("admin").post(
        f"{BASE}/risks/{own_risk.pk}/acceptances",
        {"justification": "x", "expires_on": today.isoformat()},
    )
    assert (response.status_code, response.json()["field"]) == (422, "expires_on")


@pytest.mark.parametrize("role", ROLES)
def test_matrix_endpoints_per_role(api_as, org, role):
    default = services.default_matrix(org)
    api = api_as(role)
    listing = api.get(f"{BASE}/matrices")
    created = api.post(
        f"{BASE}/matrices",
        {
            "name": "3x3",
            "likelihood_labels": ["L", "M", "H"],
            "impact_labels": ["L", "M", "H"],
            "levels": [[1, 2, 3], [2, 3, 4], [3, 4, 5]],
        },
    )
    renamed = api.patch(f"{BASE}/matrices/{default.pk}", {"name": "Corporate 5x5"})
    if role in READERS:
        assert listing.status_code == 200
        assert listing.json()["items"][0]["levels"][4] == [3, 4, 4, 5, 5]
    if role in EDITORS:
        assert (created.status_code, renamed.status_code) == (201, 200)
        assert created.json()["is_default"] is False
    elif role == "outsider":
        assert created.status_code == 201
        assert created.json()["is_default"] is True  # their first matrix
        assert renamed.status_code == 404
    else:
        assert (created.status_code, renamed.status_code) == (403, 403)


def test_bad_matrix_names_the_field(api_as):
    response = api_as("admin").post(
        f"{BASE}/matrices", {"name": "Bad", "band_labels": ["Low", "High"]}
    )
    assert (response.status_code, response.json()["field"]) == (422, "band_labels")
    assert not RiskMatrix.objects.exists()
