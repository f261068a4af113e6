from django.urls import include, path

from riskward.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("audit/", include("riskward.audit.urls")),
    path("assets/", include("riskward.assets.urls")),
    path("controls/", include("riskward.controls.urls")),
    path("risks/", include("riskward.risks.urls")),
    path("program/", include("riskward.program.urls")),
    path("governance/", include("riskward.governance.urls")),
    path("incidents/", include("riskward.incidents.urls")),
    path("dashboard/", include("riskward.dashboard.urls")),
    path("", include("riskward.core.urls")),
]
