"""Forms a screen reader can use: every field labelled, every description it points at present."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from riskward.risks import services as risk_services

pytestmark = pytest.mark.browser

# Fields the browser shows, and the ids their aria-describedby names that are missing.
PROBLEMS = """
() => [...document.querySelectorAll("main input, main select, main textarea")]
  .filter(el => el.type !== "hidden")
  .flatMap(el => [
    ...(el.labels.length || el.getAttribute("aria-label") ? [] : [`${el.name}: no label`]),
    ...(el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean)
      .filter(id => !document.getElementById(id))
      .map(id => `${el.name}: aria-describedby names missing #${id}`),
  ])
"""


def problems(page: Page, path: str) -> list[str]:
    page.goto(path)
    return [f"{path} {problem}" for problem in page.evaluate(PROBLEMS)]


def test_every_field_has_a_label_and_its_help_text(page: Page, sign_in, org, users):
    rated = {"inherent_likelihood": 3, "inherent_impact": 4}  # so acceptance can be asked
    risk = risk_services.create_risk(
        org, users["admin"], {"title": "Phishing", "threat_source": "external", **rated}
    )
    found = problems(page, "/login/")
    sign_in("admin")
    for path in (
        "/risks/risk/new/",
        f"/risks/risk/{risk.pk}/",  # assessment, treatment and acceptance forms
        "/assets/asset/new/",
        "/controls/control/new/",
        "/controls/evidence/new/",
    ):
        found += problems(page, path)
    page.get_by_role("button", name="Save").click()  # errors are described to the field too
    expect(page.get_by_role("alert").first).to_be_visible()
    found += [f"(with errors) {problem}" for problem in page.evaluate(PROBLEMS)]
    assert not found, "\n".join(found)
