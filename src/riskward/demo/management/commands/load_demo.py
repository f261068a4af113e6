"""`riskward demo`: load (or refresh) the demo program and print how to sign in."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from riskward.demo.services import load_demo
from riskward.lib.errors import DomainError


class Command(BaseCommand):
    help = "Load the demo program (Demo Holdings Ltd.); running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        # A fresh machine has no database yet; `make demo` runs this before `serve`.
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        try:
            loaded = load_demo()
        except DomainError as error:
            raise CommandError(error.message) from None
        verb = "Loaded" if loaded.new else "Refreshed"
        self.stdout.write(
            f"{verb} the demo program of {loaded.organization.legal_name} in "
            f"{time.monotonic() - started:.1f} s ({loaded.created} records created, "
            f"{loaded.updated} brought back to the demo data)."
        )
        self.stdout.write("\nOpen http://127.0.0.1:8000 and sign in as one of:")
        for username, role in loaded.logins:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(f"Password for every demo login: {loaded.password}")
