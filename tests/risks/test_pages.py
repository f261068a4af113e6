"""Risk register pages for every role and the other organization's user."""

from __future__ import annotations

from datetime import timedelta

import pytest

from riskward.assets.models import Asset
from riskward.controls.models import Control
from riskward.core.models import ErmCategory
from riskward.risks import services
from riskward.risks.models import Risk, RiskAcceptance, RiskAssessment, RiskMatrix, TreatmentAction
from tests.conftest import ROLES
from tests.roles import EDITORS, READERS

# Who may change which risk: editors any, the risk owner only Rita's.
CHANGE_OWN = EDITORS | {"risk_owner"}


def form_data(risk=None, **changes):
    data = {
        "reference": risk.reference if risk else "",
        "title": risk.title if risk else "Phishing of finance staff",
        "threat_source": "external",
        "status": risk.status if risk else "identified",
        "review_interval_days": 180,
    }
    if risk is not None:
        data.update(owner=risk.owner_id or "", matrix=risk.matrix_id)
    return {**data, **changes}


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_are_for_readers_only(client_as, own_risk, role):
    client = client_as(role)
    listing = client.get("/risks/risk/")
    detail = client.get(f"/risks/risk/{own_risk.pk}/")
    if role in READERS:
        assert listing.status_code == detail.status_code == 200
        assert b"Rita&#x27;s risk" in listing.content
        assert b'href="/risks/matrix/"' in listing.content
        assert b'href="/risks/action/"' in listing.content
        assert b"16 \xc2\xb7 High" in detail.content  # inherent 4 x 4 on the standard matrix
    elif role == "outsider":
        assert listing.status_code == 200
        assert b"Rita" not in listing.content
        assert detail.status_code == 404
    else:
        assert (listing.status_code, detail.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
def test_create_is_for_editors_only(client_as, org, role):
    response = client_as(role).post("/risks/risk/new/", form_data())
    created = Risk.objects.filter(organization=org, title="Phishing of finance staff")
    assert created.exists() == (role in EDITORS)
    if role in EDITORS:
        assert response.status_code == 302
        assert created.get().reference == "RSK-001"
    elif role == "outsider":
        assert Risk.objects.get().organization.legal_name == "Other Corp"
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_risk_owner_edits_own_risk_but_not_others(client_as, own_risk, others_risk, role):
    client = client_as(role)
    own = client.post(f"/risks/risk/{own_risk.pk}/edit/", form_data(own_risk, title="Own edited"))
    other = client.post(
        f"/risks/risk/{others_risk.pk}/edit/", form_data(others_risk, title="Other edited")
    )
    own_risk.refresh_from_db()
    others_risk.refresh_from_db()
    assert (own_risk.title == "Own edited") == (role in CHANGE_OWN)
    assert (others_risk.title == "Other edited") == (role in EDITORS)
    expected_other = {"outsider": 404}.get(role, 302 if role in EDITORS else 403)
    assert other.status_code == expected_other
    assert own.status_code == (302 if role in CHANGE_OWN else expected_other)


@pytest.mark.parametrize("role", ROLES)
def test_delete_is_for_editors_only_not_the_risk_owner(client_as, own_risk, role):
    client_as(role).post(f"/risks/risk/{own_risk.pk}/delete/")
    assert Risk.objects.filter(pk=own_risk.pk).exists() == (role not in EDITORS)


def test_edit_page_audits_the_stored_values_as_before(client_as, own_risk):
    from riskward.audit.models import AuditEvent

    client_as("risk_owner").post(
        f"/risks/risk/{own_risk.pk}/edit/", form_data(own_risk, title="Renamed")
    )
    event = AuditEvent.objects.get(object_type="risks.Risk", action="update")
    assert (event.before["title"], event.after["title"]) == ("Rita's risk", "Renamed")


def test_edit_form_error_names_the_field(client_as, own_risk):
    response = client_as("admin").post(
        f"/risks/risk/{own_risk.pk}/edit/", form_data(own_risk, status="accepted")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["status"] == [
        "status: a risk becomes accepted only when its acceptance is approved"
    ]


@pytest.mark.parametrize("role", ROLES)
def test_assess_from_the_risk_page(client_as, own_risk, others_risk, role):
    client = client_as(role)
    data = {"assess-inherent_likelihood": 5, "assess-inherent_impact": 5, "assess-notes": "New"}
    own = client.post(f"/risks/risk/{own_risk.pk}/assess/", data)
    other = client.post(f"/risks/risk/{others_risk.pk}/assess/", data)
    assert own_risk.assessments.count() == (2 if role in CHANGE_OWN else 1)
    assert others_risk.assessments.count() == (2 if role in EDITORS else 1)
    if role in CHANGE_OWN:
        assert own.status_code == 302
        own_risk.refresh_from_db()
        assert own_risk.inherent_score == 25
    assert other.status_code == {"outsider": 404}.get(role, 302 if role in EDITORS else 403)


def test_bad_assessment_shows_the_page_again_naming_the_field(client_as, own_risk):
    response = client_as("risk_owner").post(
        f"/risks/risk/{own_risk.pk}/assess/",
        {
            "assess-inherent_likelihood": 2,
            "assess-inherent_impact": 2,
            "assess-residual_likelihood": 3,
            "assess-residual_impact": 1,
        },
    )
    assert response.status_code == 400
    errors = response.context["assess_form"].errors
    assert "residual_likelihood" in errors
    assert b"cannot be higher than the inherent" in response.content
    assert RiskAssessment.objects.filter(risk=own_risk).count() == 1


def test_assess_form_refuses_a_rating_outside_the_matrix(client_as, own_risk):
    response = client_as("admin").post(
        f"/risks/risk/{own_risk.pk}/assess/",
        {"assess-inherent_likelihood": 7, "assess-inherent_impact": 2},
    )
    assert response.status_code == 400
    assert "inherent_likelihood" in response.context["assess_form"].errors


@pytest.mark.parametrize("role", ROLES)
def test_review_button(client_as, own_risk, today, role):
    response = client_as(role).post(f"/risks/risk/{own_risk.pk}/review/")
    own_risk.refresh_from_db()
    assert (own_risk.last_reviewed_on == today) == (role in CHANGE_OWN)
    if role in CHANGE_OWN:
        assert response.status_code == 302


def test_review_needs_post(client_as, own_risk):
    assert client_as("admin").get(f"/risks/risk/{own_risk.pk}/review/").status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_plan_an_action_from_the_risk_page(client_as, own_risk, others_risk, future, role):
    client = client_as(role)
    data = {"action-title": "Enable MFA", "action-due_on": future.isoformat()}
    client.post(f"/risks/risk/{own_risk.pk}/actions/new/", data)
    client.post(f"/risks/risk/{others_risk.pk}/actions/new/", data)
    assert own_risk.actions.exists() == (role in CHANGE_OWN)
    assert others_risk.actions.exists() == (role in EDITORS)


def test_action_form_error_shows_on_the_risk_page(client_as, own_risk):
    response = client_as("risk_owner").post(
        f"/risks/risk/{own_risk.pk}/actions/new/", {"action-title": "No date"}
    )
    assert response.status_code == 400
    assert "due_on" in response.context["action_form"].errors


def _action(org, users, risk, owner=None, today=None):
    return services.create_action(
        org,
        users["admin"],
        {"risk": risk, "title": "Rotate keys", "due_on": today, "owner": owner},
    )


@pytest.mark.parametrize("role", ROLES)
def test_complete_action_by_its_owner_or_the_risk_owner(
    client_as, org, users, own_risk, others_risk, rita, oscar, today, role
):
    on_own_risk = _action(org, users, own_risk, oscar, today)
    assigned_to_rita = _action(org, users, others_risk, rita, today)
    not_hers = _action(org, users, others_risk, oscar, today)
    client = client_as(role)
    for action in (on_own_risk, assigned_to_rita, not_hers):
        client.post(f"/risks/action/{action.pk}/complete/", {"next": "/risks/risk/"})
    done = {a.pk for a in TreatmentAction.objects.filter(status="done")}
    if role in EDITORS:
        assert done == {on_own_risk.pk, assigned_to_rita.pk, not_hers.pk}
    elif role == "risk_owner":
        assert done == {on_own_risk.pk, assigned_to_rita.pk}
    else:
        assert done == set()


def test_complete_action_goes_back_only_to_a_local_page(client_as, org, users, own_risk, today):
    action = _action(org, users, own_risk, None, today)
    response = client_as("admin").post(
        f"/risks/action/{action.pk}/complete/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/risks/action/{action.pk}/"


@pytest.mark.parametrize("role", ROLES)
def test_action_pages_per_role(client_as, org, users, own_risk, others_risk, oscar, today, role):
    mine = _action(org, users, own_risk, oscar, today)
    theirs = _action(org, users, others_risk, oscar, today)
    client = client_as(role)
    listing = client.get("/risks/action/")
    detail = client.get(f"/risks/action/{mine.pk}/")
    data = {"title": "Edited", "due_on": today.isoformat(), "status": "in_progress"}
    client.post(f"/risks/action/{mine.pk}/edit/", data)
    client.post(f"/risks/action/{theirs.pk}/edit/", data)
    client.post(f"/risks/action/{mine.pk}/delete/")
    if role in READERS:
        assert (listing.status_code, detail.status_code) == (200, 200)
    else:
        assert detail.status_code == (404 if role == "outsider" else 403)
    titles = dict(TreatmentAction.objects.values_list("pk", "title"))
    assert (titles.get(mine.pk) == "Edited") == (role == "risk_owner")  # editors deleted it
    assert mine.pk in titles or role in EDITORS
    assert (titles[theirs.pk] == "Edited") == (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_acceptance_request_and_decision_per_role(client_as, users, own_risk, future, role):
    client = client_as(role)
    client.post(
        f"/risks/risk/{own_risk.pk}/acceptances/new/",
        {"accept-justification": "Cheap to live with", "accept-expires_on": future.isoformat()},
    )
    requested = RiskAcceptance.objects.filter(risk=own_risk).first()
    assert (requested is not None) == (role in CHANGE_OWN)
    if requested is None:
        requested = services.request_acceptance(
            own_risk.organization,
            users["risk_owner"],
            own_risk,
            {"justification": "x", "expires_on": future},
        )
    response = client.post(f"/risks/acceptance/{requested.pk}/approve/", {"decision_note": "OK"})
    requested.refresh_from_db()
    approved_by_self = role == "risk_owner" or requested.requested_by.username == role
    should_approve = role in EDITORS and not approved_by_self
    assert (requested.state == "approved") == should_approve
    if role not in EDITORS:
        assert response.status_code == (404 if role == "outsider" else 403)


def test_requester_sees_why_they_cannot_approve(client_as, users, own_risk, future):
    client = client_as("admin")
    acceptance = services.request_acceptance(
        own_risk.organization,
        users["admin"],
        own_risk,
        {"justification": "x", "expires_on": future},
    )
    response = client.post(f"/risks/acceptance/{acceptance.pk}/approve/", follow=True)
    assert b"cannot approve" in response.content
    acceptance.refresh_from_db()
    assert acceptance.state == "requested"


def test_rejection_and_expiry_from_the_page(client_as, users, own_risk, future):
    org = own_risk.organization
    first = services.request_acceptance(
        org, users["risk_owner"], own_risk, {"justification": "x", "expires_on": future}
    )
    client = client_as("security_manager")
    response = client.post(f"/risks/acceptance/{first.pk}/reject/", {}, follow=True)
    assert b"say why" in response.content
    client.post(f"/risks/acceptance/{first.pk}/reject/", {"decision_note": "Mitigate"})
    second = services.request_acceptance(
        org, users["risk_owner"], own_risk, {"justification": "y", "expires_on": future}
    )
    client.post(f"/risks/acceptance/{second.pk}/approve/")
    response = client.post(f"/risks/acceptance/{second.pk}/approve/", follow=True)
    assert b"Cannot approve an acceptance that is approved" in response.content
    client.post(f"/risks/acceptance/{second.pk}/expire/")
    states = list(RiskAcceptance.objects.order_by("pk").values_list("state", flat=True))
    assert states == ["rejected", "expired"]
    assert client.post(f"/risks/acceptance/{second.pk}/dance/").status_code == 404


def test_detail_shows_history_links_actions_and_allowed_buttons(
    client_as, org, users, own_risk, future, today
):
    asset = Asset.objects.create(organization=org, name="Payroll system", kind="application")
    control = Control.objects.create(
        organization=org,
        reference="CTL-007",
        name="Bug bounty",
        control_type="administrative",
        function="detective",
    )
    services.update_risk(org, users["admin"], own_risk, {"assets": [asset], "controls": [control]})
    services.assess_risk(
        org,
        users["admin"],
        own_risk,
        {
            "inherent_likelihood": 4,
            "inherent_impact": 4,
            "residual_likelihood": 2,
            "residual_impact": 2,
            "notes": "Bounty in place",
        },
    )
    _action(org, users, own_risk, None, today - timedelta(days=1))
    services.request_acceptance(
        org,
        users["risk_owner"],
        own_risk,
        {"justification": "Residual is low", "expires_on": future},
    )
    page = client_as("security_manager").get(f"/risks/risk/{own_risk.pk}/").content.decode()
    for text in (
        "Payroll system",
        "CTL-007 Bug bounty",
        "Bounty in place",
        "Rotate keys",
        "overdue",
        "Residual is low",
        "/approve/",
        "/reject/",
        "4 · Low",
        "Record assessment",
    ):
        assert text in page, text
    owner_page = client_as("risk_owner").get(f"/risks/risk/{own_risk.pk}/").content.decode()
    assert "Record assessment" in owner_page
    assert "/approve/" not in owner_page
    auditor_page = client_as("auditor").get(f"/risks/risk/{own_risk.pk}/").content.decode()
    assert "Record assessment" not in auditor_page and "Mark reviewed" not in auditor_page


def test_list_filters_sorts_and_searches(client_as, org, users, make_risk, rita, today):
    category = ErmCategory.objects.create(organization=org, name="Operational")
    make_risk(title="Alpha", inherent_likelihood=5, inherent_impact=5, owner=rita)
    make_risk(
        title="Bravo",
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=1,
        residual_impact=1,
        erm_category=category,
        threat_source="supplier",
        treatment="mitigate",
    )
    make_risk(
        title="Charlie AI misuse", last_reviewed_on=today - timedelta(days=365), emerging=True
    )
    make_risk(
        title="Delta",
        inherent_likelihood=3,
        inherent_impact=3,
        residual_likelihood=2,
        residual_impact=2,
        treatment="mitigate",
    )
    client = client_as("auditor")

    def titles(**params):
        response = client.get("/risks/risk/", params)
        return [r.title for r in response.context["listed"].page]

    assert titles(level=5) == ["Alpha"]
    assert titles(level=1) == ["Bravo"]
    assert titles(review_overdue="true") == ["Charlie AI misuse"]
    assert titles(review_overdue="false") == ["Alpha", "Bravo", "Delta"]
    assert titles(owner=rita.pk) == ["Alpha"]
    assert titles(erm_category=category.pk) == ["Bravo"]
    assert titles(threat_source="supplier") == ["Bravo"]
    assert titles(treatment="mitigate") == ["Bravo", "Delta"]
    assert titles(emerging="true") == ["Charlie AI misuse"]
    assert titles(status="identified") == ["Charlie AI misuse"]
    assert titles(level=2) == ["Delta"]
    assert titles(q="misuse") == ["Charlie AI misuse"]
    assert titles(treatment="mitigate", sort="-residual_score") == ["Delta", "Bravo"]
    assert titles(treatment="mitigate", sort="residual_score") == ["Bravo", "Delta"]
    assert titles(treatment="mitigate", sort="-inherent_score") == ["Bravo", "Delta"]
    assert titles(sort="title") == ["Alpha", "Bravo", "Charlie AI misuse", "Delta"]
    assert titles(sort="next_review_on")[0] == "Charlie AI misuse"
    overdue_page = client.get("/risks/risk/", {"review_overdue": "true"}).content
    assert b"overdue" in overdue_page


def test_list_query_count_does_not_grow_with_rows(
    client_as, org, users, make_risk, rita, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("admin")
    make_risk(owner=rita, inherent_likelihood=3, inherent_impact=3)
    with CaptureQueriesContext(connection) as one_row:
        client.get("/risks/risk/")
    for i in range(49):
        make_risk(
            title=f"Risk {i}",
            owner=rita,
            inherent_likelihood=2,
            inherent_impact=3,
            residual_likelihood=1,
            residual_impact=1,
        )
    with django_assert_max_num_queries(len(one_row)):
        response = client.get("/risks/risk/")
    assert len(response.context["listed"].page) == 50
    assert len(one_row) <= 10


def test_detail_query_count_is_pinned(
    client_as, org, users, own_risk, rita, today, future, django_assert_max_num_queries
):
    for i in range(5):
        Asset.objects.create(organization=org, name=f"A{i}", kind="network").risks.add(own_risk)
        _action(org, users, own_risk, rita, today)
        services.assess_risk(
            org, users["admin"], own_risk, {"inherent_likelihood": 3, "inherent_impact": i + 1}
        )
    services.request_acceptance(
        org, users["risk_owner"], own_risk, {"justification": "x", "expires_on": future}
    )
    client = client_as("admin")
    with django_assert_max_num_queries(10):
        response = client.get(f"/risks/risk/{own_risk.pk}/")
    assert response.status_code == 200


def test_htmx_request_gets_only_the_table(client_as, own_risk):
    response = client_as("admin").get("/risks/risk/", headers={"HX-Request": "true"})
    assert b"<table" in response.content
    assert b"<html" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_matrix_pages_per_role(client_as, org, role):
    matrix = services.default_matrix(org)
    client = client_as(role)
    listing = client.get("/risks/matrix/")
    detail = client.get(f"/risks/matrix/{matrix.pk}/")
    created = client.post(
        "/risks/matrix/new/",
        {
            "name": "Simple 3x3",
            "likelihood_labels": "Low\nMedium\nHigh",
            "impact_labels": "Low\nMedium\nHigh",
            "band_labels": "Very low\nLow\nMedium\nHigh\nVery high",
            "levels": "1 2 3\n2 3 4\n3 4 5",
        },
    )
    made = RiskMatrix.objects.filter(organization=org, name="Simple 3x3").first()
    assert (made is not None) == (role in EDITORS)
    if role in READERS:
        assert (listing.status_code, detail.status_code) == (200, 200)
        assert b"Almost certain" in detail.content
    elif role == "outsider":
        assert detail.status_code == 404
        assert created.status_code == 302  # into their own organization
    else:
        assert (listing.status_code, detail.status_code, created.status_code) == (403, 403, 403)
    if made is not None:
        assert made.levels == [[1, 2, 3], [2, 3, 4], [3, 4, 5]]


def test_matrix_form_errors_name_the_field(client_as, org):
    matrix = services.default_matrix(org)
    client = client_as("admin")
    edit = client.get(f"/risks/matrix/{matrix.pk}/edit/")
    assert "1 1 2 2 3" in edit.content.decode()
    bad = {
        "name": "Broken",
        "likelihood_labels": "A\nB",
        "impact_labels": "A\nB",
        "band_labels": "1\n2\n3\n4\n5",
    }
    not_numbers = client.post("/risks/matrix/new/", {**bad, "levels": "1 x\n2 3"})
    assert "Line 1" in str(not_numbers.context["form"].errors["levels"])
    wrong_shape = client.post("/risks/matrix/new/", {**bad, "levels": "1 2 3\n2 3 4"})
    assert wrong_shape.status_code == 400
    assert "levels" in wrong_shape.context["form"].errors
    assert not RiskMatrix.objects.filter(name="Broken").exists()
