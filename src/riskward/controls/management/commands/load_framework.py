"""`riskward load_framework ORGANIZATION KEY [KEY ...]`: load bundled frameworks.

ORGANIZATION is the legal name (or id). Loading again refreshes a framework from its data file
and changes nothing when the file has not changed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from riskward.controls import datafiles, services
from riskward.core.models import Organization
from riskward.lib.errors import DomainError


class Command(BaseCommand):
    help = "Load (or refresh) bundled compliance frameworks for an organization."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("organization", help="legal name or id of the organization")
        keys = ", ".join(key for key, _ in datafiles.available())
        parser.add_argument("keys", nargs="+", metavar="KEY", help=f"one or more of: {keys}")

    def handle(self, *args: Any, **opts: Any) -> None:
        name = opts["organization"]
        org = Organization.objects.filter(legal_name=name).first()
        if org is None and name.isdigit():
            org = Organization.objects.filter(pk=int(name)).first()
        if org is None:
            raise CommandError(f"organization: no organization called {name!r}")
        for key in opts["keys"]:
            try:
                framework = services.load_framework(org, key)
            except DomainError as error:
                raise CommandError(error.message) from None
            active = framework.requirements.filter(withdrawn=False).count()
            self.stdout.write(f"{org}: {framework} loaded, {active} active requirements")
