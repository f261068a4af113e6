"""Read-side helpers: the filing clock of an incident and every open clock of an organization.

A material incident's clock runs until its Item 1.05 8-K (a 20-F filer: its 6-K) is filed; a
pending 8-K/A has its own clock. Due dates come from `incidents.clock`, with any Attorney
General delays applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from riskward.incidents import clock
from riskward.incidents.models import AttorneyGeneralDelay, Incident, IncidentFiling


@dataclass(frozen=True)
class IncidentClock:
    """One running (or stopped) filing clock."""

    incident: Incident
    form: str  # "8-K", "8-K/A" or "6-K"
    deadline: clock.Deadline  # the four-business-day count (6-K: none)
    due: date | None  # after Attorney General delays; None for a 6-K
    delays: tuple[AttorneyGeneralDelay, ...]
    delay_periods: tuple[tuple[date, date], ...]
    filing: IncidentFiling | None  # the filing that stops it (filed or pending)
    business_days_left: int | None
    overdue: bool

    @property
    def filed_on(self) -> date | None:
        return self.filing.filed_on if self.filing is not None else None

    @property
    def is_open(self) -> bool:
        return self.filed_on is None

    @property
    def business_days_overdue(self) -> int:
        return -self.business_days_left if self.overdue and self.business_days_left else 0

    @property
    def delays_with_periods(self) -> list[tuple[AttorneyGeneralDelay, tuple[date, date]]]:
        return list(zip(self.delays, self.delay_periods, strict=True))

    @property
    def delayed(self) -> bool:
        return bool(self.delays)


def form_for(org: Any) -> str:
    """A foreign private issuer furnishes a 6-K; every other filer files an 8-K."""
    return clock.FORM_6K if org.is_foreign_private_issuer else clock.FORM_8K


def _delay_args(delays: Sequence[AttorneyGeneralDelay]) -> tuple[list[int], bool]:
    """Days of each delay in order, and whether the third was granted for national security."""
    ordered = sorted(delays, key=lambda d: d.sequence)
    national = len(ordered) == len(clock.DELAY_CAPS) and ordered[-1].national_security
    return [d.days for d in ordered], national


def due_with_delays(determined_on: date, delays: Sequence[AttorneyGeneralDelay]) -> date:
    """The 8-K due date after the recorded delays (no delays: four business days)."""
    return clock.delayed_until(determined_on, *_delay_args(delays))


def _timing(due: date | None, filed_on: date | None, today: date) -> tuple[int | None, bool]:
    if due is None or filed_on is not None:
        return None, False
    return clock.business_days_left(today, due), today > due


def clock_for(incident: Incident, org: Any, today: date) -> IncidentClock | None:
    """The determination's clock, or None when the incident is not determined material.

    Reads `incident.ag_delays.all()` and `incident.filings.all()`: prefetch them for lists.
    """
    if incident.material is not True or incident.determined_on is None:
        return None
    form = form_for(org)
    deadline = clock.filing_deadline(incident.determined_on, form)
    delays: tuple[AttorneyGeneralDelay, ...] = ()
    periods: tuple[tuple[date, date], ...] = ()
    due = deadline.due
    if form == clock.FORM_8K:
        delays = tuple(sorted(incident.ag_delays.all(), key=lambda d: d.sequence))
        due = due_with_delays(incident.determined_on, delays)
        periods = _periods(incident.determined_on, delays)
    filing = _stopping_filing(incident, form)
    left, overdue = _timing(due, filing.filed_on if filing else None, today)
    return IncidentClock(incident, form, deadline, due, delays, periods, filing, left, overdue)


def _periods(
    determined_on: date, delays: Sequence[AttorneyGeneralDelay]
) -> tuple[tuple[date, date], ...]:
    return clock.delay_periods(determined_on, *_delay_args(delays))


def _stopping_filing(incident: Incident, form: str) -> IncidentFiling | None:
    """The filed one if any, else a pending one: the row that shows the clock's state."""
    rows = [f for f in incident.filings.all() if f.form == form]
    filed = [f for f in rows if f.filed_on is not None]
    found: IncidentFiling | None = (filed or rows or [None])[0]
    return found


def amendment_clock(filing: IncidentFiling, today: date) -> IncidentClock:
    """The clock of an 8-K/A: four business days after the information became available."""
    assert filing.information_determined_on is not None  # services require it for an 8-K/A
    deadline = clock.amendment_deadline(filing.information_determined_on)
    left, overdue = _timing(deadline.due, filing.filed_on, today)
    return IncidentClock(
        filing.incident, clock.FORM_8KA, deadline, deadline.due, (), (), filing, left, overdue
    )


def incident_clocks(incident: Incident, org: Any, today: date) -> list[IncidentClock]:
    """Every clock of one incident (its page): the determination's, then each 8-K/A's."""
    clocks = [c for c in [clock_for(incident, org, today)] if c is not None]
    amendments = [f for f in incident.filings.all() if f.form == clock.FORM_8KA]
    for filing in amendments:
        filing.incident = incident  # already loaded: no query per amendment
        if filing.information_determined_on is not None:
            clocks.append(amendment_clock(filing, today))
    return clocks


def _sort_key(item: IncidentClock) -> tuple[bool, date, str]:
    return (item.due is None, item.due or date.max, item.incident.reference)


def open_clocks(org: Any, today: date) -> list[IncidentClock]:
    """Every clock still running in `org`, soonest due first (6-K clocks, with no due date,
    last): material incidents with no 8-K (20-F filers: 6-K) filed, and pending 8-K/As."""
    material = (
        Incident.objects.for_org(org)
        .filter(material=True, determined_on__isnull=False)
        .prefetch_related("ag_delays", "filings")
    )
    clocks = [c for i in material if (c := clock_for(i, org, today)) and c.is_open]
    pending = (
        IncidentFiling.objects.filter(
            organization=org,
            form=clock.FORM_8KA,
            filed_on__isnull=True,
            information_determined_on__isnull=False,
        )
        .select_related("incident")
        .order_by("pk")
    )
    clocks += [amendment_clock(filing, today) for filing in pending]
    return sorted(clocks, key=_sort_key)
