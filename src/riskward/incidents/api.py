from ninja import Router

from riskward.core.api_crud import register_crud
from riskward.incidents import services
from riskward.incidents.models import Incident
from riskward.incidents.resources import INCIDENT_LISTING
from riskward.incidents.schemas import IncidentFilter, IncidentIn, IncidentOut, IncidentPatch

router = Router(tags=["incidents"])

register_crud(
    router,
    name="incident",
    model=Incident,
    out=IncidentOut,
    create_in=IncidentIn,
    patch_in=IncidentPatch,
    filter_schema=IncidentFilter,
    listing=INCIDENT_LISTING,
    create=services.create_incident,
    update=services.update_incident,
    delete=services.delete_incident,
)
