"""`riskward export TABLE --org ORG [--format csv|xlsx] [-o FILE]`: a register as a file.

The columns are those `riskward import` reads, so an export can be edited and imported back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from riskward.core import rbac, tabular
from riskward.core.management.lookups import acting_user, organization_named

FORMATS = ("csv", "xlsx")


class Command(BaseCommand):
    help = "Export a register as CSV (to standard output or -o FILE) or XLSX (-o FILE)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("table", choices=[spec.key for spec in tabular.tables()])
        parser.add_argument("--org", required=True, help="legal name, short name or id")
        parser.add_argument("--format", choices=FORMATS, help="default: from -o, else csv")
        parser.add_argument("-o", "--output", help="file to write; CSV goes to stdout without it")
        parser.add_argument("--as", dest="actor", help="username the audit trail records")

    def handle(self, *args: Any, **opts: Any) -> None:
        spec = tabular.table(opts["table"])
        org = organization_named(opts["org"])
        actor = acting_user(org, opts["actor"], rbac.Cap.VIEW_RECORDS)
        output = Path(opts["output"]) if opts["output"] else None
        fmt = opts["format"] or _format_of(output)
        if fmt == "xlsx" and output is None:
            raise CommandError("an XLSX export needs -o FILE")
        rows = tabular.export_rows(org, spec)
        count = rows.count()
        tabular.record_export(org, actor, spec, fmt, count, {})
        batches = rows.iterator(chunk_size=1000)
        if output is None:
            for line in tabular.csv_lines(spec, batches, bom=False):
                self.stdout.write(line, ending="")
            return
        if fmt == "csv":
            with output.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(tabular.csv_lines(spec, batches))
        else:
            with output.open("wb") as handle:
                tabular.write_xlsx(spec, batches, handle)
        self.stdout.write(f"exported {count} {spec.title} to {output}")


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "csv"
