"""The annual disclosure's journey in a real browser, from the record to a filed-ready version.

A security manager drafts FY2024 from the record and reads each flag's reason and evidence,
edits a text block into a claim the record contradicts and sees the finding beside it. An admin
cannot approve until the claim is fixed, then approves and downloads the Inline XBRL; editing
the approved text makes version 2, and the comparison marks the words that changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from riskward.controls import services as control_services
from riskward.core import services as core_services
from riskward.core.models import Organization, User
from riskward.disclosure import elements as el
from riskward.disclosure import record, services
from riskward.disclosure.models import DisclosureVersion
from riskward.governance import services as governance_services
from riskward.program import services as program_services
from tests.browser.test_forms import PROBLEMS, problems

pytestmark = pytest.mark.browser
SignIn = Callable[[str], Page]
Users = dict[str, User]

FY = 2024
DISCLOSURE = f"FY{FY} Form 20-F Item 16K"
# What the record bears out: an engagement, a responsible officer and a report to the committee.
TRUE_FLAGS = {el.FLAG_THIRD_PARTY_ENGAGED, el.FLAG_POSITIONS_RESPONSIBLE, el.FLAG_REPORT_TO_BOARD}
INTEGRATED_TEXT = el.element(el.TEXT_INTEGRATED).label
FIXED_TEXT = (
    "We employ various methods to manage cybersecurity risks and safeguard information "
    "security. These methods include providing cybersecurity training for employees."
)
QUARTERLY_TEXT = FIXED_TEXT.replace("providing cybersecurity", "providing quarterly cybersecurity")
LATER_TEXT = FIXED_TEXT.replace("employees.", "employees and phishing simulations.")
GAP = "Q3 2024 (2024-07-01 to 2024-09-30) has no training session in the record."


@pytest.fixture
def year_record(org: Organization, users: Users) -> None:
    """A FY2024 record, made through the services: oversight delegated to an audit committee
    that got a report, a responsible officer, training in three quarters (Q3 has none) and an
    assessor engagement."""
    actor = users["admin"]
    governance(org, actor)
    for held_on in (date(FY, 2, 12), date(FY, 5, 14), date(FY, 11, 5)):
        program_services.create_training_session(
            org, actor, {"held_on": held_on, "topic": "Phishing awareness"}
        )
    control_services.create_engagement(
        org,
        actor,
        {
            "firm": "Assessors Ltd",
            "started_on": date(FY, 6, 3),
            "ended_on": date(FY, 6, 21),
            "result": "passed",
        },
    )


def governance(org: Organization, actor: User) -> None:
    """The board delegates cybersecurity to its audit committee, which hears a report on it;
    a responsible officer reports to that committee."""
    board = governance_services.create_committee(
        org, actor, {"name": "Board of Directors", "kind": "board"}
    )
    audit = governance_services.create_committee(
        org,
        actor,
        {
            "name": "Audit Committee",
            "parent": board,
            "oversight": "Delegated oversight of cybersecurity risk management.",
            "reporting_cadence_months": 12,
        },
    )
    internal_audit = core_services.create_department(org, actor, {"name": "Internal Audit"})
    governance_services.create_committee_report(
        org,
        actor,
        {
            "committee": audit,
            "title": "Cybersecurity program review",
            "presented_on": date(FY, 3, 18),
            "from_department": internal_audit,
        },
    )
    officer = core_services.create_person(org, actor, {"name": "Li Wei"})
    governance_services.create_responsibility(
        org,
        actor,
        {
            "person": officer,
            "title": "Chief Information Security Officer",
            "duties": "Daily management of cybersecurity risks.",
            "years_experience": 15,
            "reports_to_committee": audit,
        },
    )


def test_draft_check_approve_download_and_revise_the_annual_disclosure(
    page: Page, sign_in: SignIn, org: Organization, users: Users, year_record: None
) -> None:
    sign_in("security_manager")
    draft_from_the_record(page)
    see_the_flags(page, org)
    follow_evidence_and_return(page)
    edit_text(page, QUARTERLY_TEXT)
    check_claims(page, findings=[GAP])
    send_for_review(page)
    switch_user(page, sign_in, "admin")
    approval_is_blocked_then_sent_back(page)
    switch_user(page, sign_in, "security_manager")
    said(page, "Sent back: Training was not quarterly: Q3 had no session.")
    edit_text(page, FIXED_TEXT)
    check_claims(page, findings=[])
    send_for_review(page)
    switch_user(page, sign_in, "admin")
    approve(page, users["admin"])
    download_inline_xbrl(page)
    revise_and_compare(page)


# --- the security manager drafts and checks -----------------------------------------------


def draft_from_the_record(page: Page) -> None:
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Disclosure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SEC disclosure")
    expect(page.get_by_role("cell", name="No disclosure yet.")).to_be_visible()
    page.get_by_role("spinbutton", name="Fiscal year").fill(str(FY))
    page.get_by_role("button", name="Draft from the record").click()
    said(page, f"Drafted {DISCLOSURE} v1 from the record.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DISCLOSURE} v1 Draft")


def said(page: Page, message: str, role: str = "status") -> None:
    """The page's messages say `message`: a status, or an alert for an error."""
    expect(page.get_by_role(role).filter(has_text=message)).to_be_visible()  # type: ignore[arg-type]


def fact(page: Page, label: str) -> Locator:
    """The section of one fact, found by its heading (which may carry an "edited" badge)."""
    heading = page.get_by_role("heading", level=3, name=re.compile("^" + re.escape(label)))
    return page.locator("section", has=heading)


def see_the_flags(page: Page, org: Organization) -> None:
    """Each of the six flags shows its value, the record's reason and links to its evidence."""
    flags = record.compute_flags(org, FY)
    assert {name for name, result in flags.items() if result.value} == TRUE_FLAGS
    headings = page.get_by_role("heading", level=3, name=re.compile(r"\[Flag\]$"))
    expect(headings).to_have_count(6)
    for name, result in flags.items():
        section = fact(page, el.element(name).label)
        value = "true" if name in TRUE_FLAGS else "false"
        expect(section.get_by_text(value, exact=True)).to_be_visible()
        expect(section).to_contain_text(result.reason)
        for item in result.evidence:
            link = section.get_by_role("link", name=item.label, exact=True)
            expect(link).to_have_attribute("href", item.url)


def follow_evidence_and_return(page: Page) -> None:
    section = fact(page, el.element(el.FLAG_REPORT_TO_BOARD).label)
    section.get_by_role("link", name="Cybersecurity program review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cybersecurity program review")
    expect(page.get_by_text("Audit Committee").first).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DISCLOSURE} v1 Draft")


def edit_text(page: Page, text: str) -> None:
    """Change the integrated text block; only it is marked edited."""
    page.get_by_role("link", name="Edit text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit the text of {DISCLOSURE} v1")
    page.get_by_role("textbox", name=INTEGRATED_TEXT, exact=True).fill(text)
    page.get_by_role("button", name="Save text").click()
    said(page, f"Saved the text of {DISCLOSURE} v1.")
    integrated = fact(page, INTEGRATED_TEXT)
    expect(integrated).to_contain_text(text)
    expect(integrated.get_by_text("edited", exact=True)).to_be_visible()
    expect(page.get_by_text("edited", exact=True)).to_have_count(1)


def check_claims(page: Page, findings: list[str]) -> None:
    """Findings appear as notes in the section of the fact whose text makes the claim."""
    page.get_by_role("button", name="Check claims").click()
    said(page, "Checked the claims.")
    notes = page.get_by_role("note")
    expect(notes).to_have_count(len(findings))
    beside = fact(page, INTEGRATED_TEXT).get_by_role("note")
    for message in findings:
        expect(beside.filter(has_text=message)).to_contain_text("Error:")
        expect(beside.get_by_role("link", name="record")).to_have_attribute(
            "href", re.compile(rf"year={FY}$")
        )


def send_for_review(page: Page) -> None:
    page.get_by_role("button", name="Send for review").click()
    said(page, "Sent for review.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DISCLOSURE} v1 In review")
    expect(page.get_by_role("link", name="Edit text")).to_have_count(0)


def switch_user(page: Page, sign_in: SignIn, role: str) -> None:
    """Sign out through the account menu, sign in as `role` and open the disclosure."""
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Riskward")
    sign_in(role)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Disclosure").click()
    page.get_by_role("link", name=DISCLOSURE, exact=True).click()


# --- the admin reviews, approves and downloads --------------------------------------------


def approval_is_blocked_then_sent_back(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DISCLOSURE} v1 In review")
    page.get_by_role("button", name="Approve").click()
    said(page, f"1 assurance finding contradicts the record; first: {GAP}", role="alert")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DISCLOSURE} v1 In review")
    expect(fact(page, INTEGRATED_TEXT).get_by_role("note")).to_contain_text(GAP)
    page.get_by_role("textbox", name="What needs to change").fill(
        "Training was not quarterly: Q3 had no session."
    )
    page.get_by_role("button", name="Send back to draft").click()
    said(page, "Sent back to draft.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DISCLOSURE} v1 Draft")


def approve(page: Page, admin: User) -> None:
    """The approver and the content hash of the frozen version are shown as recorded."""
    page.get_by_role("button", name="Approve").click()
    said(page, "Approved and frozen.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DISCLOSURE} v1 Approved")
    approved = DisclosureVersion.objects.get(disclosure__fiscal_year=FY, number=1)
    assert approved.approved_by == admin
    assert approved.content_hash == services.content_hash(approved)
    workflow = page.get_by_role("region", name="Workflow")
    expect(workflow).to_contain_text(f"Approved by {admin.get_username()} on ")
    expect(workflow.locator("code")).to_have_text(approved.content_hash)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="v1", exact=True))
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text(admin.get_username())
    expect(page.get_by_role("button", name="Check claims")).to_have_count(0)


def download_inline_xbrl(page: Page) -> None:
    with page.expect_download() as download:
        page.get_by_role("link", name="Inline XBRL document (.htm)").click()
    assert download.value.suggested_filename.endswith(f"-{FY}-v1.htm")
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert 'xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"' in content
    assert f'name="cyd:{el.FLAG_THIRD_PARTY_ENGAGED}"' in content
    assert "phishing simulations" not in content  # the approved text, not a later one


# --- an approved version changes only as a new version ------------------------------------


def revise_and_compare(page: Page) -> None:
    page.get_by_role("link", name="Edit text").click()
    said(page, "Version 1 is approved and frozen: saving makes a new draft version.")
    page.get_by_role("textbox", name=INTEGRATED_TEXT, exact=True).fill(LATER_TEXT)
    page.get_by_role("button", name="Save text").click()
    said(page, f"Saved the text of {DISCLOSURE} v2.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DISCLOSURE} v2 Draft")
    expect(page).to_have_url(re.compile(r"/v2/$"))
    page.get_by_role("link", name="Compare versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Compare versions of {DISCLOSURE}")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="v1 (Approved)")).to_be_visible()
    expect(table.get_by_role("columnheader", name="v2 (Draft)")).to_be_visible()
    changed = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile("^" + re.escape(INTEGRATED_TEXT)))
    )
    expect(changed.get_by_role("insertion")).to_have_text("employees and phishing simulations.")
    expect(changed.get_by_role("deletion")).to_have_text("employees.")
    expect(table.get_by_role("insertion")).to_have_count(1)  # nothing else changed
    engaged = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=el.element(el.FLAG_THIRD_PARTY_ENGAGED).label)
    )
    expect(engaged.get_by_role("cell")).to_have_text(["true", "true"])  # as the version shows
    expect(table.get_by_text("changed", exact=True)).to_have_count(1)


def test_the_disclosure_forms_label_and_describe_every_field(
    page: Page, sign_in: SignIn, org: Organization, users: Users
) -> None:
    """Every field of the draft, edit, send-back, filed and import forms is labelled, and the
    help text and errors its aria-describedby names exist, also when the form shows an error."""
    draft = services.start_annual(org, users["security_manager"], FY)
    version = draft.get_absolute_url()
    sign_in("admin")
    found = problems(page, "/disclosure/") + problems(page, version + "edit/")
    found += problems(page, "/disclosure/peers/")
    services.submit_for_review(org, users["security_manager"], draft)
    found += problems(page, version)
    page.get_by_role("textbox", name="What needs to change").fill("   ")  # blank: refused
    page.get_by_role("button", name="Send back to draft").click()
    expect(page.get_by_role("alert")).to_have_text("This field is required.")
    found += [f"(with errors) {problem}" for problem in page.evaluate(PROBLEMS)]
    page.get_by_role("button", name="Approve").click()
    said(page, "Approved and frozen.")
    found += problems(page, version)  # the filed form
    assert not found, "\n".join(found)
