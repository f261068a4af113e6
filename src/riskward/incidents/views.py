"""The incident page's own actions (assess, determine, delay, file) and the filing clocks page.

Each action checks access, parses one form, calls one service and returns to the incident's
page; a form with bad fields is shown again on that page with its errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from riskward.core import rbac
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view, record_detail
from riskward.incidents import queries, services
from riskward.incidents.forms import (
    AssessmentForm,
    DelayForm,
    DeterminationForm,
    FiledForm,
    FilingForm,
)
from riskward.incidents.models import Incident, IncidentFiling
from riskward.incidents.resources import INCIDENT
from riskward.lib.errors import DomainError, InvalidInput, NotFound


def _editable(request: OrgRequest, pk: int) -> Incident:
    incident: Incident = INCIDENT.get(request, pk)
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    return incident


def _back(incident: Incident, anchor: str = "") -> HttpResponse:
    return redirect(incident.get_absolute_url() + anchor)


def _submit(
    request: OrgRequest,
    incident: Incident,
    name: str,
    form: Any,
    save: Callable[[Any], str],
    anchor: str,
) -> HttpResponse:
    """Valid form: run `save` (which returns the success message) and go back to the page.
    A field error is shown on the form; any other rule violation becomes a message."""
    if form.is_valid():
        try:
            message = save(form)
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except DomainError as error:
            messages.error(request, error.message)
            return _back(incident, anchor)
        else:
            messages.success(request, message)
            return _back(incident, anchor)
    request.incident_forms = {name: form}  # type: ignore[attr-defined]
    response = record_detail(request, resource=INCIDENT, pk=incident.pk)
    response.status_code = 400
    return response  # type: ignore[return-value]


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def assess(request: OrgRequest, pk: int) -> HttpResponse:
    incident = _editable(request, pk)
    form = AssessmentForm(request.POST, org=request.org, currency=request.org.reporting_currency)

    def save(form: AssessmentForm) -> str:
        services.assess_materiality(request.org, request.user, incident, form.service_data())
        return f"Recorded a materiality assessment of {incident.reference}."

    return _submit(request, incident, "assessment_form", form, save, "#assessments")


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def determine(request: OrgRequest, pk: int) -> HttpResponse:
    incident = _editable(request, pk)
    form = DeterminationForm(request.POST)

    def save(form: DeterminationForm) -> str:
        data = form.cleaned_data
        moment = services.determination_moment(data["determined_on"], data["determined_time"])
        services.determine_materiality(
            request.org, request.user, incident, data["material"], moment, data["rationale"]
        )
        verdict = "material" if data["material"] else "not material"
        return f"Recorded: {incident.reference} is {verdict}."

    return _submit(request, incident, "determination_form", form, save, "#determination")


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def add_delay(request: OrgRequest, pk: int) -> HttpResponse:
    incident = _editable(request, pk)
    form = DelayForm(request.POST, org=request.org)

    def save(form: DelayForm) -> str:
        delay = services.record_ag_delay(request.org, request.user, incident, form.service_data())
        return f"Recorded Attorney General delay {delay.sequence} of {delay.days} days."

    return _submit(request, incident, "delay_form", form, save, "#clock")


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def add_filing(request: OrgRequest, pk: int) -> HttpResponse:
    incident = _editable(request, pk)
    form = FilingForm(request.POST, org=request.org)

    def save(form: FilingForm) -> str:
        filing = services.record_filing(request.org, request.user, incident, form.service_data())
        return f"Recorded the {filing.form}."

    return _submit(request, incident, "filing_form", form, save, "#filings")


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def mark_filed(request: OrgRequest, pk: int) -> HttpResponse:
    filing = (
        IncidentFiling.objects.filter(organization=request.org, pk=pk)
        .select_related("incident")
        .first()
    )
    if filing is None:
        raise NotFound("No such filing.")
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    # One small form per pending filing: problems come back as messages, not a re-rendered form.
    form = FiledForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(map(str, errors))}")
        return _back(filing.incident, "#filings")
    try:
        services.update_filing(request.org, request.user, filing, form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Marked the {filing.form} filed on {filing.filed_on}.")
    return _back(filing.incident, "#filings")


@org_view(rbac.Cap.VIEW_DASHBOARD)
def clocks(request: OrgRequest) -> HttpResponse:
    """Every running filing clock; the board sees it too, without links into the register."""
    today = timezone.localdate()
    context = {
        "clocks": queries.open_clocks(request.org, today),
        "today": today,
        "form": queries.form_for(request.org),
        "can_browse": rbac.has_cap(request.user, rbac.Cap.VIEW_RECORDS),
    }
    return render(request, "incidents/clocks.html", context)
