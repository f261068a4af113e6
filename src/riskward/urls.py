from django.urls import include, path
from django.views.generic import RedirectView

from riskward.api import api

# Each area's address without a register name opens its main register.
AREA_HOMES = {
    "assets": "assets:asset_list",
    "controls": "controls:control_list",
    "risks": "risks:risk_list",
    "program": "program:training_list",
    "governance": "governance:committee_list",
    "incidents": "incidents:incident_list",
}

urlpatterns = [
    path("api/v1/", api.urls),
    *[
        path(f"{area}/", RedirectView.as_view(pattern_name=name), name=f"{area}_home")
        for area, name in AREA_HOMES.items()
    ],
    path("audit/", include("riskward.audit.urls")),
    path("assets/", include("riskward.assets.urls")),
    path("controls/", include("riskward.controls.urls")),
    path("risks/", include("riskward.risks.urls")),
    path("program/", include("riskward.program.urls")),
    path("governance/", include("riskward.governance.urls")),
    path("incidents/", include("riskward.incidents.urls")),
    path("disclosure/", include("riskward.disclosure.urls")),
    path("dashboard/", include("riskward.dashboard.urls")),
    path("", include("riskward.core.urls")),
]
