"""Disclosure pages for every role and the other organization's user."""

from __future__ import annotations

import pytest

from riskward.disclosure import elements as el
from riskward.disclosure import services
from riskward.disclosure.models import Disclosure, DisclosureVersion
from tests.conftest import ROLES
from tests.roles import APPROVERS, DISCLOSURE_READERS, EDITORS


@pytest.fixture
def draft(org, users):
    return services.start_annual(org, users["security_manager"], 2024)


def _url(version, tail=""):
    return f"/disclosure/{version.disclosure_id}/v{version.number}/{tail}"


@pytest.mark.parametrize("role", ROLES)
def test_index_and_version_are_for_disclosure_readers(client_as, draft, role):
    client = client_as(role)
    index = client.get("/disclosure/")
    page = client.get(_url(draft))
    if role in DISCLOSURE_READERS:
        assert index.status_code == page.status_code == 200
        assert b"FY2024 Form 20-F Item 16K" in index.content
        text = page.content.decode()
        for element in el.annual_elements():
            if element.is_flag:
                assert element.label in text  # every flag shown with its label
        assert draft.evidence[el.FLAG_INTEGRATED]["reason"] in text.replace("&#x27;", "'")
        assert ("Send for review" in text) == (role in EDITORS)
    elif role == "outsider":
        assert index.status_code == 200 and b"FY2024" not in index.content
        assert page.status_code == 404
    else:
        assert (index.status_code, page.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
def test_start_is_for_editors(client_as, org, role):
    response = client_as(role).post("/disclosure/start/", {"fiscal_year": 2025})
    created = Disclosure.objects.filter(organization=org, fiscal_year=2025).exists()
    assert created == (role in EDITORS)
    if role in EDITORS:
        assert response.status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_edit_texts_is_for_editors(client_as, draft, role):
    data = {el.TEXT_BOARD_COMMITTEE: "risk committee"}
    response = client_as(role).post(_url(draft, "edit/"), data)
    draft.refresh_from_db()
    changed = draft.facts.get(el.TEXT_BOARD_COMMITTEE) == "risk committee"
    assert changed == (role in EDITORS)
    if role == "outsider":
        assert response.status_code == 404
    elif role not in EDITORS:
        assert response.status_code == 403


def test_editing_an_approved_version_from_the_page_makes_version_two(client_as, org, users, draft):
    version = services.submit_for_review(org, users["security_manager"], draft)
    services.approve(org, users["admin"], version)
    response = client_as("admin").post(_url(draft, "edit/"), {el.TEXT_EXPERTISE: "New words."})
    newer = DisclosureVersion.objects.get(disclosure=draft.disclosure, number=2)
    assert response.status_code == 302 and response["Location"] == newer.get_absolute_url()
    assert newer.facts[el.TEXT_EXPERTISE] == "New words."


@pytest.mark.parametrize("role", ROLES)
def test_approve_is_for_approvers_other_than_the_submitter(client_as, org, users, draft, role):
    services.submit_for_review(org, users["security_manager"], draft)
    client_as(role).post(_url(draft, "approve/"))
    draft.refresh_from_db()
    assert (draft.status == "approved") == (role in APPROVERS)


def test_send_back_without_a_note_shows_the_error(client_as, org, users, draft):
    services.submit_for_review(org, users["security_manager"], draft)
    response = client_as("admin").post(_url(draft, "send-back/"), {"review_note": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    draft.refresh_from_db()
    assert draft.status == "in_review"


def test_an_unknown_step_is_refused(client_as, draft):
    response = client_as("admin").post(_url(draft, "teleport/"))
    assert response.status_code == 422
    assert b"teleport" in response.content


def test_compare_shows_changed_words(client_as, org, users, draft):
    version = services.submit_for_review(org, users["security_manager"], draft)
    approved = services.approve(org, users["admin"], version)
    services.edit_texts(org, users["admin"], approved, {el.TEXT_BOARD_COMMITTEE: "risk committee"})
    response = client_as("auditor").get(f"/disclosure/{draft.disclosure_id}/compare/?a=1&b=2")
    assert response.status_code == 200
    assert (
        b"<ins>risk committee</ins>" in response.content or b"<ins>risk</ins>" in response.content
    )


@pytest.mark.parametrize("kind, magic", [("txt", b"Cybersecurity"), ("pdf", b"%PDF")])
def test_downloads_are_attachments_of_the_right_kind(client_as, draft, kind, magic):
    response = client_as("board_member").get(_url(draft, f"download/{kind}/"))
    assert response.status_code == 200
    assert response.content.startswith(magic) or magic in response.content[:400]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_inline_xbrl_download_is_xhtml_with_the_facts(client_as, draft):
    response = client_as("auditor").get(_url(draft, "download/htm/"))
    assert response.status_code == 200
    assert b"http://www.xbrl.org/2013/inlineXBRL" in response.content
    assert el.FLAG_INTEGRATED.encode() in response.content
    assert "attachment" in response["Content-Disposition"]


def test_an_unknown_download_kind_is_a_clear_error(client_as, draft):
    response = client_as("auditor").get(_url(draft, "download/exe/"))
    assert response.status_code == 422
    assert b"kind" in response.content
