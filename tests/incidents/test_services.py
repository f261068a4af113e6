"""Incident services: determination, assessments, Attorney General delays and filings - each
audited, each refusing what the rules do not allow and writing nothing then."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from riskward.audit.models import AuditEvent
from riskward.core.models import Person
from riskward.incidents import services
from riskward.incidents.models import (
    AttorneyGeneralDelay,
    IncidentFiling,
    MaterialityAssessment,
)
from riskward.lib.errors import Conflict, InvalidInput

D = date.fromisoformat


def events(model, action=None):
    rows = AuditEvent.objects.filter(object_type=f"incidents.{model}")
    return rows.filter(action=action) if action else rows


# Determination -----------------------------------------------------------------------------


def test_determination_is_recorded_with_who_when_and_why(org, users, make_incident):
    incident = make_incident()
    moment = services.determination_moment(D("2024-12-20"), time(16, 30))
    services.determine_materiality(org, users["admin"], incident, True, moment, " Data taken. ")
    incident.refresh_from_db()
    assert (incident.material, incident.determined_on) == (True, D("2024-12-20"))
    assert timezone.localtime(incident.determined_at).time() == time(16, 30)
    assert incident.determined_by == users["admin"]
    assert incident.determination_rationale == "Data taken."
    event = events("Incident", "update").latest("id")
    assert event.after["material"] is True and event.before["material"] is None
    assert event.actor == users["admin"]


def test_determination_by_date_alone_has_no_time(org, users, material):
    assert material.determined_at is None
    assert material.determined_on == D("2024-12-20")


@pytest.mark.parametrize(
    ("material", "when", "rationale", "field"),
    [
        (True, D("2024-12-20"), "  ", "rationale"),
        (True, D("2024-12-20"), "", "rationale"),
        (None, D("2024-12-20"), "Why", "material"),
        (True, D("2024-12-10"), "Why", "determined_on"),  # before discovery
    ],
)
def test_determination_refusals(org, users, make_incident, material, when, rationale, field):
    incident = make_incident()
    before = events("Incident").count()
    with pytest.raises(InvalidInput) as error:
        services.determine_materiality(org, users["admin"], incident, material, when, rationale)
    assert error.value.field == field
    incident.refresh_from_db()
    assert incident.material is None and events("Incident").count() == before


def test_determination_in_the_future_is_refused(org, users, make_incident):
    incident = make_incident()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(InvalidInput) as error:
        services.determine_materiality(org, users["admin"], incident, True, tomorrow, "Why")
    assert error.value.field == "determined_on"
    later_today = timezone.now() + timedelta(minutes=5)
    if timezone.localtime(later_today).date() == timezone.localdate():
        with pytest.raises(InvalidInput) as error:
            services.determine_materiality(org, users["admin"], incident, True, later_today, "Why")
        assert error.value.field == "determined_time"


def test_record_edit_needs_date_and_rationale(org, users, make_incident):
    incident = make_incident()
    with pytest.raises(InvalidInput) as error:
        services.update_incident(org, users["admin"], incident, {"material": False})
    assert error.value.field == "determined_on"
    with pytest.raises(InvalidInput) as error:
        services.update_incident(
            org, users["admin"], incident, {"material": False, "determined_on": D("2024-12-20")}
        )
    assert error.value.field == "determination_rationale"
    services.update_incident(
        org,
        users["security_manager"],
        incident,
        {"material": False, "determined_on": D("2024-12-20"), "determination_rationale": "Minor"},
    )
    incident.refresh_from_db()
    assert incident.material is False and incident.determined_by == users["security_manager"]


def test_unrelated_edit_keeps_the_determiner(org, users, material):
    services.update_incident(org, users["security_manager"], material, {"title": "Renamed"})
    material.refresh_from_db()
    assert material.determined_by == users["admin"]


# Assessments -------------------------------------------------------------------------------


def test_assessments_keep_history_in_the_reporting_currency(org, users, make_incident):
    incident = make_incident()
    reviewer = Person.objects.create(organization=org, name="Carla Counsel")
    data = {
        "loss_low": Decimal("1000000"),
        "loss_high": Decimal("4000000"),
        "exceedance_probability": 0.2,
        "customers_impact": "high",
        "customers_note": "40,000 customers notified",
        "reviewers": [reviewer.pk],
        "recommendation": "undetermined",
        "conclusion": "Loss range below the threshold; customer impact high.",
    }
    first = services.assess_materiality(org, users["admin"], incident, data)
    second = services.assess_materiality(
        org, users["admin"], incident, {**data, "recommendation": "material", "conclusion": "Yes"}
    )
    assert list(incident.assessments.all()) == [second, first]
    assert first.currency == "USD" and first.assessed_by == users["admin"]
    assert list(first.reviewers.all()) == [reviewer]
    assert ("Customers", "High", "40,000 customers notified") in first.factors()
    assert events("MaterialityAssessment", "create").count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"loss_low": Decimal(5), "loss_high": Decimal(4)}, "loss_high"),
        ({"loss_low": Decimal(-1)}, "loss_low"),
        ({"exceedance_probability": 1.5}, "exceedance_probability"),
        ({"data_impact": "huge"}, "data_impact"),
        ({"conclusion": ""}, "conclusion"),
        ({"assessed_at": timezone.now() + timedelta(days=1)}, "assessed_at"),
    ],
)
def test_assessment_refusals(org, users, make_incident, changes, field):
    incident = make_incident()
    with pytest.raises(InvalidInput) as error:
        services.assess_materiality(org, users["admin"], incident, {"conclusion": "c", **changes})
    assert error.value.field == field
    assert not MaterialityAssessment.objects.exists()


def test_reviewers_of_another_organization_are_refused(org, other_org, users, make_incident):
    stranger = Person.objects.create(organization=other_org, name="Stranger")
    with pytest.raises(InvalidInput) as error:
        services.assess_materiality(
            org, users["admin"], make_incident(), {"conclusion": "c", "reviewers": [stranger.pk]}
        )
    assert error.value.field == "reviewers"


# Attorney General delays -------------------------------------------------------------------


def delay(days, requested="2024-12-23", national=False):
    return {
        "days": days,
        "requested_on": D(requested),
        "written_determination": f"DOJ letter {days}",
        "national_security": national,
    }


def test_delays_are_numbered_and_move_the_pending_8k(domestic, users, material):
    pending = services.record_filing(domestic, users["admin"], material, {"form": "8-K"})
    assert pending.due == D("2024-12-30")
    first = services.record_ag_delay(domestic, users["admin"], material, delay(30))
    second = services.record_ag_delay(domestic, users["admin"], material, delay(30, "2025-01-20"))
    third = services.record_ag_delay(
        domestic, users["admin"], material, delay(60, "2025-02-25", national=True)
    )
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    pending.refresh_from_db()
    assert pending.due == D("2025-04-29")  # 2024-12-30 + 30 + 30 + 60 days, a Tuesday
    assert events("AttorneyGeneralDelay", "create").count() == 3
    assert events("IncidentFiling", "update").count() == 3  # the due date moved each time


@pytest.mark.parametrize(
    ("earlier", "new", "field"),
    [
        ([], delay(31), "days"),
        ([delay(30)], delay(45, "2025-01-20"), "days"),
        ([delay(30), delay(30, "2025-01-20")], delay(60, "2025-02-25"), "national_security"),
        ([], delay(10, "2024-12-31"), "requested_on"),  # after the 8-K was due
    ],
)
def test_delay_refusals(domestic, users, material, earlier, new, field):
    for data in earlier:
        services.record_ag_delay(domestic, users["admin"], material, data)
    with pytest.raises(InvalidInput) as error:
        services.record_ag_delay(domestic, users["admin"], material, new)
    assert error.value.field == field
    assert AttorneyGeneralDelay.objects.count() == len(earlier)


def test_a_fourth_delay_is_refused(domestic, users, material):
    for data in (delay(30), delay(30, "2025-01-20"), delay(60, "2025-02-25", national=True)):
        services.record_ag_delay(domestic, users["admin"], material, data)
    with pytest.raises(InvalidInput) as error:
        services.record_ag_delay(domestic, users["admin"], material, delay(10, "2025-04-01"))
    assert error.value.field == "sequence"


def test_no_delay_without_a_running_8k_clock(domestic, users, make_incident, material):
    with pytest.raises(Conflict):
        services.record_ag_delay(
            domestic, users["admin"], make_incident("Not determined"), delay(5)
        )
    services.record_filing(
        domestic,
        users["admin"],
        material,
        {"form": "8-K", "filed_on": D("2024-12-27"), "accession_number": "0000123456-24-000001"},
    )
    with pytest.raises(Conflict):
        services.record_ag_delay(domestic, users["admin"], material, delay(5))
    assert not AttorneyGeneralDelay.objects.exists()


def test_foreign_private_issuers_get_no_ag_delay(org, users, material):
    with pytest.raises(InvalidInput) as error:
        services.record_ag_delay(org, users["admin"], material, delay(30))
    assert error.value.field == "form"


# Filings -----------------------------------------------------------------------------------


def test_8k_due_date_is_computed_and_late_filing_shows(domestic, users, material):
    filing = services.record_filing(
        domestic, users["admin"], material, {"form": "8-K", "due": D("2030-01-01")}
    )
    assert filing.due == D("2024-12-30")  # computed, whatever was sent
    services.update_filing(
        domestic,
        users["admin"],
        filing,
        {"filed_on": D("2024-12-31"), "accession_number": "0000123456-24-000009"},
    )
    filing.refresh_from_db()
    assert filing.late and filing.accession_number == "0000123456-24-000009"
    assert events("IncidentFiling", "update").latest("id").after["filed_on"] == "2024-12-31"


def test_8ka_is_due_four_business_days_after_the_information(domestic, users, material):
    services.record_filing(
        domestic, users["admin"], material, {"form": "8-K", "filed_on": D("2024-12-27")}
    )
    amendment = services.record_filing(
        domestic,
        users["admin"],
        material,
        {"form": "8-K/A", "information_determined_on": D("2025-01-04")},
    )
    assert amendment.due == D("2025-01-10")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"form": "10-Q"}, "form"),
        ({"form": "6-K"}, "form"),  # a domestic filer furnishes no 6-K
        ({"form": "8-K 8.01"}, "form"),  # material: Item 1.05, not 8.01
        ({"form": "8-K", "filed_on": D("2024-12-19")}, "filed_on"),  # before the determination
        ({"form": "8-K", "accession_number": "0000123456-24-000001"}, "filed_on"),
        (
            {"form": "8-K", "filed_on": D("2024-12-27"), "accession_number": "12-3"},
            "accession_number",
        ),
        (
            {"form": "8-K", "information_determined_on": D("2024-12-27")},
            "information_determined_on",
        ),
    ],
)
def test_filing_refusals(domestic, users, material, data, field):
    with pytest.raises(InvalidInput) as error:
        services.record_filing(domestic, users["admin"], material, data)
    assert error.value.field == field
    assert not IncidentFiling.objects.exists()


def test_8ka_needs_a_filed_8k_and_the_information_date(domestic, users, material):
    with pytest.raises(Conflict):
        services.record_filing(
            domestic,
            users["admin"],
            material,
            {"form": "8-K/A", "information_determined_on": D("2025-01-06")},
        )
    services.record_filing(
        domestic, users["admin"], material, {"form": "8-K", "filed_on": D("2024-12-27")}
    )
    with pytest.raises(InvalidInput) as error:
        services.record_filing(domestic, users["admin"], material, {"form": "8-K/A"})
    assert error.value.field == "information_determined_on"


def test_one_item_105_8k_per_incident(domestic, users, material):
    services.record_filing(domestic, users["admin"], material, {"form": "8-K"})
    with pytest.raises(Conflict):
        services.record_filing(domestic, users["admin"], material, {"form": "8-K"})


def test_item_801_is_for_incidents_not_determined_material(domestic, users, make_incident):
    incident = make_incident("Minor phishing")
    filing = services.record_filing(domestic, users["admin"], incident, {"form": "8-K 8.01"})
    assert filing.due is None


def test_no_8k_for_an_incident_not_determined_material(domestic, users, make_incident):
    with pytest.raises(Conflict):
        services.record_filing(domestic, users["admin"], make_incident(), {"form": "8-K"})


def test_foreign_private_issuer_furnishes_6k_without_due_date(org, users, material):
    with pytest.raises(InvalidInput) as error:
        services.record_filing(org, users["admin"], material, {"form": "8-K"})
    assert error.value.field == "form"
    filing = services.record_filing(org, users["admin"], material, {"form": "6-K"})
    assert filing.due is None


def test_the_form_of_a_filing_cannot_change(domestic, users, material):
    filing = services.record_filing(domestic, users["admin"], material, {"form": "8-K"})
    with pytest.raises(InvalidInput) as error:
        services.update_filing(domestic, users["admin"], filing, {"form": "8-K/A"})
    assert error.value.field == "form"


def test_redetermination_moves_a_pending_8k(domestic, users, material):
    filing = services.record_filing(domestic, users["admin"], material, {"form": "8-K"})
    services.determine_materiality(
        domestic, users["admin"], material, True, D("2025-01-04"), "Re-examined: date corrected"
    )
    filing.refresh_from_db()
    assert filing.due == D("2025-01-10")


def test_a_new_date_through_the_record_drops_the_old_time(org, users, make_incident):
    incident = make_incident()
    moment = services.determination_moment(D("2024-12-20"), time(16, 30))
    services.determine_materiality(org, users["admin"], incident, True, moment, "Why")
    services.update_incident(org, users["admin"], incident, {"determination_rationale": "Better"})
    incident.refresh_from_db()
    assert incident.determined_at is not None
    services.update_incident(org, users["admin"], incident, {"determined_on": D("2024-12-19")})
    incident.refresh_from_db()
    assert incident.determined_at is None and incident.determined_on == D("2024-12-19")
