"""The shared layout arrives whole: its stylesheet, the dashboard's, and htmx all load."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Response

pytestmark = pytest.mark.browser


def test_pages_load_their_stylesheets_and_scripts(page: Page, sign_in):
    missing: list[str] = []

    def check(response: Response) -> None:
        if "/static/" in response.url and not response.ok:
            missing.append(f"{response.status} {response.url}")

    page.on("response", check)
    page.goto("/login/", wait_until="load")
    sign_in("admin")
    page.wait_for_load_state("load")
    assert missing == []
    stylesheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert any(href.endswith("/css/riskward.css") for href in stylesheets)
    assert any(href.endswith("/dashboard/dashboard.css") for href in stylesheets)
    assert page.evaluate("typeof window.htmx") == "object"
