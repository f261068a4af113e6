"""Open FAIR quantification in a real browser, as a security manager does it.

A risk with a linked control exists. The security manager opens its page, enters the estimates
(TEF, vulnerability, primary loss and the control's effect), first with a maximum below the
most likely value, which is refused next to its field with nothing saved, then correctly. They
run the simulation and read the figures, the loss exceedance curve with the materiality
threshold marked and its table, then run the portfolio and find the risk among its top
contributors.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from riskward.controls import services as control_services
from riskward.risks import services
from riskward.risks.models import RiskQuantification
from riskward.risks.quant import ENGINE_VERSION, numpy_version
from tests.risks.quant_support import SVG, svg_of

pytestmark = pytest.mark.browser

YEARS = "20000"
MONEY = re.compile(r"^USD \d[\d.,]*[KMB]?$")
EXCEED = "P(loss > USD 5M)"  # the org fixture's materiality threshold of 5,000,000
CONTROL = "CTL-001 Backups"  # the control's reference and name, as its fieldset shows it


@pytest.fixture
def risk(org, users):
    """The risk and its control, made through the services; nothing is quantified yet."""
    admin = users["admin"]
    backups = {"reference": "CTL-001", "name": "Backups", "control_type": "technical"}
    control = control_services.create_control(org, admin, {**backups, "function": "corrective"})
    data = {"title": "Ransomware on the ERP", "threat_source": "external", "controls": [control]}
    return services.create_risk(org, admin, data)


def test_estimate_run_and_read_a_quantified_risk(page: Page, sign_in, risk):
    sign_in("security_manager")
    page.goto(f"/risks/risk/{risk.pk}/")
    expect(page.get_by_role("heading", name="Quantified risk (Open FAIR)")).to_be_visible()
    expect(page.get_by_text("Not quantified yet.")).to_be_visible()
    page.locator("summary", has_text="Edit the estimates").click()
    enter_estimates(page, tef_high="1")
    refused_next_to_its_field(page)
    estimate(page, "Threat event frequency (TEF)", high="6")
    page.get_by_role("button", name="Save the estimates").click()
    see_the_estimates(page)
    run_and_read(page, risk.reference)
    run_the_portfolio(page, risk.reference)


def estimate(page: Page, factor: str, *values: str, high: str = "") -> Locator:
    """Fill one estimate's fieldset (found by its legend) as a PERT, and/or just its high."""
    group = page.get_by_role("group", name=factor, exact=True)
    if values:
        group.get_by_label("Distribution").select_option("pert")
        for label, value in zip(("Low", "Most likely", "High"), values, strict=False):
            group.get_by_label(label, exact=True).fill(value)
    if high:
        group.get_by_label("High", exact=True).fill(high)
    return group


def enter_estimates(page: Page, tef_high: str) -> None:
    estimate(page, "Threat event frequency (TEF)", "0.5", "2", high=tef_high)
    estimate(page, "Vulnerability", "0.1", "0.3", "0.6")
    estimate(page, "Primary loss magnitude", "50,000", "400,000", "4,000,000")
    control = estimate(page, CONTROL, "0.3", "0.5", "0.7")
    control.get_by_label("Reduces").select_option(label="Loss magnitude")
    page.get_by_role("button", name="Save the estimates").click()


def refused_next_to_its_field(page: Page) -> None:
    tef = page.get_by_role("group", name="Threat event frequency (TEF)", exact=True)
    high = tef.get_by_label("High", exact=True)
    expect(tef.get_by_role("alert")).to_have_text("the maximum must be at least 2")
    expect(high).to_have_attribute("aria-describedby", re.compile(r"\bid_q-tef-high_error\b"))
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(page.get_by_text("Not quantified yet.")).to_be_visible()
    assert not RiskQuantification.objects.exists()


def see_the_estimates(page: Page) -> None:
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Saved the estimates of RSK-"))
    expect(page.get_by_text("Estimates saved; not run yet.")).to_be_visible()
    for factor, text in (
        ("Threat event frequency (TEF)", "PERT 0.5 · 2 · 6"),
        ("Vulnerability", "PERT 0.1 · 0.3 · 0.6"),
        ("Primary loss magnitude", "PERT 50,000 · 400,000 · 4,000,000"),
    ):
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=factor))
        expect(row.get_by_role("cell")).to_have_text(text)
    page.locator("summary", has_text="Edit the estimates").click()  # folded once saved
    control = page.get_by_role("group", name=CONTROL, exact=True)
    expect(control.get_by_label("Reduces")).to_have_value("magnitude")
    expect(control.get_by_label("Most likely", exact=True)).to_have_value("0.5")


def figure(page: Page, label: str) -> Locator:
    """The inherent and residual cells of one row of the results table."""
    rows = page.locator("table.quant-figures").get_by_role("row")
    return rows.filter(has=page.get_by_role("rowheader", name=label)).get_by_role("cell")


def run_and_read(page: Page, reference: str) -> None:
    page.locator("summary", has_text="Run options").click()
    page.get_by_label("Iterations").fill(YEARS)
    page.get_by_role("button", name="Run the simulation").click()
    expect(page.get_by_role("status")).to_have_text(
        re.compile(rf"^Simulated 20,000 years of {reference}")
    )
    last_run = page.get_by_text(re.compile(r"^Last run "))
    expect(last_run).to_contain_text("20000 simulated years, seed ")
    expect(last_run).to_contain_text(f"engine v{ENGINE_VERSION} on numpy {numpy_version()},")
    for label in ("Mean annual loss", "P95", "Value at risk (95%)"):
        expect(figure(page, label)).to_have_text([MONEY, MONEY])
    expect(figure(page, EXCEED)).to_have_text([re.compile(r"%$"), re.compile(r"%$")])
    chart = page.locator("svg.quant-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(2)
    expect(chart.locator("line.threshold")).to_have_count(1)
    expect(chart.locator("text.threshold-label")).to_have_text("materiality")
    value = page.get_by_role("row").filter(has=page.get_by_role("link", name=CONTROL))
    expect(value.get_by_role("cell").nth(1)).to_have_text("Loss magnitude")
    expect(value.get_by_role("cell").nth(2)).to_have_text(MONEY)
    page.locator("summary", has_text="The curve as a table").click()
    data = page.get_by_role("table", name="Probability that the annual loss exceeds each amount")
    expect(data).to_be_visible()
    expect(data.get_by_role("rowheader").first).to_have_text(MONEY)
    expect(page.get_by_role("alert")).to_have_count(0)
    svg = svg_of(page.request.get(page.url).text())  # as served: well-formed XML
    assert svg.find(f"{SVG}title").text == f"Loss exceedance curve of {reference}"
    assert "materiality threshold of USD 5M" in svg.find(f"{SVG}desc").text


def run_the_portfolio(page: Page, reference: str) -> None:
    sections = page.get_by_role("navigation", name="Sections")
    sections.get_by_role("link", name="Quantified risk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quantified risk (Open FAIR)")
    expect(page.get_by_text("Materiality threshold: USD 5,000,000.")).to_be_visible()
    expect(page.get_by_text("Not run yet.")).to_be_visible()
    page.get_by_label("Iterations").fill(YEARS)
    page.get_by_role("button", name="Run the portfolio").click()
    expect(page.get_by_role("status")).to_have_text("Simulated 1 risk(s) over 20,000 years.")
    expect(page.get_by_text(re.compile(r"^Last run "))).to_contain_text(
        f"engine v{ENGINE_VERSION} on numpy {numpy_version()},"
    )
    expect(figure(page, "Mean annual loss")).to_have_text([MONEY, MONEY])
    expect(page.locator("svg.quant-chart line.threshold")).to_have_count(1)
    top = page.get_by_role("table", name=re.compile(r"^Residual loss, largest part"))
    row = top.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Ransomware on the ERP")
    expect(row.get_by_role("cell").nth(1)).to_have_text(MONEY)
    expect(row.get_by_role("cell").nth(2)).to_have_text("100%")
    expect(page.get_by_role("alert")).to_have_count(0)
