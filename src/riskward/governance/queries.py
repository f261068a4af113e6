"""Read-only views of governance for pages, the dashboard and the disclosure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, OuterRef, Subquery

from riskward.governance.cadence import Cadence, cadence
from riskward.governance.models import Committee, Meeting, Policy


@dataclass(frozen=True)
class CommitteeStatus:
    """A committee with its reporting cadence on a given day, and when it last met."""

    committee: Committee
    last_report_on: date | None
    last_meeting_on: date | None
    cadence: Cadence

    @property
    def next_due(self) -> date | None:
        return self.cadence.next_due

    @property
    def overdue(self) -> bool:
        return self.cadence.overdue


def committee_status(org: Any, today: date) -> list[CommitteeStatus]:
    """Every committee (board first, then by name) with last report, next due and overdue flag.

    One query: the latest report date is a Max over the join; the latest meeting is a subquery
    so that the two relations are not joined together (rows would multiply).
    """
    latest_meeting = (
        Meeting.objects.filter(committee=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    )
    rows = (
        Committee.objects.for_org(org)
        .select_related("parent")
        .annotate(last_report_on=Max("reports__presented_on"))
        .annotate(last_meeting_on=Subquery(latest_meeting))
        .order_by("kind", "name")
    )
    return [
        CommitteeStatus(
            committee=row,
            last_report_on=row.last_report_on,
            last_meeting_on=row.last_meeting_on,
            cadence=cadence(row.reporting_cadence_months, row.last_report_on, today),
        )
        for row in rows
    ]


def policies_due_for_review(org: Any, today: date, within_days: int = 30) -> list[Policy]:
    """Approved policies whose review is due by `today + within_days` (overdue ones included)."""
    return list(
        Policy.objects.for_org(org)
        .filter(
            status=Policy.Status.APPROVED,
            next_review_on__lte=today + timedelta(days=within_days),
        )
        .select_related("owner")
        .order_by("next_review_on", "pk")
    )
