"""The dashboard page for every role, its heat map, its sections and its query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from riskward.incidents import services as incident_services
from riskward.risks import services as risks
from tests.conftest import PASSWORD, ROLES
from tests.roles import DASHBOARD, READERS

URL = "/dashboard/"


def test_url_name_is_the_mount_point():
    assert reverse("dashboard:home") == URL


@pytest.mark.parametrize("role", ROLES)
def test_every_dashboard_role_sees_its_own_organization(client_as, known_risks, role):
    response = client_as(role).get(URL)
    assert response.status_code == 200
    mine = b"Ransomware on servers" in response.content
    assert mine == (role in DASHBOARD)
    if role == "outsider":  # an admin elsewhere sees their own, empty, program
        assert b"Other Corp" in response.content
        assert response.context["overview"].heatmaps[0].total == 0


def test_anonymous_visitor_is_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_user_without_an_organization_is_refused(db, django_user_model):
    user = django_user_model.objects.create_user("loner", password=PASSWORD)
    client = Client()
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_sign_in_lands_on_the_dashboard(users):
    client = Client()
    response = client.post(
        reverse("core:login"), {"username": "board_member", "password": PASSWORD}
    )
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == URL


@pytest.mark.parametrize("role", sorted(DASHBOARD))
def test_links_to_registers_only_for_roles_that_may_open_them(client_as, known_risks, role):
    html = client_as(role).get(URL).content.decode()
    risk_link = f'href="{known_risks["ransomware"].get_absolute_url()}"'
    assert (risk_link in html) == (role in READERS)
    assert ("/risks/risk/?inherent_cell=" in html) == (role in READERS)


def test_heat_maps_count_open_rated_risks_per_cell(client_as, known_risks):
    inherent, residual = client_as("auditor").get(URL).context["overview"].heatmaps
    assert (inherent.kind, residual.kind) == ("inherent", "residual")
    assert inherent.total == residual.total == 3  # closed and unrated risks are left out
    counts = {
        (kind.kind, 5 - row, impact + 1): tile.count
        for kind in (inherent, residual)
        for row, (_label, tiles) in enumerate(kind.rows)
        for impact, tile in enumerate(tiles)
        if tile.count
    }
    assert counts == {
        ("inherent", 5, 5): 2,
        ("inherent", 4, 3): 1,
        ("residual", 3, 4): 1,
        ("residual", 2, 2): 1,
        ("residual", 4, 3): 1,  # no residual rating yet: it stays where it was
    }


def test_heat_map_cell_is_coloured_labelled_and_linked(client_as, known_risks):
    response = client_as("security_manager").get(URL)
    top_right = response.context["overview"].heatmaps[0].rows[0][1][4]
    assert (top_right.count, top_right.level) == (2, 5)
    assert top_right.url == "/risks/risk/?inherent_cell=5-5"
    html = response.content.decode()
    assert (
        '<td class="lvl-5 filled">\n              <a href="/risks/risk/?inherent_cell=5-5" '
        'aria-label="2 risks: likelihood Almost certain, impact Severe, band Very high">2</a>'
    ) in html
    assert 'aria-label="0 risks: likelihood Rare, impact Negligible, band Very low"' in html


def test_kpi_tiles_show_the_program_figures(client_as, known_risks, actions, compliance):
    kpis = {k.label: k for k in client_as("admin").get(URL).context["overview"].kpis}
    assert kpis["Open risks"].value == "4"
    assert kpis["Open risks"].detail == "1 not yet rated"
    # Ransomware (residual 3x4) and phishing (no residual; inherent 4x3) are High; DDoS is Low.
    assert kpis["High or very high residual"].value == "2"
    assert kpis["Controls implemented"].value == "67%"
    assert kpis["Controls implemented"].detail == "2 of 3 controls"
    assert kpis["Evidence expiring"].value == "1"
    assert kpis["Evidence expiring"].tone == "bad"  # one has already expired


def test_top_risks_and_overdue_reviews(client_as, org, users, known_risks, today):
    risks.update_risk(
        org,
        users["admin"],
        known_risks["ddos"],
        {"review_interval_days": 30, "last_reviewed_on": today - timedelta(days=40)},
    )
    overview = client_as("risk_owner").get(URL).context["overview"]
    assert [r.title for r in overview.top_risks][:1] == ["Ransomware on servers"]
    assert "Old risk" not in [r.title for r in overview.top_risks]
    assert [r.title for r in overview.overdue_reviews.rows] == ["DDoS on the portal"]
    assert overview.overdue_reviews.total == 1


def test_actions_are_split_into_overdue_and_due_within_30_days(client_as, actions):
    response = client_as("auditor").get(URL)
    overview = response.context["overview"]
    assert [a.title for a in overview.actions_overdue.rows] == ["Immutable backups"]
    assert [a.title for a in overview.actions_due_soon.rows] == ["EDR on Linux"]
    assert b"Tabletop exercise" not in response.content  # due later than 30 days
    assert b"MFA everywhere" not in response.content  # done


def test_certification_and_committee_overdue_badges(client_as, compliance, committees):
    response = client_as("board_member").get(URL)
    overview = response.context["overview"]
    assert [c.overdue for c in overview.certifications] == [True]
    assert [(s.committee.name, s.overdue) for s in overview.committees] == [
        ("Board", False),
        ("Audit Committee", True),
    ]
    html = response.content.decode()
    assert "every 12 months" in html
    assert '<span class="badge bad">overdue</span>' in html


def test_training_quarters_show_gaps(client_as, training, today):
    response = client_as("admin").get(URL)
    quarters = response.context["overview"].training
    assert [q.label for q in quarters] == [f"Q{n} {today.year}" for n in range(1, 5)]
    assert quarters[0].state == "trained"
    chart = response.context["training_chart"]
    assert chart.bars[0].value == "1 session, 90% completed"
    if today.month > 3:  # Q2 has begun without training: still open, or a gap once ended
        assert quarters[1].state in {"open", "gap"}
    assert "Training completion per quarter" in response.content.decode()


def test_empty_program_shows_empty_states(client_as, users):
    html = client_as("admin").get(URL).content.decode()
    assert "No rated open risks yet." in html
    assert "No active certifications recorded." in html
    assert "No board or committees recorded." in html
    kpis = {k.label: k for k in client_as("admin").get(URL).context["overview"].kpis}
    assert (kpis["Controls implemented"].value, kpis["Controls implemented"].tone) == ("—", "")
    assert kpis["Open risks"].detail == "all rated"


def test_query_count_does_not_grow_with_data(
    client_as,
    org,
    users,
    owner,
    known_risks,
    compliance,
    committees,
    training,
    today,
    django_assert_max_num_queries,
):
    admin = users["admin"]
    for n in range(50):
        risk = risks.create_risk(
            org,
            admin,
            {
                "title": f"Risk {n}",
                "threat_source": "internal",
                "owner": owner,
                **{"inherent_likelihood": 1 + n % 5, "inherent_impact": 1 + n % 4},
                "review_interval_days": 1,
                "last_reviewed_on": today - timedelta(days=5),
            },
        )
        risks.create_action(
            org,
            admin,
            {
                "risk": risk,
                "title": f"Action {n}",
                "owner": owner,
                "due_on": today + timedelta(days=n % 40 - 10),
            },
        )
    client = client_as("admin")
    with django_assert_max_num_queries(22):
        response = client.get(URL)
    assert response.context["overview"].overdue_reviews.total == 50
    assert len(response.context["overview"].overdue_reviews.rows) == 8
    assert b'href="/risks/risk/?review_overdue=true">42 more in the register' in response.content


@pytest.mark.parametrize("kind", ["inherent", "residual"])
def test_each_heat_map_cell_links_to_exactly_the_risks_it_counts(client_as, known_risks, kind):
    client = client_as("auditor")
    grid = {"inherent": 0, "residual": 1}[kind]
    for _label, tiles in client.get(URL).context["overview"].heatmaps[grid].rows:
        for tile in tiles:
            listed = client.get(tile.url).context["listed"].page.paginator.count
            assert listed == tile.count, tile.label


def test_the_filing_clock_tile_counts_running_clocks_and_overdue_ones(client_as, org, users):
    incident = incident_services.create_incident(
        org, users["admin"], {"title": "Ransomware", "discovered_at": "2024-12-18T09:00:00Z"}
    )
    incident_services.determine_materiality(
        org, users["admin"], incident, True, date(2024, 12, 20), "ERP down for days."
    )
    org.filer_type = "10-K"  # an 8-K clock, due 2024-12-30: long overdue today
    org.save()
    kpis = client_as("board_member").get(URL).context["overview"].kpis
    tile = next(k for k in kpis if k.label == "Filing clocks running")
    assert (tile.value, tile.detail, tile.tone) == ("1", "1 overdue", "bad")
