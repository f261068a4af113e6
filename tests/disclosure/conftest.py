"""Records the disclosure tests share: the board and its audit committee."""

from __future__ import annotations

import pytest

from riskward.governance.models import Committee


@pytest.fixture
def board(org):
    return Committee.objects.create(organization=org, name="Board of Directors", kind="board")


@pytest.fixture
def audit_committee(org, board):
    """Delegated cybersecurity oversight, reporting every 12 months (as in the seed)."""
    return Committee.objects.create(
        organization=org,
        name="Audit Committee",
        parent=board,
        oversight="Delegated oversight of cybersecurity-related management.",
        reporting_cadence_months=12,
    )
