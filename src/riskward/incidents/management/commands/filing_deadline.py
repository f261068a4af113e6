"""`riskward filing-deadline --determined YYYY-MM-DD [--time HH:MM] [--form 8-K|6-K] [--json]`.

Prints when the report is due, each business day counted and each day skipped with its reason.
"""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from riskward.incidents import clock
from riskward.lib.errors import InvalidInput


def _parse(value: str, option: str, kind: type[date] | type[time], shape: str) -> Any:
    try:
        return kind.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not a valid {shape}") from None


class Command(BaseCommand):
    help = "Compute the Form 8-K Item 1.05 (or 8-K/A, 6-K) due date from a determination date."
    requires_system_checks: list[str] = []  # a quick calculation; the checks cost a second

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--determined", required=True, help="day of the determination (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--time", help="time of the determination (HH:MM); shown, it does not move the date"
        )
        parser.add_argument("--form", default=clock.FORM_8K, choices=clock.FORMS)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        determined = _parse(opts["determined"], "--determined", date, "date (use YYYY-MM-DD)")
        at = _parse(opts["time"], "--time", time, "time (use HH:MM)") if opts["time"] else None
        try:
            deadline = clock.filing_deadline(determined, opts["form"])
        except InvalidInput as error:
            raise CommandError(f"--form: {error.message}") from None
        if opts["json"]:
            self.stdout.write(json.dumps(_as_json(deadline, at), indent=2))
        else:
            self.stdout.write("\n".join(_as_text(deadline, at)))


def _as_json(deadline: clock.Deadline, at: time | None) -> dict[str, Any]:
    return {
        "form": deadline.form,
        "determined_on": deadline.determined_on.isoformat(),
        "determined_time": at.isoformat(timespec="minutes") if at else None,
        "starts_on": deadline.starts_on.isoformat() if deadline.starts_on else None,
        "due": deadline.due.isoformat() if deadline.due else None,
        "business_days": [day.isoformat() for day in deadline.business_days],
        "skipped": [{"day": d.isoformat(), "reason": r} for d, r in deadline.skipped],
        "note": deadline.note,
    }


def _as_text(deadline: clock.Deadline, at: time | None) -> list[str]:
    when = f"{deadline.determined_on:%a %Y-%m-%d}"
    if at is not None:
        when += f" {at:%H:%M} (the time of day does not change the count)"
    lines = [f"Form {deadline.form}", f"Determined: {when}"]
    if deadline.due is None:
        return [*lines, "Due: no fixed date", deadline.note]
    lines.append(f"Due: {deadline.due:%a %Y-%m-%d}")
    lines += [
        f"  business day {n}: {day:%a %Y-%m-%d}"
        for n, day in enumerate(deadline.business_days, start=1)
    ]
    lines += [f"  skipped: {day:%a %Y-%m-%d} {reason}" for day, reason in deadline.skipped]
    return [*lines, deadline.note]
