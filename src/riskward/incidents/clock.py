"""The Form 8-K Item 1.05 filing clock: SEC business days, deadlines and Attorney General delays.

Pure Python (no Django), so the CLI, services and tests share one calendar. A business day is
not a Saturday or Sunday, not a federal holiday and not a one-off federal closure (2024-12-24,
2025-01-09 ...), as listed by `holidays.US(categories=("public", "government"))`; a half-day
closing (2015-12-24) counts as a business day, which gives the earlier deadline.

Rules implemented (Form 8-K General Instruction B.1 and Item 1.05):

- An 8-K is due within four business days after the determination that the incident is
  material. A determination on a business day starts the count on the next business day; one on
  a weekend or closure day starts it on, and includes, the next business day.
- The time of day of the determination does not change the rule: a determination at 16:30 or
  23:59 on a business day still counts from the next business day (the day itself is never one
  of the four). Times are shown to the user but not used; a datetime is read as the calendar
  date it carries, so convert it to the company's local time first.
- An 8-K/A is due within four business days after the missing information is determined or
  becomes available, counted the same way.
- A Form 6-K (foreign private issuers) has no four-day rule: it is furnished promptly after the
  information is made public in the home country, so its `due` is None and `note` says so.
- Attorney General delays: see `delay_periods`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from holidays.constants import GOVERNMENT, PUBLIC
from holidays.countries.united_states import US  # `holidays.US`, imported where mypy sees it

from riskward.lib.errors import InvalidInput

FORM_8K = "8-K"
FORM_8KA = "8-K/A"
FORM_6K = "6-K"
FORMS = (FORM_8K, FORM_8KA, FORM_6K)
BUSINESS_DAYS = 4
# Up to 30 days, a further 30, and a final 60 (national security only), in that order.
DELAY_CAPS = (30, 30, 60)
WEEKEND = {5: "Saturday", 6: "Sunday"}

NOTES = {
    FORM_8K: "Form 8-K Item 1.05: due within four business days after the materiality "
    "determination.",
    FORM_8KA: "Form 8-K/A: due within four business days after the missing information is "
    "determined or becomes available.",
    FORM_6K: "Form 6-K: no four-business-day rule. A foreign private issuer furnishes the "
    "information promptly after it is made public in its home country (or to its exchange or "
    "security holders); watch the home-country deadline.",
}


@dataclass(frozen=True)
class Deadline:
    """A computed deadline. `due` and `starts_on` are None for Form 6-K (no fixed period);
    `skipped` starts with the determination day itself when that is not a business day."""

    form: str
    determined_on: date
    starts_on: date | None  # the first business day counted
    due: date | None
    business_days: tuple[date, ...]  # the days counted, in order
    skipped: tuple[tuple[date, str], ...]  # non-business days passed over, with the reason
    note: str = ""


@lru_cache(maxsize=256)
def _closures(year: int) -> Mapping[date, str]:
    """Days the SEC is closed in `year`, with a reason; one-off closures are marked as such."""
    combined = US(categories=(PUBLIC, GOVERNMENT), years=year)  # type: ignore[no-untyped-call]
    public = US(categories=(PUBLIC,), years=year)  # type: ignore[no-untyped-call]
    closed: dict[date, str] = {}
    for day, name in combined.items():
        if "half-day" in name.lower():
            # Offices were open part of the day (2015-12-24): counting it is the safe reading.
            continue
        closed[day] = public.get(day) or f"Federal closure: {name}"
    return closed


def closure_reason(day: date) -> str | None:
    """Why `day` is not a business day ("Saturday", "Christmas Day" ...), or None if it is."""
    holiday = _closures(day.year).get(day)
    weekday = WEEKEND.get(day.weekday())
    if weekday and holiday:
        return f"{weekday} ({holiday})"
    return weekday or holiday


def is_business_day(day: date) -> bool:
    return closure_reason(day) is None


def as_date(value: date | datetime) -> date:
    """The calendar date a determination carries; a datetime is read on its own wall clock."""
    return value.date() if isinstance(value, datetime) else value


def next_business_day_on_or_after(day: date) -> date:
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def _count(determined: date, form: str) -> Deadline:
    counted: list[date] = []
    skipped: list[tuple[date, str]] = []
    reason = closure_reason(determined)
    if reason:
        skipped.append((determined, reason))
    day = determined
    while len(counted) < BUSINESS_DAYS:
        day += timedelta(days=1)
        reason = closure_reason(day)
        if reason:
            skipped.append((day, reason))
        else:
            counted.append(day)
    return Deadline(
        form=form,
        determined_on=determined,
        starts_on=counted[0],
        due=counted[-1],
        business_days=tuple(counted),
        skipped=tuple(skipped),
        note=NOTES[form],
    )


def filing_deadline(determined: date | datetime, form: str = FORM_8K) -> Deadline:
    """The deadline for `form` counted from `determined` (the determination, or for an 8-K/A
    the day the missing information was determined or became available)."""
    if form not in FORMS:
        raise InvalidInput(f"form: use one of {', '.join(FORMS)}; {form!r} given", "form")
    day = as_date(determined)
    if form == FORM_6K:
        return Deadline(form, day, None, None, (), (), NOTES[FORM_6K])
    # A non-business determination day is never counted, so the next business day is day 1 -
    # "begins on and includes the next business day" and "the next four after it" agree.
    return _count(day, form)


def amendment_deadline(information_determined: date | datetime) -> Deadline:
    """Form 8-K/A: four business days after the information is determined or available."""
    return filing_deadline(information_determined, FORM_8KA)


def check_delays(delays: Sequence[int], national_security: bool = False) -> None:
    """At most three delays of up to 30, 30 and 60 days; the third needs national security."""
    if len(delays) > len(DELAY_CAPS):
        raise InvalidInput(
            "sequence: at most three Attorney General delays (30, 30 and a final 60 days); "
            "a longer delay needs a Commission exemptive order",
            "sequence",
        )
    for number, (days, cap) in enumerate(zip(delays, DELAY_CAPS, strict=False), start=1):
        if days < 1 or days > cap:
            raise InvalidInput(f"days: delay {number} may be 1 to {cap} days; {days} given", "days")
    if len(delays) == len(DELAY_CAPS) and not national_security:
        raise InvalidInput(
            "national_security: the final delay (up to 60 days) is only for a substantial risk "
            "to national security",
            "national_security",
        )


def delay_periods(
    determined: date | datetime, delays: Sequence[int], national_security: bool = False
) -> tuple[tuple[date, date], ...]:
    """(first day, last day) of each delay, in calendar days.

    Item 1.05(c): the first delay runs "up to 30 days following the date when the disclosure
    was otherwise required" - the four-business-day due date - and each further delay runs on
    from the end of the one before. `national_security` is the third delay's ground.
    """
    check_delays(delays, national_security)
    due = filing_deadline(determined).due
    assert due is not None  # an 8-K deadline always has a due date
    periods: list[tuple[date, date]] = []
    end = due
    for days in delays:
        start, end = end + timedelta(days=1), end + timedelta(days=days)
        periods.append((start, end))
    return tuple(periods)


def delayed_until(
    determined: date | datetime, delays: Sequence[int], national_security: bool = False
) -> date:
    """The 8-K due date after Attorney General delays: the day the last delay ends.

    Our reading (the shared SEC facts are silent): the disclosure is due when the delay period
    ends, not four business days later; if that day is not a business day it moves to the next
    business day (Exchange Act Rule 0-3). No delays: the ordinary four-business-day due date.
    """
    periods = delay_periods(determined, delays, national_security)
    if not periods:
        due = filing_deadline(determined).due
        assert due is not None
        return due
    return next_business_day_on_or_after(periods[-1][1])


def business_days_left(today: date, due: date) -> int:
    """Business days after `today` up to and including `due` (0: due today). Past the due
    date, minus the business days since it (a weekend right after it still shows 0)."""
    if today > due:
        return -sum(1 for n in range(1, (today - due).days + 1) if _business(due, n))
    return sum(1 for n in range(1, (due - today).days + 1) if _business(today, n))


def _business(start: date, offset: int) -> bool:
    return is_business_day(start + timedelta(days=offset))
