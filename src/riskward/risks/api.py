"""REST endpoints of the risk register: CRUD plus assessment, review, treatment and acceptance."""

# No `from __future__ import annotations`: ninja reads the annotations at runtime.
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from riskward.core import rbac
from riskward.core.api_crud import get_row, register_crud
from riskward.risks import services
from riskward.risks.models import Risk, RiskAcceptance, RiskMatrix, TreatmentAction
from riskward.risks.resources import ACTION_LISTING, MATRIX, RISK_LISTING
from riskward.risks.schemas import (
    AcceptanceIn,
    AcceptanceOut,
    ActionFilter,
    ActionIn,
    ActionOut,
    ActionPatch,
    AssessIn,
    AssessmentOut,
    DecisionIn,
    MatrixFilter,
    MatrixIn,
    MatrixOut,
    MatrixPatch,
    ReviewIn,
    RiskActionIn,
    RiskFilter,
    RiskIn,
    RiskOut,
    RiskPatch,
)

router = Router(tags=["risks"])

register_crud(
    router,
    name="risk",
    model=Risk,
    out=RiskOut,
    create_in=RiskIn,
    patch_in=RiskPatch,
    filter_schema=RiskFilter,
    listing=RISK_LISTING,
    create=services.create_risk,
    update=services.update_risk,
    delete=services.delete_risk,
)
register_crud(
    router,
    name="action",
    model=TreatmentAction,
    out=ActionOut,
    create_in=ActionIn,
    patch_in=ActionPatch,
    filter_schema=ActionFilter,
    listing=ACTION_LISTING,
    create=services.create_action,
    update=services.update_action,
    delete=services.delete_action,
)
register_crud(
    router,
    name="matrix",
    path="matrices",
    model=RiskMatrix,
    out=MatrixOut,
    create_in=MatrixIn,
    patch_in=MatrixPatch,
    filter_schema=MatrixFilter,
    listing=MATRIX.listing,
    create=services.create_matrix,
    update=services.update_matrix,
    delete=services.delete_matrix,
)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _risk_to_change(request: HttpRequest, pk: int) -> Any:
    """A risk of the caller's organization that the caller may change (owners: their own)."""
    user = _user(request)
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    risk = get_row(request, Risk, pk)
    rbac.require_edit(user, risk)
    return risk


@router.post("/risks/{pk}/assess", response={201: AssessmentOut}, operation_id="assess_risk")
def assess(request: HttpRequest, pk: int, payload: AssessIn) -> Any:
    """Record a new rating: written to the history and made the risk's current rating."""
    user = _user(request)
    risk = _risk_to_change(request, pk)
    return Status(201, services.assess_risk(user.organization, user, risk, payload.dict()))


@router.post("/risks/{pk}/review", response=RiskOut, operation_id="review_risk")
def review(request: HttpRequest, pk: int, payload: ReviewIn) -> Any:
    user = _user(request)
    risk = _risk_to_change(request, pk)
    return services.review_risk(user.organization, user, risk, payload.reviewed_on)


@router.get(
    "/risks/{pk}/assessments", response=list[AssessmentOut], operation_id="list_risk_assessments"
)
@paginate(LimitOffsetPagination)
def assessments(request: HttpRequest, pk: int) -> Any:
    """The risk's assessment history, newest first."""
    rbac.require(_user(request), rbac.Cap.VIEW_RECORDS)
    return get_row(request, Risk, pk).assessments.all()


@router.post("/risks/{pk}/actions", response={201: ActionOut}, operation_id="add_risk_action")
def add_action(request: HttpRequest, pk: int, payload: RiskActionIn) -> Any:
    """Plan a treatment action on this risk (its owner may, as well as editors)."""
    user = _user(request)
    risk = _risk_to_change(request, pk)
    data = {**payload.dict(), "risk": risk}
    return Status(201, services.create_action(user.organization, user, data))


@router.post("/actions/{pk}/complete", response=ActionOut, operation_id="complete_action")
def complete(request: HttpRequest, pk: int) -> Any:
    user = _user(request)
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    action = get_row(request, TreatmentAction, pk)
    rbac.require_edit(user, action)
    return services.complete_action(user.organization, user, action)


@router.get(
    "/risks/{pk}/acceptances", response=list[AcceptanceOut], operation_id="list_risk_acceptances"
)
@paginate(LimitOffsetPagination)
def acceptances(request: HttpRequest, pk: int) -> Any:
    rbac.require(_user(request), rbac.Cap.VIEW_RECORDS)
    return get_row(request, Risk, pk).acceptances.all()


@router.post(
    "/risks/{pk}/acceptances", response={201: AcceptanceOut}, operation_id="request_acceptance"
)
def request_acceptance(request: HttpRequest, pk: int, payload: AcceptanceIn) -> Any:
    """Ask to accept the risk until `expires_on`; someone else approves or rejects."""
    user = _user(request)
    risk = _risk_to_change(request, pk)
    return Status(201, services.request_acceptance(user.organization, user, risk, payload.dict()))


def _decide(request: HttpRequest, pk: int, payload: DecisionIn, decide: Any) -> Any:
    user = _user(request)
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    acceptance = get_row(request, RiskAcceptance, pk)
    rbac.require(user, rbac.Cap.EDIT_RECORDS)
    return decide(user.organization, user, acceptance, payload.dict(exclude_none=True))


@router.post("/acceptances/{pk}/approve", response=AcceptanceOut, operation_id="approve_acceptance")
def approve(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    """Approve a requested acceptance (not by its requester); the risk becomes accepted."""
    return _decide(request, pk, payload, services.approve_acceptance)


@router.post("/acceptances/{pk}/reject", response=AcceptanceOut, operation_id="reject_acceptance")
def reject(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    """Reject a requested acceptance; `decision_note` says why."""
    return _decide(request, pk, payload, services.reject_acceptance)


@router.post("/acceptances/{pk}/expire", response=AcceptanceOut, operation_id="expire_acceptance")
def expire(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    """End an approved acceptance now; the risk needs a new decision."""
    return _decide(request, pk, payload, services.expire_acceptance)
