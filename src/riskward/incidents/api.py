"""REST endpoints of incidents: CRUD plus materiality assessments, the determination, Attorney
General delays, filings and filing clocks."""

# No `from __future__ import annotations`: ninja reads the annotations at runtime.
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from riskward.core import rbac
from riskward.core.api_crud import caller, get_row, register_crud
from riskward.incidents import queries, services
from riskward.incidents.models import Incident, IncidentFiling
from riskward.incidents.resources import INCIDENT_LISTING
from riskward.incidents.schemas import (
    ClockOut,
    DelayIn,
    DelayOut,
    DeterminationIn,
    FilingIn,
    FilingOut,
    FilingPatch,
    IncidentFilter,
    IncidentIn,
    IncidentOut,
    IncidentPatch,
    MaterialityAssessmentIn,
    MaterialityAssessmentOut,
)

router = Router(tags=["incidents"])

register_crud(
    router,
    name="incident",
    model=Incident,
    out=IncidentOut,
    create_in=IncidentIn,
    patch_in=IncidentPatch,
    filter_schema=IncidentFilter,
    listing=INCIDENT_LISTING,
    create=services.create_incident,
    update=services.update_incident,
    delete=services.delete_incident,
)


def _incident(request: HttpRequest, pk: int, edit: bool = False) -> Any:
    """An incident of the caller's organization; changing it takes EDIT_RECORDS."""
    user = caller(request)
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    incident = get_row(request, Incident, pk)
    if edit:
        rbac.require(user, rbac.Cap.EDIT_RECORDS)
    return incident


def _clock_out(item: queries.IncidentClock) -> dict[str, Any]:
    deadline = item.deadline
    return {
        "incident": item.incident.pk,
        "reference": item.incident.reference,
        "title": item.incident.title,
        "form": item.form,
        "determined_on": deadline.determined_on,
        "due": item.due,
        "business_days": list(deadline.business_days),
        "skipped": [{"day": day, "reason": reason} for day, reason in deadline.skipped],
        "delays": [delay.days for delay in item.delays],
        "business_days_left": item.business_days_left,
        "overdue": item.overdue,
        "filing": item.filing.pk if item.filing is not None else None,
        "filed_on": item.filed_on,
        "note": deadline.note,
    }


@router.get(
    "/incidents/{pk}/assessments",
    response=list[MaterialityAssessmentOut],
    operation_id="list_incident_assessments",
)
@paginate(LimitOffsetPagination)
def assessments(request: HttpRequest, pk: int) -> Any:
    """The incident's materiality assessments, newest first."""
    return _incident(request, pk).assessments.prefetch_related("reviewers")


@router.post(
    "/incidents/{pk}/assessments",
    response={201: MaterialityAssessmentOut},
    operation_id="assess_incident_materiality",
)
def assess(request: HttpRequest, pk: int, payload: MaterialityAssessmentIn) -> Any:
    user = caller(request)
    incident = _incident(request, pk, edit=True)
    data = payload.dict()
    return Status(201, services.assess_materiality(user.organization, user, incident, data))


@router.post(
    "/incidents/{pk}/determination", response=IncidentOut, operation_id="determine_materiality"
)
def determine(request: HttpRequest, pk: int, payload: DeterminationIn) -> Any:
    """Record the materiality determination; a material one starts the filing clock."""
    user = caller(request)
    incident = _incident(request, pk, edit=True)
    moment = services.determination_moment(payload.determined_on, payload.determined_time)
    return services.determine_materiality(
        user.organization, user, incident, payload.material, moment, payload.rationale
    )


@router.get(
    "/incidents/{pk}/ag-delays", response=list[DelayOut], operation_id="list_incident_ag_delays"
)
@paginate(LimitOffsetPagination)
def delays(request: HttpRequest, pk: int) -> Any:
    return _incident(request, pk).ag_delays.all()


@router.post("/incidents/{pk}/ag-delays", response={201: DelayOut}, operation_id="record_ag_delay")
def add_delay(request: HttpRequest, pk: int, payload: DelayIn) -> Any:
    """The next Attorney General delay: up to 30, 30, then 60 days (national security)."""
    user = caller(request)
    incident = _incident(request, pk, edit=True)
    return Status(201, services.record_ag_delay(user.organization, user, incident, payload.dict()))


@router.get(
    "/incidents/{pk}/filings", response=list[FilingOut], operation_id="list_incident_filings"
)
@paginate(LimitOffsetPagination)
def filings(request: HttpRequest, pk: int) -> Any:
    return _incident(request, pk).filings.all()


@router.post(
    "/incidents/{pk}/filings", response={201: FilingOut}, operation_id="record_incident_filing"
)
def add_filing(request: HttpRequest, pk: int, payload: FilingIn) -> Any:
    user = caller(request)
    incident = _incident(request, pk, edit=True)
    return Status(201, services.record_filing(user.organization, user, incident, payload.dict()))


@router.patch("/filings/{pk}", response=FilingOut, operation_id="update_incident_filing")
def update_filing(request: HttpRequest, pk: int, payload: FilingPatch) -> Any:
    """Mark a filing filed (date, accession number) or correct it."""
    user = caller(request)
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    filing = get_row(request, IncidentFiling, pk)
    rbac.require(user, rbac.Cap.EDIT_RECORDS)
    data = payload.dict(exclude_unset=True)
    return services.update_filing(user.organization, user, filing, data)


@router.get("/incidents/{pk}/clocks", response=list[ClockOut], operation_id="list_incident_clocks")
def incident_clocks(request: HttpRequest, pk: int) -> Any:
    """The incident's clocks, running or stopped: the determination's, then each 8-K/A's."""
    user = caller(request)
    incident = _incident(request, pk)
    today = timezone.localdate()
    return [_clock_out(c) for c in queries.incident_clocks(incident, user.organization, today)]


@router.get("/clocks", response=list[ClockOut], operation_id="list_open_clocks")
@paginate(LimitOffsetPagination)
def open_clocks(request: HttpRequest) -> Any:
    """Every running clock of the organization, soonest due first (for the board too)."""
    user = caller(request, rbac.Cap.VIEW_DASHBOARD)
    return [_clock_out(c) for c in queries.open_clocks(user.organization, timezone.localdate())]
