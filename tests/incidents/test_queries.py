"""Open filing clocks: which clocks run, their due dates, time left and overdue flag."""

from __future__ import annotations

from datetime import date

from riskward.incidents import services
from riskward.incidents.queries import open_clocks

D = date.fromisoformat


def determine(org, users, incident, on, material=True):
    return services.determine_materiality(org, users["admin"], incident, material, D(on), "Why")


def test_a_material_incident_runs_an_8k_clock_until_the_8k_is_filed(domestic, users, material):
    [item] = open_clocks(domestic, D("2024-12-27"))
    assert (item.incident, item.form, item.due) == (material, "8-K", D("2024-12-30"))
    assert (item.business_days_left, item.overdue) == (1, False)
    services.record_filing(domestic, users["admin"], material, {"form": "8-K"})
    [pending] = open_clocks(domestic, D("2024-12-27"))
    assert pending.filing is not None and pending.filed_on is None  # pending does not stop it
    services.update_filing(domestic, users["admin"], pending.filing, {"filed_on": D("2024-12-27")})
    assert open_clocks(domestic, D("2024-12-27")) == []


def test_overdue_after_the_due_date(domestic, material):
    [item] = open_clocks(domestic, D("2025-01-02"))
    assert item.overdue and item.business_days_left == -2  # 31 Dec and 2 Jan; 1 Jan closed
    assert item.business_days_overdue == 2


def test_not_material_or_undetermined_incidents_run_no_clock(domestic, users, make_incident):
    determine(domestic, users, make_incident("Minor"), "2024-12-20", material=False)
    make_incident("Not determined yet")
    assert open_clocks(domestic, D("2024-12-23")) == []


def test_delays_move_the_due_date(domestic, users, material):
    services.record_ag_delay(
        domestic,
        users["admin"],
        material,
        {
            "days": 30,
            "requested_on": D("2024-12-23"),
            "written_determination": "AG-1",
            "national_security": False,
        },
    )
    [item] = open_clocks(domestic, D("2025-01-02"))
    assert item.due == D("2025-01-29") and not item.overdue and item.delayed
    assert item.deadline.due == D("2024-12-30")  # the count itself stays visible
    assert item.delay_periods == ((D("2024-12-31"), D("2025-01-29")),)


def test_pending_8ka_runs_its_own_clock(domestic, users, material):
    services.record_filing(
        domestic, users["admin"], material, {"form": "8-K", "filed_on": D("2024-12-27")}
    )
    services.record_filing(
        domestic,
        users["admin"],
        material,
        {"form": "8-K/A", "information_determined_on": D("2025-01-04")},
    )
    [item] = open_clocks(domestic, D("2025-01-13"))
    assert (item.form, item.due, item.overdue) == ("8-K/A", D("2025-01-10"), True)


def test_20f_filer_clock_is_a_6k_without_due_date(org, users, material):
    [item] = open_clocks(org, D("2024-12-27"))
    assert (item.form, item.due, item.business_days_left, item.overdue) == (
        "6-K",
        None,
        None,
        False,
    )
    assert "promptly" in item.deadline.note
    services.record_filing(
        org, users["admin"], material, {"form": "6-K", "filed_on": D("2024-12-23")}
    )
    assert open_clocks(org, D("2024-12-27")) == []


def test_clocks_are_sorted_by_due_date_and_scoped(
    domestic, other_org, users, make_incident, material
):
    later = determine(domestic, users, make_incident("Later"), "2025-01-04")
    elsewhere = services.create_incident(
        other_org, users["outsider"], {"title": "Theirs", "discovered_at": material.discovered_at}
    )
    services.determine_materiality(
        other_org, users["outsider"], elsewhere, True, D("2024-12-20"), "Theirs"
    )
    clocks = open_clocks(domestic, D("2024-12-23"))
    assert [c.incident for c in clocks] == [material, later]
    assert [c.incident for c in open_clocks(other_org, D("2024-12-23"))] == [elsewhere]


def test_query_count_does_not_grow_with_incidents(
    domestic, users, make_incident, django_assert_num_queries
):
    for n in range(4):
        incident = determine(domestic, users, make_incident(f"I{n}"), "2024-12-20")
        services.record_filing(domestic, users["admin"], incident, {"form": "8-K"})
    # Incidents, their delays, their filings, pending 8-K/As.
    with django_assert_num_queries(4):
        assert len(open_clocks(domestic, D("2024-12-23"))) == 4
