"""The dashboard: the program at a glance for everyone with a dashboard role, board included."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from riskward.core import rbac
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view
from riskward.dashboard.charts import training_chart
from riskward.dashboard.overview import build


@org_view(rbac.Cap.VIEW_DASHBOARD)
def home(request: OrgRequest) -> HttpResponse:
    overview = build(request.org, timezone.localdate())
    context = {
        "overview": overview,
        "training_chart": training_chart(overview.training),
        # Board members see the figures but not the registers behind them, so no links.
        "can_browse": rbac.has_cap(request.user, rbac.Cap.VIEW_RECORDS),
    }
    return render(request, "dashboard/home.html", context)
