"""Read-only views of the program's activities for pages, the dashboard and the disclosure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from riskward.program.models import DrillAction, TrainingSession


@dataclass(frozen=True)
class QuarterTraining:
    """One calendar quarter's training.

    `state` is "trained" (at least one session), "gap" (the quarter ended without one), "open"
    (the current quarter, none yet: still time) or "future" (not started: not a gap yet).
    """

    year: int
    quarter: int
    starts_on: date
    ends_on: date
    state: str
    sessions: list[TrainingSession] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}"

    @property
    def invited(self) -> int:
        return sum(s.invited for s in self.sessions)

    @property
    def completed(self) -> int:
        return sum(s.completed for s in self.sessions)

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.invited if self.invited else None

    @property
    def gap(self) -> bool:
        return self.state == "gap"


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def _state(sessions: list[TrainingSession], start: date, end: date, today: date) -> str:
    if sessions:
        return "trained"
    if start > today:
        return "future"
    return "open" if end >= today else "gap"


def training_by_quarter(org: Any, year: int, today: date) -> list[QuarterTraining]:
    """The four quarters of `year` with their sessions and completion; one query."""
    rows = list(
        TrainingSession.objects.for_org(org)
        .filter(held_on__range=(date(year, 1, 1), date(year, 12, 31)))
        .order_by("held_on", "pk")
    )
    quarters = []
    for quarter in range(1, 5):
        start, end = quarter_bounds(year, quarter)
        sessions = [s for s in rows if start <= s.held_on <= end]
        quarters.append(
            QuarterTraining(
                year, quarter, start, end, _state(sessions, start, end, today), sessions
            )
        )
    return quarters


def training_years(org: Any, today: date) -> list[int]:
    """Years that have training, plus the current one, newest first; one query."""
    years = {d.year for d in TrainingSession.objects.for_org(org).dates("held_on", "year")}
    return sorted(years | {today.year}, reverse=True)


def drill_actions_due(org: Any, today: date, within_days: int = 30) -> list[DrillAction]:
    """Open follow-up actions due by `today + within_days` (overdue ones included)."""
    return list(
        DrillAction.objects.for_org(org)
        .filter(status=DrillAction.Status.OPEN, due_on__lte=today + timedelta(days=within_days))
        .select_related("drill", "owner")
        .order_by("due_on", "pk")
    )
