"""Changes to training sessions, drills and drill follow-up actions; every one is audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from riskward.core.changes import create_row, delete_row, update_row
from riskward.core.models import Organization
from riskward.lib.errors import InvalidInput
from riskward.program.models import Drill, DrillAction, TrainingSession


def create_training_session(
    org: Organization, actor: Any, data: Mapping[str, Any]
) -> TrainingSession:
    return create_row(org, actor, TrainingSession, data)


def update_training_session(
    org: Organization, actor: Any, session: TrainingSession, data: Mapping[str, Any]
) -> TrainingSession:
    return update_row(org, actor, session, data)


def delete_training_session(org: Organization, actor: Any, session: TrainingSession) -> None:
    delete_row(org, actor, session)


def _check_participants(drill: Drill | None, data: Mapping[str, Any]) -> None:
    """A head count, when given, cannot be smaller than the number of people named."""
    if "participants" in data:
        named = len({getattr(p, "pk", p) for p in data["participants"] or []})
    else:
        named = drill.participants.count() if drill is not None else 0
    if "participant_count" in data:
        count = data["participant_count"]
    else:
        count = drill.participant_count if drill is not None else None
    if count is not None and count < named:
        raise InvalidInput(
            f"participant_count: {count} is fewer than the {named} participants named",
            "participant_count",
        )


def create_drill(org: Organization, actor: Any, data: Mapping[str, Any]) -> Drill:
    _check_participants(None, data)
    return create_row(org, actor, Drill, data)


def update_drill(org: Organization, actor: Any, drill: Drill, data: Mapping[str, Any]) -> Drill:
    _check_participants(drill, data)
    return update_row(org, actor, drill, data)


@transaction.atomic
def delete_drill(org: Organization, actor: Any, drill: Drill) -> None:
    """Its follow-up actions go with it, each with its own audit event."""
    for action in drill.actions.all():
        delete_row(org, actor, action)
    delete_row(org, actor, drill)


def create_drill_action(org: Organization, actor: Any, data: Mapping[str, Any]) -> DrillAction:
    return create_row(org, actor, DrillAction, data)


def add_drill_action(
    org: Organization, actor: Any, drill: Drill, data: Mapping[str, Any]
) -> DrillAction:
    """A follow-up action on this drill; the drill comes from the page, never from the input."""
    return create_row(org, actor, DrillAction, {**data, "drill": drill})


def update_drill_action(
    org: Organization, actor: Any, action: DrillAction, data: Mapping[str, Any]
) -> DrillAction:
    return update_row(org, actor, action, data)


def complete_drill_action(
    org: Organization, actor: Any, action: DrillAction, completed_on: date
) -> DrillAction:
    if action.status == DrillAction.Status.DONE:
        raise InvalidInput("status: this action is already done", "status")
    return update_row(
        org, actor, action, {"status": DrillAction.Status.DONE, "completed_on": completed_on}
    )


def delete_drill_action(org: Organization, actor: Any, action: DrillAction) -> None:
    delete_row(org, actor, action)
