"""The incident register's pages; the incident page adds assessments, the determination, the
filing clock and the filings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from riskward.core import rbac
from riskward.core.listing import Column, Filter, ListSpec, choice_filter
from riskward.core.middleware import OrgRequest
from riskward.core.records import Resource
from riskward.incidents import clock, queries, services
from riskward.incidents.forms import (
    AssessmentForm,
    DelayForm,
    DeterminationForm,
    FilingForm,
    IncidentForm,
)
from riskward.incidents.models import CONTENT_FIELDS, Incident

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


@dataclass(frozen=True)
class IncidentResource(Resource):
    """The page reads delays, filings and assets of the incident: fetched with it."""

    def rows(self, request: OrgRequest) -> QuerySet[Any]:
        return (
            super()
            .rows(request)
            .select_related("determined_by")
            .prefetch_related("ag_delays", "filings", "affected_assets")
        )


def _label(name: str) -> str:
    return str(Incident._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _determination_form(incident: Incident) -> DeterminationForm:
    if incident.material is None:
        return DeterminationForm()
    return DeterminationForm(
        initial={
            "material": "yes" if incident.material else "no",
            "determined_on": incident.determined_on,
            "determined_time": incident.determined_at
            and timezone.localtime(incident.determined_at),
            "rationale": incident.determination_rationale,
        }
    )


def incident_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    """What the incident page shows; a failed action passes its bound form in."""
    org = request.org  # type: ignore[attr-defined]
    bound: dict[str, Any] = getattr(request, "incident_forms", {})
    today = timezone.localdate()
    clocks = queries.incident_clocks(incident, org, today)
    main = next((c for c in clocks if c.form != clock.FORM_8KA), None)
    return {
        "can_change": rbac.has_cap(request.user, rbac.Cap.EDIT_RECORDS),
        "today": today,
        "filer_form": queries.form_for(org),
        "clock": main,
        "amendment_clocks": [c for c in clocks if c.form == clock.FORM_8KA],
        "can_delay": bool(
            main and main.form == clock.FORM_8K and main.is_open and len(main.delays) < 3
        ),
        "content": [(_label(name), getattr(incident, name)) for name in CONTENT_FIELDS],
        "assessments": incident.assessments.select_related("assessed_by").prefetch_related(
            "reviewers"
        ),
        "filings": incident.filings.all(),
        "assessment_form": bound.get("assessment_form")
        or AssessmentForm(org=org, currency=org.reporting_currency),
        "determination_form": bound.get("determination_form") or _determination_form(incident),
        "delay_form": bound.get("delay_form") or DelayForm(org=org),
        "filing_form": bound.get("filing_form") or FilingForm(org=org),
    }


INCIDENT = IncidentResource(
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
    ],
    detail_template="incidents/incident_detail.html",
    detail_context=incident_context,
    list_actions=[("incidents:clocks", "Filing clocks")],
)
