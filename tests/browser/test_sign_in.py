"""Signing in with a keyboard alone, and what a board member may and may not open."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import DASHBOARD_URL
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_login_form_is_labelled_and_works_from_the_keyboard(page: Page, users):
    page.goto("/login/")
    unlabelled = page.locator("form input:not([type=hidden])").evaluate_all(
        "inputs => inputs.filter(i => i.labels.length === 0).map(i => i.name)"
    )
    assert unlabelled == []
    username = page.get_by_label("Username", exact=True)
    expect(username).to_be_focused()  # autofocus: typing can start at once
    page.keyboard.type(users["security_manager"].username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.get_by_role("link", name=re.compile("security_manager"))).to_be_visible()


def test_wrong_password_is_announced_and_keeps_the_user_out(page: Page, users):
    page.goto("/login/")
    page.get_by_label("Username", exact=True).fill(users["admin"].username)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Wrong username, password or authenticator code."
    )
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/dashboard/$"))


def test_board_member_sees_the_dashboard_but_not_the_register(page: Page, sign_in):
    sign_in("board_member")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cybersecurity program")
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(sections.get_by_role("link", name="Risks")).to_have_count(0)
    response = page.goto("/risks/")  # the area's address leads to the register, then stops
    assert response is not None and response.status == 403
    assert response.url.endswith(reverse("risks:risk_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
