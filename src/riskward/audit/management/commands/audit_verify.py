"""`riskward audit-verify`: walk the hash chain; exit 1 if any event was edited or removed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from riskward.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's SHA-256 chain; exits non-zero if it was tampered with."

    def handle(self, *args: Any, **options: Any) -> None:
        count, problems = verify_chain()
        for problem in problems[:50]:
            where = f"event {problem.event_id}" if problem.event_id else "chain head"
            self.stderr.write(f"{where}: {problem.message}")
        if problems:
            raise CommandError(f"audit trail BROKEN: {len(problems)} problem(s) in {count} events")
        self.stdout.write(f"audit trail intact: {count} events verified")
