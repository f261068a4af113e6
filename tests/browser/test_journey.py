"""The program's main journey in a real browser, as a security manager lives it.

Sign in, record a risk through its form (linking an asset and a control), rate it inherent and
residual on its page, prove the control with an uploaded evidence file, and find the risk on
the dashboard's heat maps and top risks. Only the asset and the control exist beforehand.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from riskward.assets import services as asset_services
from riskward.controls import services as control_services

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/riskward-dashboard.png")
TITLE = "Ransomware through the VPN appliance"
CONTROL = "CTL-007 Multi-factor authentication"
EVIDENCE = "MFA enrolment report, Q3"


def png(width: int = 4, height: int = 4) -> bytes:
    """A real (tiny, red) PNG: the upload is type-sniffed, so it must be one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\xc0\x20\x20" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def register(org, users):
    """What the risk will point at: an asset and a control, made through the services."""
    admin = users["admin"]
    asset_services.create_asset(
        org, admin, {"name": "VPN appliance", "kind": "infrastructure", "criticality": 4}
    )
    control_services.create_control(
        org,
        admin,
        {
            "reference": "CTL-007",
            "name": "Multi-factor authentication",
            "control_type": "technical",
            "function": "preventive",
            "status": "implemented",
        },
    )


@pytest.fixture
def uploads(settings, tmp_path):
    """Evidence files land in the test's own directory, never in ./var."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def test_record_rate_prove_and_see_a_risk(page: Page, sign_in, register, uploads):
    sign_in("security_manager")
    record_risk(page)
    assess_risk(page)
    attach_evidence(page)
    see_on_dashboard(page)


def record_risk(page: Page) -> None:
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Risks").click()
    page.get_by_role("link", name="New risk").click()
    page.get_by_role("textbox", name="Title", exact=True).fill(TITLE)
    page.get_by_role("combobox", name="Threat source", exact=True).select_option(label="External")
    page.get_by_role("textbox", name="Threat", exact=True).fill(
        "Exploit of an unpatched edge device"
    )
    page.get_by_role("combobox", name="Owner", exact=True).select_option(label="Rita Owner")
    page.get_by_role("listbox", name="Affected assets", exact=True).select_option(
        label="VPN appliance"
    )
    page.get_by_role("listbox", name="Controls", exact=True).select_option(label=CONTROL)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"RSK-001 {TITLE}")
    expect(page.get_by_role("status")).to_contain_text("Saved risk")
    expect(page.get_by_role("link", name="VPN appliance")).to_be_visible()


def assess_risk(page: Page) -> None:
    """Likely x severe before controls (20, very high), unlikely x moderate after (6, medium)."""
    page.locator("summary", has_text=re.compile(r"^Assess$")).click()
    rating(page, "Inherent likelihood").select_option("4")
    rating(page, "Inherent impact").select_option("5")
    rating(page, "Residual likelihood").select_option("2")
    rating(page, "Residual impact").select_option("3")
    page.get_by_role("textbox", name="Notes", exact=True).fill(
        "MFA on the VPN cuts the likelihood."
    )
    page.get_by_role("button", name="Record assessment").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded a new assessment of RSK-001")
    expect(card(page, "Inherent")).to_contain_text("20 · Very high")
    expect(card(page, "Residual")).to_contain_text("6 · Medium")
    history = page.locator("table", has=page.get_by_role("columnheader", name="Notes"))
    expect(history.get_by_role("row")).to_have_count(2)  # header + the new assessment
    expect(history).to_contain_text("MFA on the VPN cuts the likelihood.")


def rating(page: Page, name: str):
    return page.get_by_role("combobox", name=name, exact=True)


def card(page: Page, heading: str):
    return page.locator("section.card", has=page.get_by_role("heading", name=heading, exact=True))


def attach_evidence(page: Page) -> None:
    """Upload a PNG through the evidence form, linked to the control the risk is mapped to."""
    content = png()
    card(page, "Controls").get_by_role("link", name=CONTROL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CONTROL)
    page.get_by_role("link", name="Add evidence").click()
    page.get_by_role("textbox", name="Title", exact=True).fill(EVIDENCE)
    page.get_by_role("combobox", name="Kind", exact=True).select_option(label="File")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "mfa-enrolment.png", "mimeType": "image/png", "buffer": content}
    )
    page.get_by_role("listbox", name="Controls", exact=True).select_option(label=CONTROL)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EVIDENCE)
    expect(page.get_by_text(hashlib.sha256(content).hexdigest())).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert Path(download.value.path()).read_bytes() == content
    page.get_by_role("link", name=CONTROL).click()
    expect(page.get_by_role("link", name=EVIDENCE)).to_be_visible()


def see_on_dashboard(page: Page) -> None:
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cybersecurity program")
    inherent = page.get_by_role("table", name=re.compile(r"^Inherent risk"))
    residual = page.get_by_role("table", name=re.compile(r"^Residual risk"))
    expect(
        inherent.get_by_role(
            "link", name="1 risk: likelihood Likely, impact Severe, band Very high"
        )
    ).to_be_visible()
    expect(
        residual.get_by_role(
            "link", name="1 risk: likelihood Unlikely, impact Moderate, band Medium"
        )
    ).to_be_visible()
    top = page.get_by_role("region", name="Top risks")
    expect(top.get_by_role("link", name=f"RSK-001 {TITLE}")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    inherent.get_by_role("link", name=re.compile(r"^1 risk: likelihood Likely")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risks")  # the cell's risks
    page.get_by_role("table").get_by_role("link", name="RSK-001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"RSK-001 {TITLE}")
