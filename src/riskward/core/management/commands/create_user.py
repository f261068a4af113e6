"""`riskward createuser`: add a login to an organization; the password can come from stdin."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from riskward.core import services
from riskward.core.management.lookups import organization_named
from riskward.core.models import Role
from riskward.lib.errors import DomainError


class Command(BaseCommand):
    help = "Create a login: --username U --role R --organization ORG [--password-stdin]"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organization", required=True, help="legal name, short name or id")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        org = organization_named(opts["organization"])
        if opts["password_stdin"] or not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
        try:
            user = services.create_user(
                org,
                None,
                username=opts["username"],
                role=opts["role"],
                password=password,
                email=opts["email"],
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"created {user.username} ({user.get_role_display()}) in {org}")
