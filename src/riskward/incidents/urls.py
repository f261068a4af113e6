from django.urls import path

from riskward.core.records import resource_urls
from riskward.incidents import views
from riskward.incidents.resources import INCIDENT

app_name = "incidents"

urlpatterns = [
    *resource_urls(INCIDENT),
    path("incident/<int:pk>/assess/", views.assess, name="incident_assess"),
    path("incident/<int:pk>/determine/", views.determine, name="incident_determine"),
    path("incident/<int:pk>/delays/new/", views.add_delay, name="incident_add_delay"),
    path("incident/<int:pk>/filings/new/", views.add_filing, name="incident_add_filing"),
    path("filing/<int:pk>/filed/", views.mark_filed, name="filing_filed"),
    path("clocks/", views.clocks, name="clocks"),
]
