"""Program endpoints: CRUD for each register, training by quarter, completing drill actions."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from riskward.core import rbac
from riskward.core.api_crud import get_row, register_crud
from riskward.lib.errors import InvalidInput
from riskward.program import queries, services
from riskward.program.models import Drill, DrillAction, TrainingSession
from riskward.program.resources import DRILL_ACTION_LISTING, DRILL_LISTING, TRAINING_LISTING
from riskward.program.schemas import (
    CompletionIn,
    DrillActionFilter,
    DrillActionIn,
    DrillActionOut,
    DrillActionPatch,
    DrillFilter,
    DrillIn,
    DrillOut,
    DrillPatch,
    QuarterOut,
    TrainingSessionFilter,
    TrainingSessionIn,
    TrainingSessionOut,
    TrainingSessionPatch,
)

router = Router(tags=["program"])


@router.get("/training-by-quarter", response=list[QuarterOut], operation_id="training_by_quarter")
def training_by_quarter(request: HttpRequest, year: int | None = None) -> Any:
    """The four quarters of a year (default: this year) with sessions, completion and gaps."""
    user = request.auth  # type: ignore[attr-defined]
    rbac.require(user, rbac.Cap.VIEW_DASHBOARD)
    today = timezone.localdate()
    if year is not None and not 1900 <= year <= today.year + 10:
        raise InvalidInput("year: out of range", "year")
    quarters = queries.training_by_quarter(user.organization, year or today.year, today)
    return [
        {
            "year": q.year,
            "quarter": q.quarter,
            "label": q.label,
            "starts_on": q.starts_on,
            "ends_on": q.ends_on,
            "state": q.state,
            "gap": q.gap,
            "sessions": len(q.sessions),
            "session_ids": [s.pk for s in q.sessions],
            "invited": q.invited,
            "completed": q.completed,
            "completion_rate": q.completion_rate,
        }
        for q in quarters
    ]


@router.post(
    "/drill-actions/{pk}/complete", response=DrillActionOut, operation_id="complete_drill_action"
)
def complete_drill_action(request: HttpRequest, pk: int, payload: CompletionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    action = get_row(request, DrillAction, pk)
    rbac.require_edit(user, action)
    return services.complete_drill_action(user.organization, user, action, payload.completed_on)


register_crud(
    router,
    name="training_session",
    model=TrainingSession,
    out=TrainingSessionOut,
    create_in=TrainingSessionIn,
    patch_in=TrainingSessionPatch,
    filter_schema=TrainingSessionFilter,
    listing=TRAINING_LISTING,
    create=services.create_training_session,
    update=services.update_training_session,
    delete=services.delete_training_session,
)

register_crud(
    router,
    name="drill",
    model=Drill,
    out=DrillOut,
    create_in=DrillIn,
    patch_in=DrillPatch,
    filter_schema=DrillFilter,
    listing=DRILL_LISTING,
    create=services.create_drill,
    update=services.update_drill,
    delete=services.delete_drill,
)

register_crud(
    router,
    name="drill_action",
    model=DrillAction,
    out=DrillActionOut,
    create_in=DrillActionIn,
    patch_in=DrillActionPatch,
    filter_schema=DrillActionFilter,
    listing=DRILL_ACTION_LISTING,
    create=services.create_drill_action,
    update=services.update_drill_action,
    delete=services.delete_drill_action,
)
