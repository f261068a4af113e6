"""`riskward expire_acceptances`: the daily sweep over every organization."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from riskward.risks import services
from riskward.risks.models import RiskAcceptance


def test_expires_due_approvals_in_every_organization(org, users, own_risk, today):
    acceptance = services.request_acceptance(
        org,
        users["risk_owner"],
        own_risk,
        {"justification": "x", "expires_on": today + timedelta(3)},
    )
    services.approve_acceptance(org, users["admin"], acceptance)
    out = StringIO()
    call_command("expire_acceptances", "--date", (today + timedelta(2)).isoformat(), stdout=out)
    assert "0 acceptance(s) expired" in out.getvalue()
    call_command("expire_acceptances", "--date", (today + timedelta(3)).isoformat(), stdout=out)
    assert "RSK-001 acceptance expired" in out.getvalue()
    assert RiskAcceptance.objects.get().state == "expired"


def test_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("expire_acceptances", "--date", "tomorrow")
