"""Treatment actions and the acceptance state machine: every transition, valid and invalid."""

from __future__ import annotations

from datetime import timedelta

import pytest

from riskward.audit.models import AuditEvent
from riskward.lib.errors import Conflict, InvalidInput, PermissionDenied
from riskward.risks import services
from riskward.risks.models import Risk, RiskAcceptance, TreatmentAction


def plan(org, users, risk, owner=None, **data):
    data = {"risk": risk.pk, "title": "Patch the VPN", "due_on": data.pop("due_on", None), **data}
    if data["due_on"] is None:
        from django.utils import timezone

        data["due_on"] = timezone.localdate() + timedelta(days=14)
    if owner is not None:
        data["owner"] = owner
    return services.create_action(org, users["admin"], data)


# Treatment actions ------------------------------------------------------------------------


def test_planning_an_action_puts_an_assessed_risk_into_treatment(org, users, own_risk, oscar):
    action = plan(org, users, own_risk, owner=oscar.pk)
    assert (action.status, action.owner, action.completed_on) == ("open", oscar, None)
    own_risk.refresh_from_db()
    assert own_risk.status == Risk.Status.TREATING
    assert AuditEvent.objects.filter(object_type="risks.TreatmentAction", action="create").exists()
    assert (
        AuditEvent.objects.filter(object_type="risks.Risk", action="update").get().after["status"]
        == "treating"
    )


def test_planning_on_an_unrated_risk_leaves_its_status(org, users, make_risk):
    risk = make_risk()
    plan(org, users, risk)
    risk.refresh_from_db()
    assert risk.status == Risk.Status.IDENTIFIED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"due_on": "someday"}, "due_on"),
        ({"status": "open", "completed_on": "today"}, "completed_on"),
    ],
)
def test_bad_action_names_the_field_and_writes_nothing(org, users, own_risk, today, change, field):
    change = {k: (today if v == "today" else v) for k, v in change.items()}
    with pytest.raises(InvalidInput) as error:
        plan(org, users, own_risk, **change)
    assert error.value.field == field
    assert not TreatmentAction.objects.exists()
    own_risk.refresh_from_db()
    assert own_risk.status == Risk.Status.ASSESSED


def test_action_needs_a_risk_of_the_organization(org, other_org, users, today):
    with pytest.raises(InvalidInput) as error:
        services.create_action(org, users["admin"], {"title": "X", "due_on": today})
    assert error.value.field == "risk"
    foreign = services.create_risk(other_org, None, {"title": "T", "threat_source": "internal"})
    with pytest.raises(InvalidInput) as error:
        services.create_action(
            org, users["admin"], {"risk": foreign.pk, "title": "X", "due_on": today}
        )
    assert error.value.field == "risk"


def test_closed_risk_gets_no_new_actions(org, users, own_risk):
    services.update_risk(org, users["admin"], own_risk, {"status": "closed"})
    with pytest.raises(InvalidInput) as error:
        plan(org, users, own_risk)
    assert error.value.field == "risk"


def test_action_created_done_gets_todays_completion_date(org, users, own_risk, today):
    assert plan(org, users, own_risk, status="done").completed_on == today


def test_complete_action_is_audited_and_only_once(org, users, own_risk, today):
    action = plan(org, users, own_risk)
    services.complete_action(org, users["risk_owner"], action)
    assert (action.status, action.completed_on) == ("done", today)
    event = AuditEvent.objects.filter(object_type="risks.TreatmentAction", action="update").get()
    assert (event.before["status"], event.after["status"], event.actor_label) == (
        "open",
        "done",
        "risk_owner",
    )
    with pytest.raises(Conflict, match="already done"):
        services.complete_action(org, users["admin"], action)


def test_cancelled_action_cannot_be_completed(org, users, own_risk):
    action = plan(org, users, own_risk, status="cancelled")
    with pytest.raises(Conflict, match="already cancelled"):
        services.complete_action(org, users["admin"], action)


def test_action_stays_on_its_risk(org, users, own_risk, others_risk):
    action = plan(org, users, own_risk)
    with pytest.raises(InvalidInput) as error:
        services.update_action(org, users["admin"], action, {"risk": others_risk.pk})
    assert error.value.field == "risk"
    services.update_action(org, users["admin"], action, {"risk": own_risk.pk, "title": "Same"})
    assert action.title == "Same"


def test_reopening_a_done_action_clears_its_completion_date(org, users, own_risk):
    action = plan(org, users, own_risk, status="done")
    services.update_action(org, users["admin"], action, {"status": "in_progress"})
    assert (action.status, action.completed_on) == ("in_progress", None)


def test_action_owned_by_the_action_or_risk_owner(org, users, own_risk, others_risk, rita, oscar):
    on_own_risk = plan(org, users, own_risk, owner=oscar.pk)
    assigned_to_rita = plan(org, users, others_risk, owner=rita.pk)
    not_hers = plan(org, users, others_risk, owner=oscar.pk)
    owner = users["risk_owner"]
    assert on_own_risk.is_owned_by(owner) and assigned_to_rita.is_owned_by(owner)
    assert not not_hers.is_owned_by(owner)


def test_delete_action_is_audited(org, users, own_risk):
    action = plan(org, users, own_risk)
    services.delete_action(org, users["admin"], action)
    assert not TreatmentAction.objects.exists()
    assert AuditEvent.objects.filter(object_type="risks.TreatmentAction", action="delete").exists()


# Acceptance -------------------------------------------------------------------------------


def ask(org, users, risk, expires_on, who="risk_owner", justification="Within appetite."):
    return services.request_acceptance(
        org, users[who], risk, {"justification": justification, "expires_on": expires_on}
    )


def test_request_acceptance_is_audited(org, users, own_risk, future):
    acceptance = ask(org, users, own_risk, future)
    assert (acceptance.state, acceptance.requested_by, acceptance.expires_on) == (
        "requested",
        users["risk_owner"],
        future,
    )
    event = AuditEvent.objects.get(object_type="risks.RiskAcceptance", action="create")
    assert event.after["state"] == "requested"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"justification": "", "expires_on": "future"}, "justification"),
        ({"justification": "ok", "expires_on": "today"}, "expires_on"),
        ({"justification": "ok", "expires_on": None}, "expires_on"),
    ],
)
def test_bad_request_names_the_field_and_writes_nothing(
    org, users, own_risk, today, future, data, field
):
    data["expires_on"] = {"future": future, "today": today}.get(data["expires_on"])
    with pytest.raises(InvalidInput) as error:
        services.request_acceptance(org, users["admin"], own_risk, data)
    assert error.value.field == field
    assert not RiskAcceptance.objects.exists()


def test_unrated_or_closed_risk_cannot_be_accepted(org, users, make_risk, own_risk, future):
    with pytest.raises(Conflict, match="Rate the risk"):
        ask(org, users, make_risk(), future, who="admin")
    services.update_risk(org, users["admin"], own_risk, {"status": "closed"})
    with pytest.raises(Conflict, match="closed"):
        ask(org, users, own_risk, future)


def test_one_open_request_or_approval_at_a_time(org, users, own_risk, future):
    first = ask(org, users, own_risk, future)
    with pytest.raises(Conflict, match="awaiting a decision"):
        ask(org, users, own_risk, future)
    services.approve_acceptance(org, users["admin"], first)
    with pytest.raises(Conflict, match="already accepted"):
        ask(org, users, own_risk, future)


def test_approval_accepts_the_risk_and_names_the_approver(org, users, own_risk, future):
    acceptance = ask(org, users, own_risk, future)
    services.approve_acceptance(org, users["security_manager"], acceptance, {"decision_note": "OK"})
    acceptance.refresh_from_db()
    own_risk.refresh_from_db()
    assert (acceptance.state, acceptance.decided_by, acceptance.decision_note) == (
        "approved",
        users["security_manager"],
        "OK",
    )
    assert acceptance.decided_at is not None
    assert (own_risk.status, own_risk.treatment) == ("accepted", "accept")
    updates = AuditEvent.objects.filter(action="update")
    assert updates.get(object_type="risks.RiskAcceptance").after["state"] == "approved"
    assert updates.get(object_type="risks.Risk").after["status"] == "accepted"


def test_requester_cannot_approve_their_own_request(org, users, own_risk, future):
    acceptance = ask(org, users, own_risk, future, who="admin")
    with pytest.raises(PermissionDenied, match="cannot approve"):
        services.approve_acceptance(org, users["admin"], acceptance)
    acceptance.refresh_from_db()
    assert acceptance.state == "requested"


def test_approver_may_set_a_new_expiry_but_not_a_past_one(org, users, own_risk, today, future):
    acceptance = ask(org, users, own_risk, future)
    with pytest.raises(InvalidInput) as error:
        services.approve_acceptance(org, users["admin"], acceptance, {"expires_on": today})
    assert error.value.field == "expires_on"
    later = future + timedelta(days=30)
    services.approve_acceptance(org, users["admin"], acceptance, {"expires_on": later})
    acceptance.refresh_from_db()
    assert acceptance.expires_on == later


def test_rejection_needs_a_reason(org, users, own_risk, future):
    acceptance = ask(org, users, own_risk, future)
    with pytest.raises(InvalidInput) as error:
        services.reject_acceptance(org, users["admin"], acceptance, {})
    assert error.value.field == "decision_note"
    services.reject_acceptance(org, users["admin"], acceptance, {"decision_note": "Mitigate it."})
    acceptance.refresh_from_db()
    own_risk.refresh_from_db()
    assert (acceptance.state, acceptance.decided_by) == ("rejected", users["admin"])
    assert own_risk.status == Risk.Status.ASSESSED


def test_expiring_an_approval_sends_the_risk_back_for_a_decision(org, users, own_risk, future):
    acceptance = ask(org, users, own_risk, future)
    services.approve_acceptance(org, users["admin"], acceptance)
    services.expire_acceptance(org, users["admin"], acceptance, {"decision_note": "Vendor gone"})
    acceptance.refresh_from_db()
    own_risk.refresh_from_db()
    assert acceptance.state == "expired"
    assert acceptance.decided_by == users["admin"]  # the approver stays on record
    assert acceptance.decision_note == "Vendor gone"
    assert own_risk.status == Risk.Status.ASSESSED


DECIDE = {
    "approved": lambda org, user, a: services.approve_acceptance(org, user, a),
    "rejected": lambda org, user, a: services.reject_acceptance(
        org, user, a, {"decision_note": "n"}
    ),
    "expired": lambda org, user, a: services.expire_acceptance(org, user, a),
}


def _in_state(org, users, risk, future, state):
    acceptance = ask(org, users, risk, future)
    if state in ("approved", "expired"):
        services.approve_acceptance(org, users["admin"], acceptance)
    if state == "expired":
        services.expire_acceptance(org, users["admin"], acceptance)
    if state == "rejected":
        services.reject_acceptance(org, users["admin"], acceptance, {"decision_note": "No"})
    return acceptance


@pytest.mark.parametrize("start", ["requested", "approved", "rejected", "expired"])
@pytest.mark.parametrize("target", ["approved", "rejected", "expired"])
def test_state_machine_allows_only_its_transitions(org, users, own_risk, future, start, target):
    acceptance = _in_state(org, users, own_risk, future, start)
    allowed = target in RiskAcceptance.TRANSITIONS.get(start, ())
    events_before = AuditEvent.objects.count()
    if allowed:
        DECIDE[target](org, users["security_manager"], acceptance)
        acceptance.refresh_from_db()
        assert acceptance.state == target
    else:
        with pytest.raises(Conflict) as error:
            DECIDE[target](org, users["security_manager"], acceptance)
        assert f"that is {start}" in error.value.message
        assert error.value.status == 409
        acceptance.refresh_from_db()
        assert acceptance.state == start
        assert AuditEvent.objects.count() == events_before


def test_expire_acceptances_lapses_only_due_approvals(org, other_org, users, make_risk, today):
    risks = [make_risk(inherent_likelihood=2, inherent_impact=2) for _ in range(3)]
    due, later, pending = (
        ask(org, users, risks[0], today + timedelta(days=5), who="security_manager"),
        ask(org, users, risks[1], today + timedelta(days=30), who="security_manager"),
        ask(org, users, risks[2], today + timedelta(days=1), who="security_manager"),
    )
    services.approve_acceptance(org, users["admin"], due)
    services.approve_acceptance(org, users["admin"], later)
    expired = services.expire_acceptances(org, today + timedelta(days=5))
    assert [a.pk for a in expired] == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    pending.refresh_from_db()
    assert (due.state, later.state, pending.state) == ("expired", "approved", "requested")
    assert Risk.objects.get(pk=risks[0].pk).status == Risk.Status.ASSESSED
    system = AuditEvent.objects.filter(object_type="risks.RiskAcceptance", actor_label="system")
    assert system.get().after["state"] == "expired"
    assert services.expire_acceptances(other_org, today + timedelta(days=99)) == []


def test_acceptance_in_force_until_its_expiry(org, users, own_risk, future):
    acceptance = ask(org, users, own_risk, future)
    assert not acceptance.is_in_force()
    services.approve_acceptance(org, users["admin"], acceptance)
    assert acceptance.is_in_force()
    assert not acceptance.is_in_force(future)
    assert acceptance.decisions == ["expire"]
