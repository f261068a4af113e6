"""Every program page for every role, and the other organization's user."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskward.program.models import Drill, DrillAction, TrainingSession
from tests.conftest import ROLES
from tests.roles import DASHBOARD, EDITORS, READERS

# (URL segment, fixture with one row, model, field, valid form for a new row, its marker value)
REGISTERS = {
    "training": (
        "training",
        TrainingSession,
        "topic",
        {"held_on": "2024-05-02", "topic": "Secure coding", "invited": 10, "completed": 7},
    ),
    "drill": (
        "drill",
        Drill,
        "title",
        {"held_on": "2024-05-02", "title": "Tabletop two", "organizer_kind": "internal"},
    ),
    "drill-action": (
        "others_action",
        DrillAction,
        "title",
        {"title": "Rotate keys", "status": "open"},
    ),
}


def _form(request, segment):
    data = dict(REGISTERS[segment][3])
    if segment == "drill-action":
        data["drill"] = request.getfixturevalue("drill").pk
    return data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("segment", REGISTERS)
def test_list_and_detail_are_for_readers_only(request, client_as, role, segment):
    fixture, _, field, _ = REGISTERS[segment]
    row = request.getfixturevalue(fixture)
    client = client_as(role)
    listing = client.get(f"/program/{segment}/")
    detail = client.get(f"/program/{segment}/{row.pk}/")
    if role in READERS:
        assert (listing.status_code, detail.status_code) == (200, 200)
        assert getattr(row, field).encode() in listing.content
        assert getattr(row, field).encode() in detail.content
    elif role == "outsider":
        assert listing.status_code == 200
        assert getattr(row, field).encode() not in listing.content
        assert detail.status_code == 404
    else:
        assert (listing.status_code, detail.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("segment", REGISTERS)
def test_create_is_for_editors_only(request, client_as, org, role, segment):
    _, model, field, form = REGISTERS[segment]
    data = _form(request, segment)
    response = client_as(role).post(f"/program/{segment}/new/", data)
    ours = model.objects.filter(organization=org, **{field: form[field]}).exists()
    assert ours == (role in EDITORS)
    if role in EDITORS:
        assert response.status_code == 302
    elif role == "outsider" and segment != "drill-action":
        assert response.status_code == 302  # into their own organization
        assert model.objects.get(**{field: form[field]}).organization.legal_name == "Other Corp"
    elif role == "outsider":
        assert response.status_code == 400  # our drill is not theirs to choose
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("segment", REGISTERS)
def test_edit_and_delete_are_for_editors_only(request, client_as, role, segment):
    fixture, model, field, _ = REGISTERS[segment]
    row = request.getfixturevalue(fixture)
    data = {**_form(request, segment), field: "Renamed"}
    client = client_as(role)
    edited = client.post(f"/program/{segment}/{row.pk}/edit/", data)
    row.refresh_from_db()
    assert (getattr(row, field) == "Renamed") == (role in EDITORS)
    deleted = client.post(f"/program/{segment}/{row.pk}/delete/")
    assert model.objects.filter(pk=row.pk).exists() == (role not in EDITORS)
    if role == "outsider":
        assert (edited.status_code, deleted.status_code) == (404, 404)
    elif role not in EDITORS:
        assert (edited.status_code, deleted.status_code) == (403, 403)


def test_risk_owner_edits_their_own_drill_action_only(client_as, drill, action, others_action):
    client = client_as("risk_owner")
    form = {"drill": drill.pk, "title": "Mine, renamed", "status": "open"}
    assert client.post(f"/program/drill-action/{action.pk}/edit/", form).status_code == 302
    other = client.post(f"/program/drill-action/{others_action.pk}/edit/", form)
    assert other.status_code == 403
    action.refresh_from_db()
    others_action.refresh_from_db()
    assert (action.title, others_action.title) == ("Mine, renamed", "Patch the VPN")
    assert client.post(f"/program/drill-action/{action.pk}/delete/").status_code == 403


def test_invalid_training_form_names_the_field(client_as, org):
    response = client_as("admin").post(
        "/program/training/new/",
        {"held_on": "2024-05-02", "topic": "T", "invited": 5, "completed": 6},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["completed"] == ["Cannot exceed the number invited (5)."]
    assert not TrainingSession.objects.exists()


def test_head_count_error_from_the_service_lands_on_its_field(client_as, org, rita, colleague):
    response = client_as("admin").post(
        "/program/drill/new/",
        {
            "held_on": "2024-05-02",
            "title": "T",
            "organizer_kind": "internal",
            "participants": [rita.pk, colleague.pk],
            "participant_count": 1,
        },
    )
    assert response.status_code == 400
    assert "participant_count" in response.context["form"].errors


@pytest.mark.parametrize("role", ROLES)
def test_training_by_quarter_is_for_dashboard_roles(client_as, training, role):
    response = client_as(role).get("/program/training/by-quarter/", {"year": 2024})
    if role in DASHBOARD:
        assert response.status_code == 200
        assert b"Phishing awareness" in response.content
        assert (b'href="/program/training/' in response.content) == (role in READERS)
    elif role == "outsider":
        assert response.status_code == 200
        assert b"Phishing awareness" not in response.content
    else:
        assert response.status_code == 403


def test_training_by_quarter_shows_gaps_and_future_quarters(client_as, training, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2024, 8, 15))
    response = client_as("auditor").get("/program/training/by-quarter/")
    assert response.context["year"] == 2024
    assert [q.state for q in response.context["quarters"]] == ["trained", "gap", "open", "future"]
    assert b"1 quarter without training: Q2 2024" in response.content
    assert response.context["years"] == [2024]


def test_year_selector_lists_years_with_training_and_ignores_nonsense(client_as, org, training):
    TrainingSession.objects.create(organization=org, held_on=date(2021, 1, 5), topic="Old")
    client = client_as("admin")
    chosen = client.get("/program/training/by-quarter/", {"year": "2021"})
    assert chosen.context["year"] == 2021
    assert {2024, 2021} <= set(chosen.context["years"])
    assert b'<option value="2021" selected>' in chosen.content
    for bad in ("abc", "99999", "-1"):
        fallback = client.get("/program/training/by-quarter/", {"year": bad})
        assert fallback.context["year"] == date.today().year


@pytest.mark.parametrize("role", ROLES)
def test_adding_an_action_from_the_drill_page(client_as, org, drill, rita, role):
    client = client_as(role)
    page = client.get(f"/program/drill/{drill.pk}/")
    response = client.post(
        f"/program/drill/{drill.pk}/actions/new/",
        {"title": "Brief the board", "owner": rita.pk, "due_on": "2024-09-30"},
    )
    made = DrillAction.objects.filter(drill=drill, title="Brief the board").first()
    assert (made is not None) == (role in EDITORS)
    if role in EDITORS:
        assert b"Add a follow-up action" in page.content
        assert response.status_code == 302
        assert response["Location"] == f"/program/drill/{drill.pk}/"
        assert (made.owner, made.due_on, made.status) == (rita, date(2024, 9, 30), "open")
    elif role == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        assert b"Add a follow-up action" not in page.content


def test_add_action_form_errors_are_shown_on_their_own_page(client_as, drill):
    client = client_as("admin")
    assert client.get(f"/program/drill/{drill.pk}/actions/new/").status_code == 200
    response = client.post(f"/program/drill/{drill.pk}/actions/new/", {"title": ""})
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not DrillAction.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_completing_an_action_per_role(client_as, action, others_action, role):
    client = client_as(role)
    mine = client.post(
        f"/program/drill-action/{action.pk}/complete/", {"completed_on": "2024-07-01"}
    )
    theirs = client.post(
        f"/program/drill-action/{others_action.pk}/complete/", {"completed_on": "2024-07-01"}
    )
    action.refresh_from_db()
    others_action.refresh_from_db()
    assert (action.status == "done") == (role in EDITORS | {"risk_owner"})
    assert (others_action.status == "done") == (role in EDITORS)
    if role in EDITORS:
        assert (mine.status_code, theirs.status_code) == (302, 302)
    elif role == "risk_owner":
        assert (mine.status_code, theirs.status_code) == (302, 403)
    elif role == "outsider":
        assert (mine.status_code, theirs.status_code) == (404, 404)
    else:
        assert (mine.status_code, theirs.status_code) == (403, 403)


def test_complete_needs_post_and_a_date(client_as, action):
    client = client_as("admin")
    assert client.get(f"/program/drill-action/{action.pk}/complete/").status_code == 405
    response = client.post(f"/program/drill-action/{action.pk}/complete/", {}, follow=True)
    assert b"Completed on: give the date" in response.content
    action.refresh_from_db()
    assert action.status == "open"


def test_drill_page_lists_actions_with_complete_buttons_for_their_editors(
    client_as, drill, action, others_action
):
    content = client_as("risk_owner").get(f"/program/drill/{drill.pk}/").content.decode()
    assert "Update the call tree" in content and "Patch the VPN" in content
    assert f"/program/drill-action/{action.pk}/complete/" in content
    assert f"/program/drill-action/{others_action.pk}/complete/" not in content


def test_drill_action_list_filters_overdue(client_as, org, drill, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2024, 7, 1))
    for title, due in (("late", date(2024, 6, 30)), ("on time", date(2024, 7, 1))):
        DrillAction.objects.create(organization=org, drill=drill, title=title, due_on=due)
    listed = client_as("auditor").get("/program/drill-action/", {"overdue": "true"})
    assert [a.title for a in listed.context["listed"].page] == ["late"]


def test_training_list_filters_by_year_and_searches(client_as, org, training):
    TrainingSession.objects.create(organization=org, held_on=date(2023, 5, 1), topic="Old topic")
    client = client_as("auditor")
    in_2023 = client.get("/program/training/", {"year": "2023"}).context["listed"]
    assert [t.topic for t in in_2023.page] == ["Old topic"]
    assert (
        client.get("/program/training/", {"year": "x"}).context["listed"].page.paginator.count == 0
    )
    found = client.get("/program/training/", {"q": "phish"}).context["listed"]
    assert [t.topic for t in found.page] == ["Phishing awareness"]


def test_list_pages_link_the_program_registers(client_as, training):
    content = client_as("auditor").get("/program/drill/").content
    for url in (b"/program/training/", b"/program/training/by-quarter/", b"/program/drill-action/"):
        assert url in content


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        ("/program/training/", 6),
        ("/program/drill/", 5),
        ("/program/drill-action/", 7),
        ("/program/training/by-quarter/?year=2024", 5),
    ],
)
def test_list_query_counts_are_pinned(client_as, org, drill, rita, url, pinned):
    client = client_as("admin")

    def grow(n):
        for i in range(n):
            TrainingSession.objects.create(
                organization=org, held_on=date(2024, 1 + i % 12, 1), topic=f"T{i}"
            )
            other = Drill.objects.create(organization=org, held_on=date(2024, 1, 1), title=f"D{i}")
            DrillAction.objects.create(organization=org, drill=other, title=f"A{i}", owner=rita)

    grow(1)
    few = _queries(client, url)
    grow(40)
    assert _queries(client, url) == few == pinned


def test_drill_detail_query_count_does_not_grow_with_actions(client_as, org, drill, rita):
    client = client_as("admin")
    DrillAction.objects.create(organization=org, drill=drill, title="A", owner=rita)
    few = _queries(client, f"/program/drill/{drill.pk}/")
    for i in range(30):
        DrillAction.objects.create(organization=org, drill=drill, title=f"A{i}", owner=rita)
    drill.participants.add(rita)
    assert _queries(client, f"/program/drill/{drill.pk}/") == few
