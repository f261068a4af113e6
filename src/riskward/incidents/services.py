"""Incident changes: the record, materiality assessments, the determination, Attorney General
delays and filings. Every change is atomic and audited; due dates come from `incidents.clock`.

A determination needs its date and rationale, so the filing clock can run and be explained.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from riskward.core.changes import create_row, delete_row, update_row
from riskward.core.models import Organization
from riskward.incidents import clock, queries
from riskward.incidents.models import (
    AttorneyGeneralDelay,
    Incident,
    IncidentFiling,
    MaterialityAssessment,
)
from riskward.lib.errors import Conflict, InvalidInput

Data = Mapping[str, Any]
Form = IncidentFiling.Form
DETERMINATION = ("material", "determined_on", "determined_at", "determination_rationale")


def _today() -> date:
    return timezone.localdate()


def _not_future(day: date | None, field: str) -> None:
    if day is not None and day > _today():
        raise InvalidInput(f"{field}: cannot be in the future", field)


# Incidents ---------------------------------------------------------------------------------


def _check_determination(data: Data, current: Incident | None = None) -> None:
    def value(name: str, empty: Any = None) -> Any:
        return data.get(name, getattr(current, name) if current else empty)

    if value("material") is None:
        return
    determined_on = value("determined_on")
    if determined_on is None:
        raise InvalidInput(
            "determined_on: a materiality determination needs its date", "determined_on"
        )
    _not_future(determined_on, "determined_on")
    if not str(value("determination_rationale", "") or "").strip():
        raise InvalidInput(
            "determination_rationale: a materiality determination needs its rationale",
            "determination_rationale",
        )


def _next_reference(org: Organization) -> str:
    return f"INC-{Incident.objects.for_org(org).count() + 1:03}"


@transaction.atomic
def create_incident(org: Organization, actor: Any, data: Data) -> Incident:
    """A determination given with the record is the actor's, like `determine_materiality`."""
    _check_determination(data)
    values = dict(data)
    if not values.get("reference"):
        values["reference"] = _next_reference(org)
    if values.get("material") is not None:
        values["determined_by"] = actor
    return create_row(org, actor, Incident, values)


@transaction.atomic
def update_incident(org: Organization, actor: Any, incident: Incident, data: Data) -> Incident:
    """A changed determination is recorded as the actor's and moves pending 8-K due dates."""
    _check_determination(data, incident)
    values = dict(data)
    changed = any(
        name in values and values[name] != getattr(incident, name) for name in DETERMINATION
    )
    if changed:
        values["determined_by"] = actor
        moved = values.get("determined_on", incident.determined_on) != incident.determined_on
        if moved and "determined_at" not in values:
            values["determined_at"] = None  # a time of the old date no longer applies
    incident = update_row(org, actor, incident, values)
    if changed:
        _refresh_dues(org, actor, incident)
    return incident


def delete_incident(org: Organization, actor: Any, incident: Incident) -> None:
    delete_row(org, actor, incident)


# Determination -----------------------------------------------------------------------------


def determination_moment(day: date, at: time | None = None) -> date | datetime:
    """The date alone, or the date and time in the current time zone when the time is known."""
    if at is None:
        return day
    return timezone.make_aware(datetime.combine(day, at))


def _split_moment(moment: date | datetime) -> tuple[date, datetime | None]:
    if not isinstance(moment, datetime):
        return moment, None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).date(), moment


@transaction.atomic
def determine_materiality(
    org: Organization,
    actor: Any,
    incident: Incident,
    material: bool | None,
    determined_at: date | datetime,
    rationale: str,
) -> Incident:
    """Record whether the incident is material, when (date, and time if known), by whom and
    why. A material determination starts the filing clock; a later one replaces it."""
    if material is None:
        raise InvalidInput("material: say whether the incident is material", "material")
    if not (rationale or "").strip():
        raise InvalidInput("rationale: a determination needs its rationale", "rationale")
    day, moment = _split_moment(determined_at)
    _not_future(day, "determined_on")
    if moment is not None and moment > timezone.now():
        raise InvalidInput("determined_time: cannot be in the future", "determined_time")
    if day < timezone.localtime(incident.discovered_at).date():
        raise InvalidInput(
            "determined_on: cannot be before the incident was discovered", "determined_on"
        )
    values = {
        "material": material,
        "determined_on": day,
        "determined_at": moment,
        "determined_by": actor,
        "determination_rationale": rationale.strip(),
    }
    incident = update_row(org, actor, incident, values)
    _refresh_dues(org, actor, incident)
    return incident


# Materiality assessments -------------------------------------------------------------------


def _check_loss_range(values: Data) -> None:
    low, high = values.get("loss_low"), values.get("loss_high")
    if low is not None and high is not None and high < low:
        raise InvalidInput("loss_high: the high estimate is below the low estimate", "loss_high")


@transaction.atomic
def assess_materiality(
    org: Organization, actor: Any, incident: Incident, data: Data
) -> MaterialityAssessment:
    """Add an assessment to the incident's history; amounts are in the reporting currency."""
    values = {
        **data,
        "incident": incident,
        "assessed_by": actor,
        "assessed_at": data.get("assessed_at") or timezone.now(),
        "currency": org.reporting_currency,
    }
    if values["assessed_at"] > timezone.now():
        raise InvalidInput("assessed_at: cannot be in the future", "assessed_at")
    _check_loss_range(values)
    return create_row(org, actor, MaterialityAssessment, values)


# Attorney General delays -------------------------------------------------------------------


def _check_8k_clock(org: Organization, incident: Incident) -> None:
    """Delays and the Item 1.05 8-K need a material determination of a domestic filer."""
    if org.is_foreign_private_issuer:
        raise InvalidInput(
            "form: a foreign private issuer files no Form 8-K; it furnishes Form 6-K", "form"
        )
    if incident.material is not True or incident.determined_on is None:
        raise Conflict(f"{incident.reference} is not determined material: no 8-K clock runs.")


@transaction.atomic
def record_ag_delay(
    org: Organization, actor: Any, incident: Incident, data: Data
) -> AttorneyGeneralDelay:
    """The next delay (1 to 3) on the Attorney General's written determination; it must be
    within the 30 / 30 / 60-day caps and requested by the deadline it extends."""
    _check_8k_clock(org, incident)
    if _filed(incident, Form.FORM_8K):
        raise Conflict(f"The 8-K of {incident.reference} is filed: there is nothing to delay.")
    earlier = list(incident.ag_delays.order_by("sequence"))
    days = data.get("days")
    if not isinstance(days, int):
        raise InvalidInput("days: give the number of days of the delay", "days")
    national = bool(data.get("national_security"))
    clock.check_delays([*(d.days for d in earlier), days], national)
    requested_on = data.get("requested_on")
    _not_future(requested_on, "requested_on")
    assert incident.determined_on is not None  # checked by _check_8k_clock
    current_due = queries.due_with_delays(incident.determined_on, earlier)
    if requested_on is not None and requested_on > current_due:
        raise InvalidInput(
            f"requested_on: a delay must be obtained by the deadline it extends ({current_due})",
            "requested_on",
        )
    values = {**data, "incident": incident, "sequence": len(earlier) + 1}
    delay = create_row(org, actor, AttorneyGeneralDelay, values)
    _refresh_dues(org, actor, incident)
    return delay


# Filings -----------------------------------------------------------------------------------


def _filed(incident: Incident, form: str) -> bool:
    return incident.filings.filter(form=form, filed_on__isnull=False).exists()


def _check_filer(org: Organization, form: str) -> None:
    if org.is_foreign_private_issuer and form != Form.FORM_6K:
        raise InvalidInput(
            "form: a foreign private issuer files no Form 8-K; it furnishes Form 6-K", "form"
        )
    if not org.is_foreign_private_issuer and form == Form.FORM_6K:
        raise InvalidInput("form: Form 6-K is for foreign private issuers (20-F filers)", "form")


def _check_form(org: Organization, incident: Incident, form: str) -> None:
    """Which report fits the incident: 1.05 when material, 8.01 when not, 8-K/A after 1.05."""
    _check_filer(org, form)
    if form == Form.FORM_8K:
        _check_8k_clock(org, incident)
        if incident.filings.filter(form=form).exists():
            raise Conflict(
                f"{incident.reference} already has its Item 1.05 8-K; record new information "
                "as an 8-K/A."
            )
    elif form == Form.FORM_8K_801 and incident.material is True:
        raise InvalidInput("form: a material incident is reported under Item 1.05", "form")
    elif form == Form.FORM_8KA and not _filed(incident, Form.FORM_8K):
        raise Conflict(f"An 8-K/A amends a filed 8-K; {incident.reference} has none filed yet.")


def _due(incident: Incident, form: str, information_on: date | None) -> date | None:
    if form == Form.FORM_8K and incident.determined_on is not None:
        return queries.due_with_delays(incident.determined_on, list(incident.ag_delays.all()))
    if form == Form.FORM_8KA and information_on is not None:
        return clock.amendment_deadline(information_on).due
    return None


def _filing_values(incident: Incident, form: str, values: dict[str, Any]) -> dict[str, Any]:
    """Check the dates and the accession number; add the computed due date."""
    information_on = values.get("information_determined_on")
    if form == Form.FORM_8KA and information_on is None:
        raise InvalidInput(
            "information_determined_on: an 8-K/A needs the day the information was determined "
            "or became available",
            "information_determined_on",
        )
    if form != Form.FORM_8KA and information_on is not None:
        raise InvalidInput(
            "information_determined_on: only for an 8-K/A", "information_determined_on"
        )
    _not_future(information_on, "information_determined_on")
    filed_on = values.get("filed_on")
    _not_future(filed_on, "filed_on")
    if filed_on is None and values.get("accession_number"):
        raise InvalidInput("filed_on: give the filing date with the accession number", "filed_on")
    determined_on = incident.determined_on
    if form == Form.FORM_8K and filed_on and determined_on and filed_on < determined_on:
        raise InvalidInput("filed_on: cannot be before the determination", "filed_on")
    return {**values, "due": _due(incident, form, information_on)}


@transaction.atomic
def record_filing(org: Organization, actor: Any, incident: Incident, data: Data) -> IncidentFiling:
    """A report on the incident, pending or filed; its due date is computed, never typed."""
    form = str(data.get("form") or "")
    if form not in Form.values:
        raise InvalidInput(f"form: use one of {', '.join(Form.values)}", "form")
    _check_form(org, incident, form)
    values = _filing_values(incident, form, {**data, "incident": incident})
    return create_row(org, actor, IncidentFiling, values)


@transaction.atomic
def update_filing(
    org: Organization, actor: Any, filing: IncidentFiling, data: Data
) -> IncidentFiling:
    """Mark a filing filed (date, accession number) or correct it; the form stays."""
    if "form" in data and data["form"] != filing.form:
        raise InvalidInput("form: record a new filing instead of changing the form", "form")
    current = {
        "information_determined_on": filing.information_determined_on,
        "filed_on": filing.filed_on,
        "accession_number": filing.accession_number,
    }
    values = _filing_values(filing.incident, filing.form, {**current, **data})
    return update_row(org, actor, filing, values)


def _refresh_dues(org: Organization, actor: Any, incident: Incident) -> None:
    """Pending 8-Ks follow the determination and the delays (a filed one keeps its due date)."""
    for filing in incident.filings.filter(form=Form.FORM_8K, filed_on__isnull=True):
        due = _due(incident, Form.FORM_8K, None)
        if due != filing.due:
            update_row(org, actor, filing, {"due": due})
