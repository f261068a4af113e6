"""The program's register pages: training sessions, drills and drill follow-up actions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from riskward.core import rbac
from riskward.core.listing import Column, Filter, ListSpec, choice_filter, related_filter
from riskward.core.records import Resource
from riskward.program import services
from riskward.program.forms import (
    CompletionForm,
    DrillActionAddForm,
    DrillActionForm,
    DrillForm,
    TrainingSessionForm,
)
from riskward.program.models import Drill, DrillAction, TrainingSession


def _year_choices(org: Any) -> list[tuple[str, str]]:
    years = TrainingSession.objects.for_org(org).dates("held_on", "year", order="DESC")
    return [(str(d.year), str(d.year)) for d in years]


def _in_year(rows: QuerySet[Any], value: str) -> QuerySet[Any]:
    return rows.filter(held_on__year=int(value)) if value.isdigit() else rows.none()


def _overdue(rows: QuerySet[Any], value: str) -> QuerySet[Any]:
    if value != "true":
        return rows
    return rows.filter(status=DrillAction.Status.OPEN, due_on__lt=timezone.localdate())


TRAINING_LISTING = ListSpec(
    columns=[
        Column("held_on", "Held on", sort="held_on"),
        Column("topic", "Topic", sort="topic", link=True),
        Column("audience", "Audience", sort="audience"),
        Column("invited", "Invited", sort="invited"),
        Column("completed", "Completed", sort="completed"),
        Column("completion_percent", "Completion"),
        Column("delivered_by", "Delivered by", sort="delivered_by"),
    ],
    filters=[Filter("year", "Year", choices=_year_choices, apply=_in_year)],
    search=["topic", "audience", "delivered_by"],
    default_sort="-held_on",
)

DRILL_LISTING = ListSpec(
    columns=[
        Column("held_on", "Held on", sort="held_on"),
        Column("title", "Title", sort="title", link=True),
        Column("get_organizer_kind_display", "Organizer kind", sort="organizer_kind"),
        Column("organizer", "Organizer", sort="organizer"),
        Column("participant_count", "Participants", sort="participant_count"),
    ],
    filters=[choice_filter(Drill, "organizer_kind")],
    search=["title", "organizer", "scenario", "findings"],
    default_sort="-held_on",
)

DRILL_ACTION_LISTING = ListSpec(
    columns=[
        Column("title", "Action", sort="title", link=True),
        Column("drill", "Drill", sort="drill__held_on"),
        Column("owner", "Owner", sort="owner__name"),
        Column("due_on", "Due", sort="due_on"),
        Column("get_status_display", "Status", sort="status"),
        Column("completed_on", "Completed", sort="completed_on"),
    ],
    filters=[
        choice_filter(DrillAction, "status"),
        Filter(
            "overdue", "Overdue", choices=lambda org: [("true", "Overdue only")], apply=_overdue
        ),
        related_filter(DrillAction, "owner"),
        related_filter(DrillAction, "drill"),
    ],
    search=["title", "drill__title"],
    default_sort="due_on",
    select_related=["drill", "owner"],
)


def drill_context(request: HttpRequest, drill: Drill) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    actions = [
        (action, rbac.can_edit(user, action), action.is_overdue(today))
        for action in drill.actions.select_related("owner")
    ]
    return {
        "participants": drill.participants.all(),
        "actions": actions,
        "can_add_action": rbac.can_edit(user),
        "action_form": DrillActionAddForm(org=request.org),  # type: ignore[attr-defined]
        "completion_form": CompletionForm(initial={"completed_on": today}),
    }


def drill_action_context(request: HttpRequest, action: DrillAction) -> dict[str, Any]:
    return {
        "completion_form": CompletionForm(initial={"completed_on": timezone.localdate()}),
        "can_complete": action.status == DrillAction.Status.OPEN
        and rbac.can_edit(request.user, action),
    }


TRAINING = Resource(
    app="program",
    name="training",
    model=TrainingSession,
    form=TrainingSessionForm,
    listing=TRAINING_LISTING,
    create=services.create_training_session,
    update=services.update_training_session,
    delete=services.delete_training_session,
    detail_fields=["held_on", "topic", "audience", "invited", "completed", "delivered_by", "notes"],
    detail_template="program/training_detail.html",
    list_template="program/list.html",
)

DRILL = Resource(
    app="program",
    name="drill",
    model=Drill,
    form=DrillForm,
    listing=DRILL_LISTING,
    create=services.create_drill,
    update=services.update_drill,
    delete=services.delete_drill,
    detail_fields=[
        "held_on",
        "organizer_kind",
        "organizer",
        "scenario",
        "participant_count",
        "findings",
    ],
    detail_template="program/drill_detail.html",
    list_template="program/list.html",
    detail_context=drill_context,
)

DRILL_ACTION = Resource(
    app="program",
    name="drill_action",
    model=DrillAction,
    form=DrillActionForm,
    listing=DRILL_ACTION_LISTING,
    create=services.create_drill_action,
    update=services.update_drill_action,
    delete=services.delete_drill_action,
    detail_fields=["drill", "owner", "due_on", "status", "completed_on"],
    detail_template="program/drill_action_detail.html",
    list_template="program/list.html",
    detail_context=drill_action_context,
)
