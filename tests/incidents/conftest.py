"""Incident fixtures: a domestic (10-K) filer version of `org`, and incidents determined material
on fixed past dates, so every due date is known."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from riskward.incidents import services


@pytest.fixture
def domestic(org):
    """`org` as a 10-K filer: its clocks are 8-K clocks (the shared `org` files a 20-F)."""
    org.filer_type = "10-K"
    org.save()
    return org


@pytest.fixture
def make_incident(org, users):
    def make(title="Ransomware on the ERP", **data):
        data.setdefault("discovered_at", datetime(2024, 12, 18, 9, 0, tzinfo=UTC))
        return services.create_incident(org, users["admin"], {"title": title, **data})

    return make


@pytest.fixture
def material(make_incident, users, org):
    """Determined material on Friday 2024-12-20: the 8-K is due Monday 2024-12-30."""
    incident = make_incident()
    return services.determine_materiality(
        org, users["admin"], incident, True, date(2024, 12, 20), "Customer data taken; ERP down."
    )
