"""Calendar-month cadences: when a committee's next report or a policy's next review is due.

Pure date arithmetic, no database, so the rule at the boundary is easy to test: something is due
ON the due date and overdue only from the day after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from riskward.lib.dates import add_months

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Cadence:
    """Where a recurring obligation stands on `today`.

    `state` is "none" (no cadence set), "never" (a cadence but nothing recorded yet: overdue),
    "overdue", "due_soon" (due within DUE_SOON_DAYS, or today) or "ok".
    """

    months: int | None
    last_on: date | None
    next_due: date | None
    state: str

    @property
    def overdue(self) -> bool:
        return self.state in ("overdue", "never")

    @property
    def badge(self) -> str:
        """The CSS badge class for the state."""
        return {"overdue": "bad", "never": "bad", "due_soon": "warn", "ok": "ok"}.get(
            self.state, ""
        )

    @property
    def label(self) -> str:
        return {
            "none": "No cadence",
            "never": "Never reported",
            "overdue": "Overdue",
            "due_soon": "Due soon",
            "ok": "On track",
        }[self.state]


def cadence(months: int | None, last_on: date | None, today: date) -> Cadence:
    if not months:
        return Cadence(None, last_on, None, "none")
    if last_on is None:
        return Cadence(months, None, None, "never")
    due = add_months(last_on, months)
    if today > due:
        state = "overdue"
    elif (due - today).days <= DUE_SOON_DAYS:
        state = "due_soon"
    else:
        state = "ok"
    return Cadence(months, last_on, due, state)
