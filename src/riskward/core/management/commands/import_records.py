"""`riskward import TABLE FILE --org ORG`: import a register from CSV or XLSX, all or nothing.

Prints the counts, or every problem as "row N, column X: message" and exits 1 writing nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from riskward.core import rbac, tabular
from riskward.core.management.lookups import acting_user, organization_named
from riskward.lib.errors import DomainError, ImportRejected


def _read(file: str) -> tuple[bytes, str]:
    if file == "-":
        return sys.stdin.buffer.read(tabular.MAX_IMPORT_BYTES + 1), ""
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"no file {file}")
    if path.stat().st_size > tabular.MAX_IMPORT_BYTES:
        raise CommandError(f"{file} is larger than {tabular.MAX_IMPORT_BYTES // 2**20} MB")
    return path.read_bytes(), path.name


class Command(BaseCommand):
    help = "Import a register from CSV or XLSX. Nothing is written if any row has a problem."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("table", choices=[spec.key for spec in tabular.tables()])
        parser.add_argument("file", help="a .csv or .xlsx file, or - for standard input")
        parser.add_argument("--org", required=True, help="legal name, short name or id")
        parser.add_argument(
            "--update", action="store_true", help="change rows whose name/reference exists"
        )
        parser.add_argument("--as", dest="actor", help="username the audit trail records")

    def handle(self, *args: Any, **opts: Any) -> None:
        spec = tabular.table(opts["table"])
        org = organization_named(opts["org"])
        actor = acting_user(org, opts["actor"], rbac.Cap.IMPORT)
        data, name = _read(opts["file"])
        try:
            sheet = tabular.read_rows(data, name)
            result = tabular.import_table(
                org, actor, spec, sheet, update=opts["update"], source=name or "stdin"
            )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(tabular.problem_line(problem))
            raise CommandError(rejected.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{spec.key}: {result}")
