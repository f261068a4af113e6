"""Every governance page for every role, and the other organization's user."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)
from tests.conftest import ROLES
from tests.roles import EDITORS, READERS

# URL segment: (fixture with one row, model, text field, form for a new row (ids filled in
# by _form), whether the form refers to our rows so an outsider's copy is refused)
REGISTERS = {
    "committee": (
        "audit_committee",
        Committee,
        "name",
        {"name": "Risk Committee", "kind": "committee", "reporting_cadence_months": 12},
        False,
    ),
    "meeting": (
        "meeting",
        Meeting,
        "agenda",
        {"committee": "audit_committee", "held_on": "2024-05-01", "agenda": "Q2 review"},
        True,
    ),
    "report": (
        "report",
        CommitteeReport,
        "title",
        {
            "committee": "audit_committee",
            "title": "Internal control report",
            "presented_on": "2024-05-01",
            "from_department": "internal_audit",
        },
        True,
    ),
    "policy": (
        "others_policy",
        Policy,
        "title",
        {"title": "Access Policy", "status": "draft", "review_interval_months": 12},
        False,
    ),
    "responsibility": (
        "responsibility",
        ResponsibilityAssignment,
        "title",
        {"person": "director", "title": "CISO", "reports_to_committee": "audit_committee"},
        True,
    ),
}


def _form(request, segment):
    data = {}
    for key, value in REGISTERS[segment][3].items():
        if key in ("committee", "from_department", "person", "reports_to_committee"):
            value = request.getfixturevalue(value).pk
        data[key] = value
    return data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("segment", [*REGISTERS, "membership"])
def test_list_and_detail_are_for_readers_only(request, client_as, role, segment):
    if segment == "membership":
        row, text = request.getfixturevalue("membership"), "Dana Director"
    else:
        fixture, _, field, _, _ = REGISTERS[segment]
        row = request.getfixturevalue(fixture)
        text = getattr(row, field)
    client = client_as(role)
    listing = client.get(f"/governance/{segment}/")
    detail = client.get(f"/governance/{segment}/{row.pk}/")
    if role in READERS:
        assert (listing.status_code, detail.status_code) == (200, 200)
        assert text.encode() in listing.content
        assert text.encode() in detail.content
    elif role == "outsider":
        assert listing.status_code == 200
        assert text.encode() not in listing.content
        assert detail.status_code == 404
    else:
        assert (listing.status_code, detail.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("segment", REGISTERS)
def test_create_is_for_editors_only(request, client_as, org, role, segment):
    _, model, field, form, refers_to_ours = REGISTERS[segment]
    response = client_as(role).post(f"/governance/{segment}/new/", _form(request, segment))
    assert model.objects.filter(organization=org, **{field: form[field]}).exists() == (
        role in EDITORS
    )
    if role in EDITORS:
        assert response.status_code == 302
    elif role == "outsider" and refers_to_ours:
        assert response.status_code == 400  # our rows are not theirs to choose
    elif role == "outsider":
        assert response.status_code == 302  # into their own organization
        assert model.objects.get(**{field: form[field]}).organization.legal_name == "Other Corp"
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("segment", REGISTERS)
def test_edit_and_delete_are_for_editors_only(request, client_as, role, segment):
    fixture, model, field, _, _ = REGISTERS[segment]
    row = request.getfixturevalue(fixture)
    client = client_as(role)
    edited = client.post(
        f"/governance/{segment}/{row.pk}/edit/", {**_form(request, segment), field: "Renamed"}
    )
    row.refresh_from_db()
    assert (getattr(row, field) == "Renamed") == (role in EDITORS)
    deleted = client.post(f"/governance/{segment}/{row.pk}/delete/")
    assert model.objects.filter(pk=row.pk).exists() == (role not in EDITORS)
    if role == "outsider":
        assert (edited.status_code, deleted.status_code) == (404, 404)
    elif role not in EDITORS:
        assert (edited.status_code, deleted.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
def test_membership_edit_and_delete_per_role(client_as, membership, audit_committee, role):
    client = client_as(role)
    form = {
        "committee": audit_committee.pk,
        "person": membership.person_id,
        "role": "member",
        "since": "2021-06-01",
    }
    client.post(f"/governance/membership/{membership.pk}/edit/", form)
    membership.refresh_from_db()
    assert (membership.since == date(2021, 6, 1)) == (role in EDITORS)
    client.post(f"/governance/membership/{membership.pk}/delete/")
    assert CommitteeMembership.objects.filter(pk=membership.pk).exists() == (role not in EDITORS)


def test_deleting_a_committee_with_meetings_explains_why_not(client_as, audit_committee, meeting):
    response = client_as("admin").post(
        f"/governance/committee/{audit_committee.pk}/delete/", follow=True
    )
    assert b"Still referenced by: meeting" in response.content
    assert Committee.objects.filter(pk=audit_committee.pk).exists()


def test_risk_owner_edits_the_policy_they_own(client_as, policy, others_policy):
    client = client_as("risk_owner")
    form = {"title": "Renamed", "status": "draft", "review_interval_months": 12}
    assert client.post(f"/governance/policy/{policy.pk}/edit/", form).status_code == 302
    assert client.post(f"/governance/policy/{others_policy.pk}/edit/", form).status_code == 403
    assert client.post(f"/governance/policy/{policy.pk}/delete/").status_code == 403
    policy.refresh_from_db()
    assert policy.title == "Renamed"


def test_committee_list_shows_the_reporting_cadence(
    client_as, board, audit_committee, report, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 11, 21))
    response = client_as("auditor").get("/governance/committee/")
    statuses = {s.committee.name: s for s in response.context["statuses"]}
    assert statuses["Audit Committee"].next_due == date(2025, 11, 20)
    assert statuses["Audit Committee"].overdue
    content = response.content.decode()
    assert "Reporting cadence" in content
    assert '<span class="badge bad">Overdue: due 2025-11-20</span>' in content
    assert '<span class="badge ">No cadence</span>' in content
    for url in ("/governance/meeting/", "/governance/report/", "/governance/policy/"):
        assert url in content
    assert "/governance/responsibility/" in content


def test_committee_list_htmx_gets_the_table_alone(client_as, audit_committee):
    response = client_as("admin").get(
        "/governance/committee/", {"sort": "-name"}, headers={"HX-Request": "true"}
    )
    assert b"<table" in response.content
    assert b"cadence-heading" not in response.content
    assert b"<html" not in response.content


def test_committee_list_filters_and_searches(client_as, board, audit_committee):
    client = client_as("auditor")
    boards = client.get("/governance/committee/", {"kind": "board"}).context["listed"]
    assert [c.name for c in boards.page] == ["Board of Directors"]
    found = client.get("/governance/committee/", {"q": "cybersecurity"}).context["listed"]
    assert [c.name for c in found.page] == ["Audit Committee"]


def test_committee_page_shows_members_oversight_reports_meetings_and_status(
    client_as, audit_committee, membership, report, responsibility, evidence, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 1, 10))
    report.attachments.add(evidence)
    response = client_as("auditor").get(f"/governance/committee/{audit_committee.pk}/")
    content = response.content.decode()
    assert "Dana Director</a> — Chair" in content
    assert "Oversight of cybersecurity risk, delegated by the board." in content
    assert "Internal audit: cybersecurity 2024" in content
    assert "Internal Audit" in content
    assert "Annual cybersecurity review" in content
    assert "Head of Research and Development" in content
    assert '<span class="badge ok">On track</span>' in content
    assert response.context["cadence"].next_due == date(2025, 11, 20)
    assert response.context["reports"][0].attachment_count == 1
    assert "Add member" not in content  # auditors read only


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_member_from_the_committee_page(client_as, audit_committee, rita, role):
    client = client_as(role)
    page = client.get(f"/governance/committee/{audit_committee.pk}/")
    response = client.post(
        f"/governance/committee/{audit_committee.pk}/members/new/",
        {"person": rita.pk, "role": "member", "since": "2023-01-01"},
    )
    seat = CommitteeMembership.objects.filter(committee=audit_committee, person=rita).first()
    assert (seat is not None) == (role in EDITORS)
    if role in EDITORS:
        assert b"Add member" in page.content
        assert response["Location"] == f"/governance/committee/{audit_committee.pk}/"
        assert seat.since == date(2023, 1, 1)
    else:
        assert response.status_code == (404 if role == "outsider" else 403)


def test_second_chair_error_lands_on_the_role_field(client_as, audit_committee, membership, rita):
    url = f"/governance/committee/{audit_committee.pk}/members/new/"
    client = client_as("admin")
    assert client.get(url).status_code == 200
    response = client.post(url, {"person": rita.pk, "role": "chair"})
    assert response.status_code == 400
    assert response.context["form"].errors["role"] == ["role: this committee already has a chair"]


@pytest.mark.parametrize("role", ROLES)
def test_approving_a_policy_per_role(client_as, policy, role):
    client = client_as(role)
    page = client.get(f"/governance/policy/{policy.pk}/")
    response = client.post(
        f"/governance/policy/{policy.pk}/approve/",
        {"approved_on": "2024-09-01", "version": "3.1"},
    )
    policy.refresh_from_db()
    assert (policy.status == "approved") == (role in EDITORS)
    if role in EDITORS:
        assert b"Record an approval" in page.content
        assert response.status_code == 302
        assert (policy.version, policy.next_review_on) == ("3.1", date(2025, 9, 1))
    else:
        assert b"Record an approval" not in page.content
        assert response.status_code == (404 if role == "outsider" else 403)


def test_approve_needs_post_and_a_date(client_as, policy):
    client = client_as("admin")
    assert client.get(f"/governance/policy/{policy.pk}/approve/").status_code == 405
    response = client.post(f"/governance/policy/{policy.pk}/approve/", {}, follow=True)
    assert b"Approved on: give the date" in response.content
    policy.status = "retired"
    policy.save()
    refused = client.post(
        f"/governance/policy/{policy.pk}/approve/", {"approved_on": "2024-01-01"}, follow=True
    )
    assert b"a retired policy cannot be approved" in refused.content


def test_overdue_policy_review_is_flagged(client_as, org, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 6, 2))
    policy = Policy.objects.create(
        organization=org,
        title="Old",
        status="approved",
        approved_on=date(2024, 6, 1),
        next_review_on=date(2025, 6, 1),
    )
    content = client_as("auditor").get(f"/governance/policy/{policy.pk}/").content
    assert b'<span class="badge bad">Review overdue</span>' in content


def test_report_page_links_its_attachments(client_as, report, evidence):
    report.attachments.add(evidence)
    content = client_as("auditor").get(f"/governance/report/{report.pk}/").content.decode()
    assert f'<a href="{evidence.get_absolute_url()}">IA report 2024</a>' in content


def test_meeting_page_lists_attendees_and_reports(client_as, meeting, report, director):
    meeting.attendees.add(director)
    content = client_as("auditor").get(f"/governance/meeting/{meeting.pk}/").content.decode()
    assert "Dana Director" in content
    assert "Internal audit: cybersecurity 2024" in content


def test_responsibility_form_names_the_reports_to_field(client_as, director):
    response = client_as("admin").post(
        "/governance/responsibility/new/", {"person": director.pk, "title": "CISO"}
    )
    assert response.status_code == 400
    assert "reports_to_person" in response.context["form"].errors


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(org, board, internal_audit, director, n):
    for _ in range(n):
        i = Committee.objects.count()
        committee = Committee.objects.create(
            organization=org, name=f"C{i}", parent=board, reporting_cadence_months=12
        )
        CommitteeMembership.objects.create(organization=org, committee=committee, person=director)
        meeting = Meeting.objects.create(
            organization=org, committee=committee, held_on=date.today()
        )
        meeting.attendees.add(director)
        CommitteeReport.objects.create(
            organization=org,
            committee=committee,
            title=f"R{i}",
            presented_on=date.today(),
            from_department=internal_audit,
            from_person=director,
            meeting=meeting,
        )
        Policy.objects.create(organization=org, title=f"P{i}", owner=director)
        ResponsibilityAssignment.objects.create(
            organization=org, person=director, title=f"T{i}", reports_to_committee=committee
        )


@pytest.mark.parametrize(
    ("segment", "pinned"),
    [
        ("committee", 7),
        ("membership", 6),
        ("meeting", 6),
        ("report", 7),
        ("policy", 6),
        ("responsibility", 7),
    ],
)
def test_list_query_counts_are_pinned(
    client_as, org, board, internal_audit, director, segment, pinned
):
    client = client_as("admin")
    _grow(org, board, internal_audit, director, 1)
    few = _queries(client, f"/governance/{segment}/")
    _grow(org, board, internal_audit, director, 30)
    assert _queries(client, f"/governance/{segment}/") == few == pinned


def test_committee_page_query_count_does_not_grow(
    client_as, org, audit_committee, internal_audit, director, rita, evidence
):
    client = client_as("admin")
    url = f"/governance/committee/{audit_committee.pk}/"
    few = _queries(client, url)
    for i in range(20):
        meeting = Meeting.objects.create(
            organization=org, committee=audit_committee, held_on=date(2024, 1, 1 + i)
        )
        meeting.attendees.add(director, rita)
        report = CommitteeReport.objects.create(
            organization=org,
            committee=audit_committee,
            title=f"R{i}",
            presented_on=date(2024, 1, 1 + i),
            from_department=internal_audit,
            from_person=director,
            meeting=meeting,
        )
        report.attachments.add(evidence)
    CommitteeMembership.objects.create(organization=org, committee=audit_committee, person=rita)
    assert _queries(client, url) == few


def test_report_form_query_count_does_not_grow_with_meetings(client_as, org, audit_committee):
    client = client_as("admin")
    few = _queries(client, "/governance/report/new/")
    for i in range(20):
        Meeting.objects.create(
            organization=org, committee=audit_committee, held_on=date(2024, 1, 1 + i)
        )
    assert _queries(client, "/governance/report/new/") == few
