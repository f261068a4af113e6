from __future__ import annotations

from datetime import date

import pytest

from riskward.governance.cadence import add_months, cadence


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 3, 15), 12, date(2025, 3, 15)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # clamped, leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 12, 1), 1, date(2025, 1, 1)),
        (date(2024, 5, 31), -3, date(2024, 2, 29)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_due_on_the_due_date_and_overdue_from_the_day_after():
    last = date(2024, 3, 15)
    on_due_date = cadence(12, last, date(2025, 3, 15))
    day_after = cadence(12, last, date(2025, 3, 16))
    assert on_due_date.next_due == date(2025, 3, 15)
    assert (on_due_date.state, on_due_date.overdue) == ("due_soon", False)
    assert (day_after.state, day_after.overdue) == ("overdue", True)
    assert day_after.badge == "bad"


def test_due_soon_window_is_thirty_days():
    last = date(2024, 3, 15)
    assert cadence(12, last, date(2025, 2, 13)).state == "due_soon"  # 30 days before
    assert cadence(12, last, date(2025, 2, 12)).state == "ok"  # 31 days before


def test_without_a_cadence_nothing_is_due():
    status = cadence(None, date(2020, 1, 1), date(2025, 1, 1))
    assert (status.state, status.next_due, status.overdue, status.label) == (
        "none",
        None,
        False,
        "No cadence",
    )


def test_a_cadence_with_nothing_on_record_is_overdue():
    status = cadence(12, None, date(2025, 1, 1))
    assert (status.state, status.overdue, status.label) == ("never", True, "Never reported")
