"""The incident register's pages."""

from __future__ import annotations

from riskward.core.listing import Column, Filter, ListSpec, choice_filter
from riskward.core.records import Resource
from riskward.incidents import services
from riskward.incidents.forms import IncidentForm
from riskward.incidents.models import Incident

INCIDENT_LISTING = ListSpec(
    columns=[
        Column("reference", "Ref", sort="reference", link=True),
        Column("title", "Title", sort="title", link=True),
        Column("discovered_at", "Discovered", sort="discovered_at"),
        Column("get_severity_display", "Severity", sort="severity"),
        Column("get_status_display", "Status", sort="status"),
        Column("material", "Material", sort="material"),
    ],
    filters=[
        choice_filter(Incident, "severity"),
        choice_filter(Incident, "status"),
        Filter(
            "material",
            "Material",
            "material",
            choices=lambda org: [("true", "Yes"), ("false", "No"), ("none", "Not determined")],
            apply=lambda rows, value: (
                rows.filter(material__isnull=True)
                if value == "none"
                else rows.filter(material=value == "true")
            ),
        ),
    ],
    search=["reference", "title", "description"],
    default_sort="-discovered_at",
)

INCIDENT = Resource(
    app="incidents",
    name="incident",
    model=Incident,
    form=IncidentForm,
    listing=INCIDENT_LISTING,
    create=services.create_incident,
    update=services.update_incident,
    delete=services.delete_incident,
    detail_fields=[
        "reference",
        "description",
        "discovered_at",
        "severity",
        "status",
        "affected_assets",
        "material",
        "determined_on",
        "determination_rationale",
    ],
)
