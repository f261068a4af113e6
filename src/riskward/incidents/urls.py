from riskward.core.records import resource_urls
from riskward.incidents.resources import INCIDENT

app_name = "incidents"

urlpatterns = [*resource_urls(INCIDENT)]
