"""Browser fixtures: Chromium started once for the browser tests, a fresh context per test.

Tests drive the system Chromium (never a downloaded one) against pytest-django's `live_server`
and sign in through the real login form, so sessions, CSRF and redirects are exercised too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
DASHBOARD_URL = re.compile(r"/dashboard/$")
FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all browser tests of a worker.

    Package scope (not session) so that it, and the event loop Playwright's sync API keeps
    running on this thread, stop before the worker moves on to the rest of the suite.
    Django refuses ORM calls while a loop runs on the thread; the app has no async code, so
    allowing them here hides nothing.
    """
    patch = pytest.MonkeyPatch()
    patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        patch.undo()


@pytest.fixture
def page(browser: Browser, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new context (cookies, storage) per test, so no test inherits another's session.

    A failing test leaves a full-page screenshot in test-results/ to show what it saw.
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    if request.node.stash.get(FAILED, False):
        shots = request.config.rootpath / "test-results"
        shots.mkdir(exist_ok=True)
        tab.screenshot(path=shots / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture
def sign_in(page: Page, users: dict[str, Any]) -> Callable[[str], Page]:
    """Sign in through the login form as the user of `role` and land on the dashboard."""

    def go(role: str) -> Page:
        page.goto("/login/")
        page.get_by_label("Username", exact=True).fill(users[role].username)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(DASHBOARD_URL)
        return page

    return go
