"""The risk page's own actions: assess, review, plan and complete treatment, accept.

Each view checks access, parses one form, calls one service and returns to the risk's page.
Rule violations come back as messages; a form with bad fields is shown again with its errors.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from riskward.core import rbac
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view, record_detail
from riskward.lib.errors import DomainError, InvalidInput, NotFound
from riskward.risks import services
from riskward.risks.forms import AcceptanceRequestForm, AssessForm, DecisionForm, NewActionForm
from riskward.risks.models import Risk, RiskAcceptance
from riskward.risks.resources import ACTION, RISK


def editable_risk(request: OrgRequest, pk: int) -> Risk:
    risk: Risk = RISK.get(request, pk)
    rbac.require_edit(request.user, risk)
    return risk


def _back(risk: Risk) -> HttpResponse:
    return redirect(risk.get_absolute_url())


def show_again(request: OrgRequest, risk: Risk, **forms: Any) -> HttpResponse:
    """The risk page with the failed form and its errors; the risk is read afresh."""
    request.risk_forms = forms  # type: ignore[attr-defined]
    response = record_detail(request, resource=RISK, pk=risk.pk)
    response.status_code = 400
    return response  # type: ignore[return-value]


def _field_error(form: Any, error: InvalidInput) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def assess(request: OrgRequest, pk: int) -> HttpResponse:
    risk = editable_risk(request, pk)
    form = AssessForm(request.POST, risk=risk)
    if form.is_valid():
        try:
            services.assess_risk(request.org, request.user, risk, form.cleaned_data)
        except InvalidInput as error:
            _field_error(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return _back(risk)
        else:
            messages.success(request, f"Recorded a new assessment of {risk.reference}.")
            return _back(risk)
    return show_again(request, risk, assess_form=form)


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def review(request: OrgRequest, pk: int) -> HttpResponse:
    risk = editable_risk(request, pk)
    try:
        services.review_risk(request.org, request.user, risk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Reviewed {risk.reference}; next review {risk.next_review_on}.")
    return _back(risk)


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def add_action(request: OrgRequest, pk: int) -> HttpResponse:
    risk = editable_risk(request, pk)
    form = NewActionForm(request.POST, org=request.org)
    if form.is_valid():
        try:
            action = services.create_action(
                request.org, request.user, {**form.service_data(), "risk": risk}
            )
        except InvalidInput as error:
            _field_error(form, error)
        else:
            messages.success(request, f"Planned “{action}”.")
            return _back(risk)
    return show_again(request, risk, action_form=form)


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def complete_action(request: OrgRequest, pk: int) -> HttpResponse:
    action = ACTION.get(request, pk)
    rbac.require_edit(request.user, action)
    try:
        services.complete_action(request.org, request.user, action)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Completed “{action}”.")
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(action.get_absolute_url())


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def request_acceptance(request: OrgRequest, pk: int) -> HttpResponse:
    risk = editable_risk(request, pk)
    form = AcceptanceRequestForm(request.POST, org=request.org)
    if form.is_valid():
        try:
            services.request_acceptance(request.org, request.user, risk, form.cleaned_data)
        except InvalidInput as error:
            _field_error(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            return _back(risk)
        else:
            messages.success(request, f"Asked for acceptance of {risk.reference}.")
            return _back(risk)
    return show_again(request, risk, acceptance_form=form)


DECISIONS = {
    "approve": services.approve_acceptance,
    "reject": services.reject_acceptance,
    "expire": services.expire_acceptance,
}


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def decide(request: OrgRequest, pk: int, decision: str) -> HttpResponse:
    """Approve, reject or end an acceptance: for those who may change any record."""
    acceptance = (
        RiskAcceptance.objects.filter(organization=request.org, pk=pk)
        .select_related("risk")
        .first()
    )
    if acceptance is None or decision not in DECISIONS:
        raise NotFound("No such acceptance.")
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(map(str, errors))}")
        return _back(acceptance.risk)
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        DECISIONS[decision](request.org, request.user, acceptance, data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        state = acceptance.get_state_display().lower()
        messages.success(request, f"The acceptance of {acceptance.risk.reference} is {state}.")
    return _back(acceptance.risk)
