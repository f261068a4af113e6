"""The audit trail is append-only and `audit-verify` detects edits and deletions."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from riskward.assets import services
from riskward.audit.models import AppendOnlyError, AuditEvent
from riskward.audit.services import verify_chain


@pytest.fixture
def events(org, users):
    for i in range(5):
        services.create_asset(org, users["admin"], {"name": f"Asset {i}", "kind": "network"})
    return list(AuditEvent.objects.order_by("id"))


def _raw(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chain_verifies(events, capsys):
    count, problems = verify_chain()
    assert problems == []
    assert count == AuditEvent.objects.count()
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_each_event_links_to_the_previous_hash(events):
    for previous, event in pairwise(events):
        assert event.previous_hash == previous.hash


def test_edited_event_is_detected(events):
    target = events[-3]
    _raw("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", "forged", target.id)
    _, problems = verify_chain()
    assert [p.event_id for p in problems] == [target.id]
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit_verify")


def test_deleted_middle_event_is_detected(events):
    target = events[-3]
    _raw("DELETE FROM audit_auditevent WHERE id = %s", target.id)
    _, problems = verify_chain()
    assert problems and problems[0].event_id == events[-2].id


def test_deleted_newest_event_is_detected_by_the_chain_head(events):
    _raw("DELETE FROM audit_auditevent WHERE id = %s", events[-1].id)
    _, problems = verify_chain()
    assert len(problems) == 1
    assert problems[0].event_id is None
    assert "newest events were removed" in problems[0].message


def test_orm_refuses_updates_and_deletes(events):
    event = events[0]
    event.object_repr = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(object_repr="x")


def test_secrets_never_reach_the_trail(org, users):
    event = AuditEvent.objects.filter(object_type="core.User", action="create").first()
    assert event is not None
    assert event.after["password"] == "***"
