"""REST endpoints of the risk register: CRUD plus assessment, review, treatment and acceptance."""

# No `from __future__ import annotations`: ninja reads the annotations at runtime.
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from riskward.core import rbac
from riskward.core.api_crud import caller, get_row, register_crud
from riskward.lib.errors import NotFound
from riskward.risks import quantification, services
from riskward.risks.models import (
    Risk,
    RiskAcceptance,
    RiskMatrix,
    RiskQuantification,
    TreatmentAction,
)
from riskward.risks.quant.estimates import Estimate
from riskward.risks.resources import ACTION_LISTING, MATRIX, RISK_LISTING
from riskward.risks.schemas import (
    AcceptanceIn,
    AcceptanceOut,
    ActionFilter,
    ActionIn,
    ActionOut,
    ActionPatch,
    AssessIn,
    DecisionIn,
    MatrixFilter,
    MatrixIn,
    MatrixOut,
    MatrixPatch,
    PortfolioRunIn,
    QuantIn,
    QuantOut,
    ReviewIn,
    RiskActionIn,
    RiskAssessmentOut,
    RiskFilter,
    RiskIn,
    RiskOut,
    RiskPatch,
    RunIn,
    StudyOut,
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


def _risk_to_change(request: HttpRequest, pk: int) -> Any:
    """A risk of the caller's organization that the caller may change (owners: their own)."""
    user = caller(request)
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    risk = get_row(request, Risk, pk)
    rbac.require_edit(user, risk)
    return risk


@router.post("/risks/{pk}/assess", response={201: RiskAssessmentOut}, operation_id="assess_risk")
def assess(request: HttpRequest, pk: int, payload: AssessIn) -> Any:
    """Record a new rating: written to the history and made the risk's current rating."""
    user = caller(request)
    risk = _risk_to_change(request, pk)
    return Status(201, services.assess_risk(user.organization, user, risk, payload.dict()))


@router.post("/risks/{pk}/review", response=RiskOut, operation_id="review_risk")
def review(request: HttpRequest, pk: int, payload: ReviewIn) -> Any:
    user = caller(request)
    risk = _risk_to_change(request, pk)
    return services.review_risk(user.organization, user, risk, payload.reviewed_on)


@router.get(
    "/risks/{pk}/assessments",
    response=list[RiskAssessmentOut],
    operation_id="list_risk_assessments",
)
@paginate(LimitOffsetPagination)
def assessments(request: HttpRequest, pk: int) -> Any:
    """The risk's assessment history, newest first."""
    caller(request, rbac.Cap.VIEW_RECORDS)
    return get_row(request, Risk, pk).assessments.all()


@router.post("/risks/{pk}/actions", response={201: ActionOut}, operation_id="add_risk_action")
def add_action(request: HttpRequest, pk: int, payload: RiskActionIn) -> Any:
    """Plan a treatment action on this risk (its owner may, as well as editors)."""
    user = caller(request)
    risk = _risk_to_change(request, pk)
    data = {**payload.dict(), "risk": risk}
    return Status(201, services.create_action(user.organization, user, data))


@router.post("/actions/{pk}/complete", response=ActionOut, operation_id="complete_action")
def complete(request: HttpRequest, pk: int) -> Any:
    user = caller(request)
    rbac.require(user, rbac.Cap.VIEW_RECORDS)
    action = get_row(request, TreatmentAction, pk)
    rbac.require_edit(user, action)
    return services.complete_action(user.organization, user, action)


@router.get(
    "/risks/{pk}/acceptances", response=list[AcceptanceOut], operation_id="list_risk_acceptances"
)
@paginate(LimitOffsetPagination)
def acceptances(request: HttpRequest, pk: int) -> Any:
    caller(request, rbac.Cap.VIEW_RECORDS)
    return get_row(request, Risk, pk).acceptances.all()


@router.post(
    "/risks/{pk}/acceptances", response={201: AcceptanceOut}, operation_id="request_acceptance"
)
def request_acceptance(request: HttpRequest, pk: int, payload: AcceptanceIn) -> Any:
    """Ask to accept the risk until `expires_on`; someone else approves or rejects."""
    user = caller(request)
    risk = _risk_to_change(request, pk)
    return Status(201, services.request_acceptance(user.organization, user, risk, payload.dict()))


def _decide(request: HttpRequest, pk: int, payload: DecisionIn, decide: Any) -> Any:
    user = caller(request)
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


# Quantification (Open FAIR) ----------------------------------------------------------------


def _estimate_out(stored: Any) -> Any:
    if not stored:
        return None
    found = Estimate.from_dict(stored)
    shape = found.shape if found.kind == "pert" else None
    return {
        "kind": found.kind,
        "low": found.low,
        "mode": found.mode,
        "high": found.high,
        "shape": shape,
    }


def _result_out(quant: RiskQuantification) -> Any:
    if not quant.has_run:
        return None
    names = (
        "inherent",
        "residual",
        "mean_events",
        "iterations",
        "seed",
        "engine",
        "numpy",
        "threshold",
    )
    return {
        **{name: getattr(quant, name) for name in names},
        "run_at": quant.run_at,
        "run_by": quant.run_by_id,
        "study": quant.study_id,
        "stale": quant.is_stale,
        "older_engine": quant.by_older_engine,
    }


def _quant_out(risk: Risk) -> Any:
    """A risk's inputs and last results (empty inputs when it was never quantified)."""
    quant = (
        RiskQuantification.objects.filter(risk=risk).prefetch_related("effects__control").first()
    )
    body: dict[str, Any] = {"risk": risk.pk, "reference": risk.reference}
    if quant is None:
        return body
    values = quant.control_values or {}
    body.update(
        {name: _estimate_out(getattr(quant, name)) for name in quantification.ESTIMATES},
        primary_forms={f: _estimate_out(d) for f, d in quant.primary_forms.items()},
        secondary_forms={f: _estimate_out(d) for f, d in quant.secondary_forms.items()},
        controls=[
            {
                "control": e.control_id,
                "reference": e.control.reference,
                "target": e.target,
                "reduction": _estimate_out(e.reduction),
                "value": values.get(e.control.reference),
            }
            for e in quant.effects.all()
        ],
        single_event=quant.single_event,
        rationale=quant.rationale,
        inputs_changed_at=quant.inputs_changed_at,
        result=_result_out(quant),
    )
    return body


@router.get("/risks/{pk}/quantification", response=QuantOut, operation_id="get_quantification")
def get_quantification(request: HttpRequest, pk: int) -> Any:
    """The risk's Open FAIR estimates and the results of its last run."""
    caller(request, rbac.Cap.VIEW_RECORDS)
    return _quant_out(get_row(request, Risk, pk))


@router.put("/risks/{pk}/quantification", response=QuantOut, operation_id="set_quantification")
def set_quantification(request: HttpRequest, pk: int, payload: QuantIn) -> Any:
    """Replace every estimate of the risk; errors name the input (`tef.low`, `controls.0`)."""
    user = caller(request)
    risk = _risk_to_change(request, pk)
    quantification.set_inputs(user.organization, user, risk, payload.dict())
    return _quant_out(risk)


@router.post("/risks/{pk}/quantification/run", response=QuantOut, operation_id="run_quantification")
def run_quantification(request: HttpRequest, pk: int, payload: RunIn) -> Any:
    """Simulate the risk now and store its results (inherent, residual, control values)."""
    user = caller(request)
    risk = _risk_to_change(request, pk)
    quantification.run_risk(user.organization, user, risk, **payload.dict())
    return _quant_out(risk)


@router.post("/quant/run", response={201: StudyOut}, operation_id="run_portfolio")
def run_portfolio(request: HttpRequest, payload: PortfolioRunIn) -> Any:
    """Simulate the organization's quantified risks together (or the ids in `risks`)."""
    user = caller(request, rbac.Cap.VIEW_DASHBOARD, rbac.Cap.EDIT_RECORDS)
    data = payload.dict()
    study = quantification.run_portfolio(user.organization, user, **data)
    return Status(201, study)


@router.get("/quant/portfolio", response=StudyOut, operation_id="get_portfolio")
def portfolio(request: HttpRequest) -> Any:
    """The organization's last portfolio run: summaries, curve and contributors."""
    user = caller(request, rbac.Cap.VIEW_DASHBOARD)
    study = quantification.latest_study(user.organization)
    if study is None:
        raise NotFound("The portfolio has not been run yet.")
    return study
