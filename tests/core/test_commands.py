from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from riskward.core.models import User


def test_createuser_reads_password_from_stdin(org, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password 42\n"))
    call_command(
        "create_user",
        username="carol",
        role="auditor",
        organization=org.short_name,
        password_stdin=True,
    )
    user = User.objects.get(username="carol")
    assert user.organization == org and user.role == "auditor"
    assert user.check_password("a long enough password 42")
    assert "created carol" in capsys.readouterr().out


def test_createuser_rejects_weak_password_naming_it(org, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="password"):
        call_command(
            "create_user",
            username="dave",
            role="auditor",
            organization=org.legal_name,
            password_stdin=True,
        )
    assert not User.objects.filter(username="dave").exists()


def test_createuser_unknown_organization(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password 42\n"))
    with pytest.raises(CommandError, match="no organization"):
        call_command(
            "create_user", username="erin", role="admin", organization="Nope", password_stdin=True
        )
