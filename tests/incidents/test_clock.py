"""The filing clock: SEC business days, the four-day count, 8-K/A, 6-K and Attorney General
delays. Pure functions: no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from riskward.incidents import clock
from riskward.lib.errors import InvalidInput

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2024-12-21", "Saturday"),
        ("2024-12-22", "Sunday"),
        ("2024-12-24", "Federal closure: Christmas Eve"),
        ("2024-12-25", "Christmas Day"),
        ("2024-11-28", "Thanksgiving Day"),
        ("2025-06-19", "Juneteenth National Independence Day"),
        (
            "2025-01-09",
            "Federal closure: National Day of Mourning for former President Jimmy Carter",
        ),
        ("2025-12-26", "Federal closure: Day After Christmas"),
        ("2021-12-31", "New Year's Day (observed)"),
        ("2022-01-01", "Saturday (New Year's Day)"),
    ],
)
def test_closure_reasons(day, reason):
    assert clock.closure_reason(D(day)) == reason
    assert not clock.is_business_day(D(day))


@pytest.mark.parametrize("day", ["2024-12-23", "2024-12-26", "2025-01-08", "2025-01-10"])
def test_ordinary_weekdays_are_business_days(day):
    assert clock.is_business_day(D(day))
    assert clock.closure_reason(D(day)) is None


def test_a_half_day_closing_is_still_a_business_day():
    # 2015-12-24: offices closed at noon; counting the day gives the earlier, safe deadline.
    assert clock.is_business_day(D("2015-12-24"))


def test_friday_before_christmas_2024_is_due_monday_the_30th():
    deadline = clock.filing_deadline(D("2024-12-20"))
    assert deadline.due == D("2024-12-30")
    assert deadline.starts_on == D("2024-12-23")
    assert deadline.business_days == (
        D("2024-12-23"),
        D("2024-12-26"),
        D("2024-12-27"),
        D("2024-12-30"),
    )
    assert deadline.skipped == (
        (D("2024-12-21"), "Saturday"),
        (D("2024-12-22"), "Sunday"),
        (D("2024-12-24"), "Federal closure: Christmas Eve"),
        (D("2024-12-25"), "Christmas Day"),
        (D("2024-12-28"), "Saturday"),
        (D("2024-12-29"), "Sunday"),
    )
    assert deadline.form == "8-K" and deadline.determined_on == D("2024-12-20")


def test_saturday_determination_starts_on_and_includes_monday():
    deadline = clock.filing_deadline(D("2025-01-04"))
    assert deadline.starts_on == D("2025-01-06")
    assert deadline.due == D("2025-01-10")  # Thursday 9 January was a federal closure
    assert deadline.skipped[0] == (D("2025-01-04"), "Saturday")
    assert D("2025-01-09") in dict(deadline.skipped)


@pytest.mark.parametrize(
    ("determined", "due"),
    [
        ("2025-03-10", "2025-03-14"),  # Monday: Tue-Fri
        ("2025-03-13", "2025-03-19"),  # Thursday: over one weekend
        ("2025-03-14", "2025-03-20"),  # Friday
        ("2025-03-15", "2025-03-20"),  # Saturday: Monday is day 1, as for Sunday
        ("2025-03-16", "2025-03-20"),  # Sunday
        ("2024-11-26", "2024-12-03"),  # Tuesday before Thanksgiving
        ("2024-11-28", "2024-12-04"),  # on Thanksgiving: Friday is day 1
        ("2024-06-18", "2024-06-25"),  # Juneteenth (Wednesday) skipped
        ("2023-06-16", "2023-06-23"),  # Friday, Juneteenth observed Monday
        ("2024-12-30", "2025-01-06"),  # across the year boundary and New Year's Day
        ("2025-12-31", "2026-01-07"),
        ("2025-12-22", "2025-12-31"),  # 24th, 25th and 26th December 2025 closed
        ("2025-01-06", "2025-01-13"),  # the 2025-01-09 closure inside the count
        ("2025-01-09", "2025-01-15"),  # determined on the closure day itself
        ("2026-07-02", "2026-07-09"),  # Independence Day observed on Friday 3 July
    ],
)
def test_four_business_days_across_years(determined, due):
    deadline = clock.filing_deadline(D(determined))
    assert deadline.due == D(due)
    assert len(deadline.business_days) == 4
    assert all(clock.is_business_day(day) for day in deadline.business_days)
    assert deadline.business_days[0] > D(determined)


def test_every_day_between_determination_and_due_is_counted_or_skipped():
    for offset in range(0, 800, 7):
        determined = D("2023-01-01") + timedelta(days=offset)
        deadline = clock.filing_deadline(determined)
        span = {determined + timedelta(days=n) for n in range((deadline.due - determined).days + 1)}
        accounted = set(deadline.business_days) | {day for day, _ in deadline.skipped}
        assert span - accounted == ({determined} if clock.is_business_day(determined) else set())


def test_the_time_of_day_does_not_move_the_deadline():
    late = clock.filing_deadline(datetime(2025, 3, 14, 23, 59))
    early = clock.filing_deadline(datetime(2025, 3, 14, 8, 0))
    assert late == early == clock.filing_deadline(D("2025-03-14"))


def test_amendment_is_due_four_business_days_after_the_information():
    deadline = clock.amendment_deadline(D("2024-12-20"))
    assert (deadline.form, deadline.due) == ("8-K/A", D("2024-12-30"))
    assert "8-K/A" in deadline.note


def test_6k_has_no_fixed_due_date_and_says_promptly():
    deadline = clock.filing_deadline(D("2025-03-14"), "6-K")
    assert deadline.due is None and deadline.starts_on is None
    assert deadline.business_days == () and deadline.skipped == ()
    assert "promptly" in deadline.note


def test_unknown_form_is_refused():
    with pytest.raises(InvalidInput) as error:
        clock.filing_deadline(D("2025-03-14"), "10-Q")
    assert error.value.field == "form"


# Attorney General delays -------------------------------------------------------------------


def test_delays_run_on_from_the_original_due_date():
    # Determined Friday 2025-03-14: due Thursday 2025-03-20.
    periods = clock.delay_periods(D("2025-03-14"), [30, 30])
    assert periods == ((D("2025-03-21"), D("2025-04-19")), (D("2025-04-20"), D("2025-05-19")))
    assert clock.delayed_until(D("2025-03-14"), [30, 30]) == D("2025-05-19")


def test_delay_ending_on_a_weekend_moves_to_the_next_business_day():
    # 2025-03-20 + 30 = Saturday 2025-04-19.
    assert clock.delayed_until(D("2025-03-14"), [30]) == D("2025-04-21")


def test_final_sixty_day_delay_needs_national_security():
    assert clock.delayed_until(D("2025-03-14"), [30, 30, 60], national_security=True) == D(
        "2025-07-18"
    )
    with pytest.raises(InvalidInput) as error:
        clock.delayed_until(D("2025-03-14"), [30, 30, 60])
    assert error.value.field == "national_security"


def test_no_delay_is_the_ordinary_due_date():
    assert clock.delayed_until(D("2024-12-20"), []) == D("2024-12-30")


@pytest.mark.parametrize(
    ("delays", "field"),
    [
        ([31], "days"),
        ([30, 31], "days"),
        ([30, 30, 61], "days"),
        ([0], "days"),
        ([30, 30, 60, 10], "sequence"),
    ],
)
def test_delay_caps(delays, field):
    with pytest.raises(InvalidInput) as error:
        clock.check_delays(delays, national_security=True)
    assert error.value.field == field


def test_shorter_delays_are_allowed():
    clock.check_delays([10, 5, 60], national_security=True)
    assert clock.delayed_until(D("2025-03-14"), [10]) == D("2025-03-31")  # Sunday 30th -> Mon


# Time left ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due", "left"),
    [
        ("2024-12-20", "2024-12-30", 4),
        ("2024-12-27", "2024-12-30", 1),
        ("2024-12-28", "2024-12-30", 1),  # Saturday: only Monday is left
        ("2024-12-30", "2024-12-30", 0),
        ("2024-12-31", "2024-12-30", -1),
        ("2025-01-03", "2024-12-30", -3),  # New Year's Day is not counted
    ],
)
def test_business_days_left(today, due, left):
    assert clock.business_days_left(D(today), D(due)) == left
