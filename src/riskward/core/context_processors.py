"""Navigation for the shared layout: only the sections the user's role may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from riskward.core import rbac

# (section label, URL name, capability). Apps register their sections here, in program order.
NAVIGATION: list[tuple[str, str, rbac.Cap]] = [
    ("Dashboard", "dashboard:home", rbac.Cap.VIEW_DASHBOARD),
    ("Risks", "risks:risk_list", rbac.Cap.VIEW_RECORDS),
    ("Quantified risk", "risks:quant_portfolio", rbac.Cap.VIEW_DASHBOARD),
    ("Assets", "assets:asset_list", rbac.Cap.VIEW_RECORDS),
    ("Controls", "controls:control_list", rbac.Cap.VIEW_RECORDS),
    ("Compliance", "controls:framework_list", rbac.Cap.VIEW_RECORDS),
    ("Certifications", "controls:certification_list", rbac.Cap.VIEW_RECORDS),
    ("Program", "program:training_list", rbac.Cap.VIEW_RECORDS),
    ("Governance", "governance:committee_list", rbac.Cap.VIEW_RECORDS),
    ("Incidents", "incidents:incident_list", rbac.Cap.VIEW_RECORDS),
    ("Filing clocks", "incidents:clocks", rbac.Cap.VIEW_DASHBOARD),
    ("Disclosure", "disclosure:index", rbac.Cap.VIEW_DISCLOSURE),
    ("People", "core:person_list", rbac.Cap.VIEW_RECORDS),
    ("Organization", "core:organization", rbac.Cap.VIEW_RECORDS),
    ("Audit trail", "audit:event_list", rbac.Cap.VIEW_AUDIT),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    return {
        "nav": [
            (label, url)
            for label, name, cap in NAVIGATION
            if rbac.has_cap(user, cap) and (url := _url(name))
        ]
    }


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # an area not installed in this build
        return None
