"""`riskward expire_acceptances [--date YYYY-MM-DD]`: lapse every approval whose date has come.

Run it daily (cron or the job runner); it is safe to run more than once a day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from riskward.core.models import Organization
from riskward.risks import services


class Command(BaseCommand):
    help = "Expire approved risk acceptances whose expiry date has come, in every organization."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="treat this day (YYYY-MM-DD) as today")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            today = date.fromisoformat(opts["date"]) if opts["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date: use YYYY-MM-DD") from None
        total = 0
        for org in Organization.objects.order_by("pk"):
            expired = services.expire_acceptances(org, today)
            for acceptance in expired:
                self.stdout.write(f"{org}: {acceptance.risk.reference} acceptance expired")
            total += len(expired)
        self.stdout.write(f"{total} acceptance(s) expired")
