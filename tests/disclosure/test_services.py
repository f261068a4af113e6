"""The disclosure workflow: drafting from the record, editing, review, approval (frozen), filing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from riskward.audit.models import AuditEvent
from riskward.disclosure import elements as el
from riskward.disclosure import services
from riskward.disclosure.models import Disclosure, DisclosureVersion
from riskward.lib.errors import Conflict, InvalidInput, PermissionDenied

Status = DisclosureVersion.Status


@pytest.fixture
def draft(org: Any, users: Any) -> DisclosureVersion:
    return services.start_annual(org, users["security_manager"], 2024)


def _approved(org: Any, users: Any, version: DisclosureVersion) -> DisclosureVersion:
    version = services.submit_for_review(org, users["security_manager"], version)
    approved_at = timezone.make_aware(datetime(2025, 4, 24, 17, 30))  # before the filings below
    return services.approve(org, users["admin"], version, approved_at)


def test_start_annual_drafts_every_flag_in_presentation_order(org, draft):
    assert draft.disclosure.form == Disclosure.Form.FORM_20F  # the org files a 20-F
    assert draft.number == 1 and draft.status == Status.DRAFT
    flags = [e.name for e in el.annual_elements() if e.is_flag]
    assert [n for n in draft.facts if isinstance(draft.facts[n], bool)] == flags
    order = [e.name for e in el.annual_elements()]
    assert list(draft.facts) == sorted(draft.facts, key=order.index)
    for name in flags:  # each flag carries the reason that decided it
        assert draft.evidence[name]["reason"]


def test_start_annual_twice_for_the_same_year_is_a_conflict(org, users, draft):
    with pytest.raises(Conflict):
        services.start_annual(org, users["admin"], 2024)


@pytest.mark.parametrize("year", [2019, 2999])
def test_start_annual_refuses_implausible_years(org, users, year):
    with pytest.raises(InvalidInput) as error:
        services.start_annual(org, users["admin"], year)
    assert error.value.field == "fiscal_year"


def test_edit_texts_changes_a_draft_and_remembers_what_was_edited(org, users, draft):
    edited = services.edit_texts(
        org, users["admin"], draft, {el.TEXT_BOARD_COMMITTEE: "risk committee"}
    )
    assert edited.pk == draft.pk
    assert edited.facts[el.TEXT_BOARD_COMMITTEE] == "risk committee"
    assert edited.edited_elements == [el.TEXT_BOARD_COMMITTEE]


@pytest.mark.parametrize(
    "texts, field",
    [
        ({el.FLAG_INTEGRATED: "true"}, el.FLAG_INTEGRATED),  # flags follow the record
        ({"NotAnElement": "x"}, "NotAnElement"),
        ({el.TEXT_EXPERTISE: "x" * 50_001}, el.TEXT_EXPERTISE),
    ],
)
def test_edit_texts_rejects_what_is_not_an_editable_text_block(org, users, draft, texts, field):
    with pytest.raises(InvalidInput) as error:
        services.edit_texts(org, users["admin"], draft, texts)
    assert error.value.field == field
    draft.refresh_from_db()
    assert draft.edited_elements == []


def test_refresh_keeps_edited_text_and_redrafts_the_rest(org, users, draft):
    services.edit_texts(org, users["admin"], draft, {el.TEXT_EXPERTISE: "Our own words."})
    draft.refresh_from_db()
    refreshed = services.refresh_from_record(org, users["admin"], draft)
    assert refreshed.facts[el.TEXT_EXPERTISE] == "Our own words."


def test_submit_approve_freezes_with_the_content_hash(org, users, draft):
    approved = _approved(org, users, draft)
    assert approved.status == Status.APPROVED
    assert approved.approved_by == users["admin"]
    assert approved.content_hash == services.content_hash(approved)
    assert len(approved.content_hash) == 64
    with pytest.raises(Conflict):
        services.refresh_from_record(org, users["admin"], approved)


def test_the_submitter_cannot_approve(org, users, draft):
    version = services.submit_for_review(org, users["admin"], draft)
    with pytest.raises(PermissionDenied):
        services.approve(org, users["admin"], version)


def test_only_an_approver_role_approves(org, users, draft):
    version = services.submit_for_review(org, users["admin"], draft)
    with pytest.raises(PermissionDenied):
        services.approve(org, users["security_manager"], version)


def test_a_draft_cannot_be_approved_without_review(org, users, draft):
    with pytest.raises(Conflict):
        services.approve(org, users["admin"], draft)


def test_an_error_finding_blocks_approval_and_is_shown(org, users, draft, monkeypatch):
    finding = {
        "element": el.TEXT_PROCESSES,
        "claim": "quarterly training",
        "message": "no session in Q3",
        "severity": "error",
        "evidence_url": "",
    }
    monkeypatch.setattr(services, "findings_for", lambda org, version: [finding])
    version = services.submit_for_review(org, users["security_manager"], draft)
    with pytest.raises(Conflict, match="no session in Q3"):
        services.approve(org, users["admin"], version)
    version.refresh_from_db()
    assert version.status == Status.IN_REVIEW
    assert version.findings == [finding]


def test_send_back_needs_a_note(org, users, draft):
    version = services.submit_for_review(org, users["security_manager"], draft)
    with pytest.raises(InvalidInput):
        services.return_to_draft(org, users["admin"], version, "  ")
    back = services.return_to_draft(org, users["admin"], version, "Name the committee.")
    assert back.status == Status.DRAFT and back.review_note == "Name the committee."


def test_editing_an_approved_version_makes_a_new_draft_and_keeps_the_old_frozen(org, users, draft):
    approved = _approved(org, users, draft)
    frozen_hash = approved.content_hash
    newer = services.edit_texts(org, users["admin"], approved, {el.TEXT_EXPERTISE: "Changed."})
    assert newer.number == 2 and newer.status == Status.DRAFT
    assert newer.facts[el.TEXT_EXPERTISE] == "Changed."
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert approved.content_hash == frozen_hash == services.content_hash(approved)
    assert approved.facts.get(el.TEXT_EXPERTISE) != "Changed."


def test_only_one_open_version_at_a_time(org, users, draft):
    approved = _approved(org, users, draft)
    services.new_version(org, users["admin"], approved)
    with pytest.raises(Conflict):
        services.new_version(org, users["admin"], approved)


def test_mark_filed_records_the_accession_and_checks_its_shape(org, users, draft):
    approved = _approved(org, users, draft)
    with pytest.raises(InvalidInput) as error:
        services.mark_filed(org, users["admin"], approved, date(2025, 4, 30), "12-34")
    assert error.value.field == "accession_number"
    filed = services.mark_filed(
        org, users["admin"], approved, date(2025, 4, 30), "0001234567-25-000012"
    )
    assert filed.status == Status.FILED and filed.accession_number == "0001234567-25-000012"


def test_mark_filed_refuses_content_changed_behind_the_workflow(org, users, draft):
    approved = _approved(org, users, draft)
    DisclosureVersion.objects.filter(pk=approved.pk).update(facts={el.FLAG_INTEGRATED: True})
    approved.refresh_from_db()
    with pytest.raises(Conflict, match="changed since approval"):
        services.mark_filed(org, users["admin"], approved, date(2025, 4, 30), "")


def test_every_step_is_in_the_audit_trail(org, users, draft):
    _approved(org, users, draft)
    events = AuditEvent.objects.filter(object_type="disclosure.DisclosureVersion")
    statuses = [e.after.get("status") for e in events.order_by("id") if e.after]
    assert statuses == ["draft", "in_review", "approved"]


def test_fact_set_carries_the_cover_of_the_filer(org, users, draft):
    facts = services.fact_set(org, draft, unofficial=True)
    assert facts.cover.form.value == "20-F"
    assert facts.cover.cik == "0000123456"
    assert (facts.cover.period_start, facts.cover.period_end) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )
    assert facts.unofficial is True


def test_an_earlier_approval_can_be_recorded_but_not_a_future_one(org, users, draft):
    version = services.submit_for_review(org, users["security_manager"], draft)
    with pytest.raises(InvalidInput) as error:
        services.approve(org, users["admin"], version, timezone.now() + timedelta(hours=1))
    assert error.value.field == "approved_at"
    earlier = timezone.now() - timedelta(days=30)
    assert services.approve(org, users["admin"], version, earlier).approved_at == earlier


@pytest.mark.parametrize("days", [-40, 1])  # before the approval; in the future
def test_mark_filed_refuses_impossible_dates(org, users, draft, days):
    version = services.submit_for_review(org, users["security_manager"], draft)
    approved = services.approve(org, users["admin"], version, timezone.now() - timedelta(days=30))
    with pytest.raises(InvalidInput) as error:
        services.mark_filed(
            org, users["admin"], approved, timezone.localdate() + timedelta(days=days), ""
        )
    assert error.value.field == "filed_on"


def test_current_annual_starts_refreshes_or_returns_the_newest(org, users):
    actor = users["security_manager"]
    first = services.current_annual(org, actor, 2024)
    assert (first.number, first.status) == (1, Status.DRAFT)
    services.edit_texts(org, actor, first, {el.TEXT_EXPERTISE: "Our own words."})
    again = services.current_annual(org, actor, 2024)  # the same draft, recomputed
    assert again.pk == first.pk and again.facts[el.TEXT_EXPERTISE] == "Our own words."
    assert Disclosure.objects.filter(organization=org, fiscal_year=2024).count() == 1
    approved = _approved(org, users, again)
    assert services.current_annual(org, actor, 2024).pk == approved.pk  # left frozen
    assert approved.status == Status.APPROVED


def test_current_annual_refuses_a_disclosure_without_versions(org, users, draft):
    DisclosureVersion.objects.filter(pk=draft.pk).delete()
    with pytest.raises(Conflict, match="has no version"):
        services.current_annual(org, users["admin"], 2024)
