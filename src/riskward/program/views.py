"""Program pages beyond the generic registers: training by quarter, drill follow-up actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from riskward.core import rbac
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view, submit_form
from riskward.lib.errors import InvalidInput
from riskward.program import queries, services
from riskward.program.forms import CompletionForm, DrillActionAddForm
from riskward.program.resources import DRILL, DRILL_ACTION


def _year(raw: str | None, default: int) -> int:
    """The requested year if it is a plausible four-digit year, else the default."""
    if raw and raw.isdigit() and 1900 <= int(raw) <= default + 10:
        return int(raw)
    return default


@org_view(rbac.Cap.VIEW_DASHBOARD)
def training_by_quarter(request: OrgRequest) -> HttpResponse:
    today = timezone.localdate()
    years = queries.training_years(request.org, today)
    year = _year(request.GET.get("year"), today.year)
    if year not in years:
        years = sorted([*years, year], reverse=True)
    quarters = queries.training_by_quarter(request.org, year, today)
    context = {
        "year": year,
        "years": years,
        "quarters": quarters,
        "gaps": [q for q in quarters if q.gap],
        "can_view_records": rbac.has_cap(request.user, rbac.Cap.VIEW_RECORDS),
    }
    return render(request, "program/training_by_quarter.html", context)


@org_view(rbac.Cap.VIEW_RECORDS)
def drill_add_action(request: OrgRequest, pk: int) -> HttpResponse:
    drill = DRILL.get(request, pk)
    rbac.require_edit(request.user)
    return submit_form(
        request,
        DrillActionAddForm(request.POST or None, org=request.org),
        lambda data: services.add_drill_action(request.org, request.user, drill, data),
        lambda action: f"Added action “{action}”.",
        "program/drill_action_add.html",
        {"drill": drill},
        next_url=lambda action: drill.get_absolute_url(),
    )


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def drill_action_complete(request: OrgRequest, pk: int) -> HttpResponse:
    action = DRILL_ACTION.get(request, pk)
    rbac.require_edit(request.user, action)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Completed on: give the date the action was completed.")
    else:
        try:
            services.complete_drill_action(
                request.org, request.user, action, form.cleaned_data["completed_on"]
            )
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Marked “{action}” done.")
    return redirect("program:drill_detail", action.drill_id)
