"""`riskward disclosure build|import|compare`: the disclosure engine from the command line.

riskward disclosure build --org ORG --year 2024 [-o DIR] [--no-validate]
riskward disclosure import FILE [--org ORG --role peer|prior_year --name NAME]
riskward disclosure compare --org ORG [--year 2024]
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from riskward.core import rbac
from riskward.core.management.lookups import acting_user, organization_named
from riskward.disclosure import importers, outputs, peer_filings, peers, rendering, services
from riskward.lib.errors import DomainError


class Command(BaseCommand):
    help = "Build, validate, import and compare SEC cybersecurity disclosures."
    # The system checks import every URL conf and the whole API (about a second); a script
    # importing filings needs none of it. `riskward check` still runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        build = verbs.add_parser("build", help="write the Inline XBRL package and validate it")
        build.add_argument("--org", required=True, help="legal name, short name or id")
        build.add_argument("--year", type=int, required=True, help="fiscal year")
        build.add_argument("-o", "--output", default=".", help="directory to write (default .)")
        build.add_argument("--no-validate", action="store_true", help="skip Arelle")
        build.add_argument("--as", dest="actor", help="username the audit trail records")
        read = verbs.add_parser("import", help="read a filing's cyd facts and print them as JSON")
        read.add_argument("file")
        read.add_argument("--org", help="also keep it for comparison in this organization")
        read.add_argument("--role", default="peer", choices=["peer", "prior_year"])
        read.add_argument("--name", default="", help="name in comparisons (default registrant)")
        read.add_argument("--as", dest="actor", help="username the audit trail records")
        compare = verbs.add_parser("compare", help="our disclosure next to imported filings")
        compare.add_argument("--org", required=True)
        compare.add_argument("--year", type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['verb']}")(opts)
        except DomainError as error:
            raise CommandError(error.message) from None

    def _build(self, opts: dict[str, Any]) -> None:
        org = organization_named(opts["org"])
        actor = acting_user(org, opts["actor"], rbac.Cap.EDIT_RECORDS)
        version = services.current_annual(org, actor, opts["year"])
        out = Path(opts["output"])
        out.mkdir(parents=True, exist_ok=True)
        package = outputs.build(org, version)
        written = write_outputs(out, package, outputs.fact_set(org, version))
        self.stdout.write(f"{version} ({version.get_status_display()}): wrote {', '.join(written)}")
        if opts["no_validate"]:
            return
        started = time.perf_counter()
        _, report = outputs.validate_package(org, version)
        self.stdout.write(describe_report(report, time.perf_counter() - started))
        if report.errors:
            raise CommandError(f"{len(report.errors)} validation error(s)")

    def _import(self, opts: dict[str, Any]) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        data = path.read_bytes()
        filing = importers.import_filing(data, path.name)
        self.stdout.write(json.dumps(importers.facts_to_json(filing), indent=2, ensure_ascii=False))
        if opts["org"]:
            org = organization_named(opts["org"])
            actor = acting_user(org, opts["actor"], rbac.Cap.IMPORT)
            saved = peer_filings.import_bytes(
                org, actor, data, path.name, opts["name"], opts["role"]
            )
            self.stderr.write(f"kept as “{saved}” ({saved.get_role_display()}) in {org}")

    def _compare(self, opts: dict[str, Any]) -> None:
        org = organization_named(opts["org"])
        year = str(opts["year"]) if opts["year"] else None
        found = peer_filings.comparison_context(org, year)["comparison"]
        if found is None:
            raise CommandError("nothing to compare: no disclosure and no imported filing")
        self.stdout.write(peers.as_text(found))


def write_outputs(out: Path, package: Any, facts: Any) -> list[str]:
    written = []
    for name, content in package.files.items():
        (out / name).write_bytes(content)
        written.append(name)
    stem = Path(package.document_name).stem
    (out / f"{stem}.zip").write_bytes(package.zip_bytes())
    (out / f"{stem}.txt").write_text(rendering.render_text(facts), encoding="utf-8")
    return [*written, f"{stem}.zip", f"{stem}.txt"]


def describe_report(report: Any, seconds: float) -> str:
    lines = [
        f"Arelle: {report.fact_count} facts, {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s) in {seconds:.1f} s"
    ]
    lines += [f"  error {m.code}: {m.message}" for m in report.errors]
    lines += [f"  warning {m.code}: {m.message}" for m in report.warnings]
    if not report.official:
        lines.append(
            "UNOFFICIAL: validated against Riskward's test taxonomy - not ready to file "
            "(set RISKWARD_SEC_TAXONOMY to the official SEC files)"
        )
    elif report.ready_to_file:
        lines.append("Ready to file.")
    return "\n".join(lines)
