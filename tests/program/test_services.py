from __future__ import annotations

from datetime import date

import pytest

from riskward.audit.models import AuditEvent
from riskward.core.models import Person
from riskward.lib.errors import InvalidInput
from riskward.program import services
from riskward.program.models import Drill, DrillAction, TrainingSession


def _session(org, user, **extra):
    data = {"held_on": date(2024, 3, 1), "topic": "Passwords", "invited": 10, "completed": 8}
    return services.create_training_session(org, user, {**data, **extra})


def test_create_training_session_is_audited(org, users):
    session = _session(org, users["admin"])
    event = AuditEvent.objects.get(object_type="program.TrainingSession", object_id=str(session.pk))
    assert (event.action, event.actor_label) == ("create", "admin")
    assert event.after["completed"] == 8


def test_completed_equal_to_invited_is_allowed(org, users):
    session = _session(org, users["admin"], invited=10, completed=10)
    assert session.completion_rate == 1.0
    assert session.completion_percent == "100%"


def test_completed_above_invited_names_the_field_and_writes_nothing(org, users):
    with pytest.raises(InvalidInput) as error:
        _session(org, users["admin"], invited=10, completed=11)
    assert error.value.field == "completed"
    assert not TrainingSession.objects.exists()
    assert not AuditEvent.objects.filter(object_type="program.TrainingSession").exists()


def test_lowering_invited_below_completed_is_refused(org, users):
    session = _session(org, users["admin"])
    with pytest.raises(InvalidInput) as error:
        services.update_training_session(org, users["admin"], session, {"invited": 5})
    assert error.value.field == "completed"
    session.refresh_from_db()
    assert session.invited == 10


def test_update_and_delete_training_are_audited(org, users):
    session = _session(org, users["admin"])
    services.update_training_session(org, users["admin"], session, {"completed": 9})
    update = AuditEvent.objects.get(action="update")
    assert (update.before["completed"], update.after["completed"]) == (8, 9)
    services.delete_training_session(org, users["admin"], session)
    assert not TrainingSession.objects.exists()
    assert AuditEvent.objects.filter(
        action="delete", object_type="program.TrainingSession"
    ).exists()


def test_no_invitations_means_no_completion_rate(org, users):
    session = _session(org, users["admin"], invited=0, completed=0)
    assert session.completion_rate is None
    assert session.completion_percent is None


def test_external_drill_must_name_its_organizer(org, users):
    with pytest.raises(InvalidInput) as error:
        services.create_drill(
            org,
            users["admin"],
            {"held_on": date(2024, 6, 1), "title": "X", "organizer_kind": "external"},
        )
    assert error.value.field == "organizer"
    assert not Drill.objects.exists()


def test_drill_with_participants_is_audited_with_them(org, users, colleague, rita):
    drill = services.create_drill(
        org,
        users["admin"],
        {
            "held_on": date(2024, 6, 1),
            "title": "Tabletop",
            "participants": [colleague.pk, rita.pk],
            "participant_count": 14,
        },
    )
    assert set(drill.participants.all()) == {colleague, rita}
    event = AuditEvent.objects.get(object_type="program.Drill")
    assert event.after["participants"] == sorted([colleague.pk, rita.pk])


def test_head_count_below_named_participants_names_the_field(org, users, colleague, rita):
    with pytest.raises(InvalidInput) as error:
        services.create_drill(
            org,
            users["admin"],
            {
                "held_on": date(2024, 6, 1),
                "title": "Tabletop",
                "participants": [colleague.pk, rita.pk],
                "participant_count": 1,
            },
        )
    assert error.value.field == "participant_count"


def test_head_count_is_checked_against_stored_participants_on_update(org, users, drill, rita):
    drill.participants.set([rita])
    with pytest.raises(InvalidInput) as error:
        services.update_drill(org, users["admin"], drill, {"participant_count": 0})
    assert error.value.field == "participant_count"
    services.update_drill(org, users["admin"], drill, {"participant_count": 1})
    drill.refresh_from_db()
    assert drill.participant_count == 1


def test_participant_from_another_organization_is_refused(org, other_org, users):
    stranger = Person.objects.create(organization=other_org, name="Stranger")
    with pytest.raises(InvalidInput) as error:
        services.create_drill(
            org,
            users["admin"],
            {"held_on": date(2024, 6, 1), "title": "X", "participants": [stranger.pk]},
        )
    assert error.value.field == "participants"


def test_add_drill_action_takes_the_drill_from_the_page(org, users, drill, rita):
    action = services.add_drill_action(
        org, users["admin"], drill, {"title": "Fix DNS failover", "owner": rita}
    )
    assert action.drill == drill
    assert action.status == "open"
    assert AuditEvent.objects.filter(
        action="create", object_type="program.DrillAction", object_id=str(action.pk)
    ).exists()


def test_action_on_another_organizations_drill_is_refused(org, other_org, users):
    theirs = Drill.objects.create(organization=other_org, held_on=date(2024, 1, 1), title="T")
    with pytest.raises(InvalidInput) as error:
        services.create_drill_action(org, users["admin"], {"drill": theirs.pk, "title": "X"})
    assert error.value.field == "drill"


def test_done_without_completion_date_names_the_field(org, users, drill):
    with pytest.raises(InvalidInput) as error:
        services.create_drill_action(
            org, users["admin"], {"drill": drill, "title": "X", "status": "done"}
        )
    assert error.value.field == "completed_on"


def test_open_action_cannot_carry_a_completion_date(org, users, action):
    with pytest.raises(InvalidInput) as error:
        services.update_drill_action(org, users["admin"], action, {"completed_on": date.today()})
    assert error.value.field == "completed_on"


def test_complete_drill_action_records_before_and_after(org, users, action):
    services.complete_drill_action(org, users["risk_owner"], action, date(2024, 7, 1))
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", date(2024, 7, 1))
    event = AuditEvent.objects.get(action="update", object_type="program.DrillAction")
    assert (event.before["status"], event.after["status"]) == ("open", "done")
    assert event.after["completed_on"] == "2024-07-01"
    assert event.actor_label == "risk_owner"


def test_completing_twice_is_refused(org, users, action):
    services.complete_drill_action(org, users["admin"], action, date(2024, 7, 1))
    with pytest.raises(InvalidInput) as error:
        services.complete_drill_action(org, users["admin"], action, date(2024, 7, 2))
    assert error.value.field == "status"
    action.refresh_from_db()
    assert action.completed_on == date(2024, 7, 1)


def test_deleting_a_drill_deletes_its_actions_each_audited(
    org, users, drill, action, others_action
):
    services.delete_drill(org, users["admin"], drill)
    assert not Drill.objects.exists()
    assert not DrillAction.objects.exists()
    deleted = AuditEvent.objects.filter(action="delete")
    assert sorted(deleted.values_list("object_type", flat=True)) == [
        "program.Drill",
        "program.DrillAction",
        "program.DrillAction",
    ]


def test_delete_drill_action_is_audited(org, users, action):
    services.delete_drill_action(org, users["admin"], action)
    assert not DrillAction.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_repr="Update the call tree").exists()


def test_overdue_only_while_open_and_past_due(action):
    action.due_on = date(2024, 7, 1)
    assert not action.is_overdue(date(2024, 7, 1))
    assert action.is_overdue(date(2024, 7, 2))
    action.status = "done"
    assert not action.is_overdue(date(2024, 7, 2))
