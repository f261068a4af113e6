"""Calendar arithmetic shared by every cadence: reviews, reports, assessments."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """`start` plus whole calendar months, clamped to the month's end (Jan 31 + 1 = Feb 29)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def quarter_of(day: date) -> int:
    """1 to 4."""
    return (day.month - 1) // 3 + 1
