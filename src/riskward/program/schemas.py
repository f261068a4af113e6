"""API schemas for training sessions, drills and drill actions: explicit fields, extra="forbid"."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from django.db.models import QuerySet
from ninja import FilterLookup, FilterSchema, ModelSchema, Schema
from pydantic import ConfigDict

from riskward.program.models import Drill, DrillAction, TrainingSession

FORBID = ConfigDict(extra="forbid")
Rows = TypeVar("Rows", bound=QuerySet[Any])

TRAINING_FIELDS = ["held_on", "topic", "audience", "invited", "completed", "delivered_by", "notes"]


class TrainingSessionOut(ModelSchema):
    completion_rate: float | None = None

    class Meta:
        model = TrainingSession
        fields = ["id", *TRAINING_FIELDS, "created_at", "updated_at"]


class TrainingSessionIn(ModelSchema):
    model_config = FORBID

    class Meta:
        model = TrainingSession
        fields = TRAINING_FIELDS


class TrainingSessionPatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = TrainingSession
        fields = TRAINING_FIELDS
        fields_optional = "__all__"


class TrainingSessionFilter(FilterSchema):
    year: Annotated[int | None, FilterLookup("held_on__year")] = None
    held_from: Annotated[date | None, FilterLookup("held_on__gte")] = None
    held_to: Annotated[date | None, FilterLookup("held_on__lte")] = None


DRILL_FIELDS = [
    "held_on",
    "title",
    "organizer_kind",
    "organizer",
    "scenario",
    "participants",
    "participant_count",
    "findings",
]


class DrillOut(ModelSchema):
    class Meta:
        model = Drill
        fields = ["id", *DRILL_FIELDS, "created_at", "updated_at"]


class DrillIn(ModelSchema):
    model_config = FORBID
    participants: list[int] = []

    class Meta:
        model = Drill
        fields = DRILL_FIELDS


class DrillPatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = Drill
        fields = DRILL_FIELDS
        fields_optional = "__all__"


class DrillFilter(FilterSchema):
    organizer_kind: str | None = None
    year: Annotated[int | None, FilterLookup("held_on__year")] = None


DRILL_ACTION_FIELDS = ["drill", "title", "owner", "due_on", "status", "completed_on"]


class DrillActionOut(ModelSchema):
    class Meta:
        model = DrillAction
        fields = ["id", *DRILL_ACTION_FIELDS, "created_at", "updated_at"]


class DrillActionIn(ModelSchema):
    model_config = FORBID

    class Meta:
        model = DrillAction
        fields = DRILL_ACTION_FIELDS


class DrillActionPatch(ModelSchema):
    model_config = FORBID

    class Meta:
        model = DrillAction
        fields = DRILL_ACTION_FIELDS
        fields_optional = "__all__"


class DrillActionFilter(FilterSchema):
    drill: int | None = None
    owner: int | None = None
    status: str | None = None
    due_by: Annotated[date | None, FilterLookup("due_on__lte")] = None


class CompletionIn(Schema):
    model_config = FORBID
    completed_on: date


class QuarterOut(Schema):
    year: int
    quarter: int
    label: str
    starts_on: date
    ends_on: date
    state: str
    gap: bool
    sessions: int
    session_ids: list[int]
    invited: int
    completed: int
    completion_rate: float | None
