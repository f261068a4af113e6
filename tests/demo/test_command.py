"""`riskward demo` (the load_demo command): what it prints and how it refuses."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from riskward.core import services as core
from riskward.core.models import Organization
from riskward.demo.data.organization import DEMO_PASSWORD, LOGINS


def test_command_prints_the_address_and_logins_and_can_run_again(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = out.getvalue()
    assert first.startswith("Loaded the demo program of Demo Holdings Ltd.")
    assert "http://127.0.0.1:8000" in first
    assert f"Password for every demo login: {DEMO_PASSWORD}" in first
    assert all(username in first for username, _role, _person in LOGINS)
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "Refreshed" in again.getvalue() and "0 records created" in again.getvalue()
    assert Organization.objects.filter(legal_name="Demo Holdings Ltd.").count() == 1


def test_a_username_taken_in_another_organization_stops_the_load(other_org):
    core.create_user(
        other_org, None, username="secmgr", role="admin", password="a long password 42"
    )
    with pytest.raises(CommandError, match="'secmgr' already belongs to another organization"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Organization.objects.filter(legal_name="Demo Holdings Ltd.").exists()
