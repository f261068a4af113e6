"""`riskward quant run|import|export`: Open FAIR quantification from the command line.

riskward quant run --org ORG [--iterations N] [--seed S] [--single-event] [--risk REF ...]
riskward quant import FILE --org ORG [--as USER]
riskward quant export --org ORG [--what estimates|results] [--output FILE] [--as USER]

`run` shows a progress bar on stderr and prints the portfolio's figures and top contributors;
`import` stores the estimates of a CSV or XLSX, all or nothing, listing every problem; `export`
writes the estimates (in the columns `import` reads) or the results as CSV.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from riskward.core import rbac, tabular
from riskward.core.management.lookups import acting_user, organization_named
from riskward.lib.errors import DomainError, ImportRejected
from riskward.risks import quant_import, quant_pages, quantification
from riskward.risks.models import QuantStudy
from riskward.risks.quant_charts import money, percent

BAR_WIDTH = 30


class ProgressBar:
    """A one-line textual bar fed by the engine's progress callback (done and total, or a share)."""

    def __init__(self, stream: OutputWrapper, label: str = "Simulating") -> None:
        self.stream, self.label = stream, label
        self.shown = -1
        self.started = time.perf_counter()

    def __call__(self, done: float, total: float | None = None) -> None:
        share = done / total if total else done
        percent = int(min(max(share, 0.0), 1.0) * 100)
        if percent == self.shown:
            return  # the terminal needs no more than a hundred redraws
        self.shown = percent
        filled = BAR_WIDTH * percent // 100
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {percent:3d}%", ending="")
        self.stream.flush()

    def finish(self) -> None:
        self(1.0)
        self.stream.write(f" {time.perf_counter() - self.started:.1f} s")
        self.stream.flush()


def describe_study(study: QuantStudy, currency: str, top: int = 10) -> list[str]:
    """The portfolio's figures and top contributors as lines of text."""
    risks = study.risks.count()
    lines = [
        f"Portfolio of {risks} risk(s): {study.iterations:,} simulated years, seed {study.seed}, "
        f"{study.seconds:.1f} s",
        f"{'':30}{'Inherent':>16}{'Residual':>16}",
    ]
    for figure in quant_pages.figures(study.inherent, study.residual, study.threshold, currency):
        lines.append(f"{figure.label:30}{figure.inherent:>16}{figure.residual:>16}")
    lines.append("Top contributors (share of the mean loss; loss and share in the worst years):")
    for row in study.contributors[:top]:
        share = percent(row["share_of_mean"])
        tail = money(row["tail_contribution"], currency)
        tail_share = percent(row.get("share_of_tail"))
        lines.append(
            f"  {row['reference']:10} {share:>7} {tail:>14} {tail_share:>7}  {row['title']}"
        )
    return lines


class Command(BaseCommand):
    help = "Run Open FAIR quantification, import estimates for many risks, or export them."

    def add_arguments(self, parser: Any) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        run = verbs.add_parser("run", help="simulate the portfolio and store the results")
        run.add_argument("--org", required=True, help="legal name, short name or id")
        run.add_argument(
            "--iterations",
            type=int,
            help="simulated years (default: RISKWARD_QUANT_ITERATIONS, 100,000 unless set)",
        )
        run.add_argument("--seed", type=int, help="random seed (default from settings)")
        run.add_argument("--single-event", action="store_true", help="one loss event a year")
        run.add_argument("--risk", action="append", dest="risks", help="a risk reference (repeat)")
        run.add_argument("--as", dest="actor", help="username the audit trail records")
        read = verbs.add_parser("import", help="store estimates from a CSV or XLSX, all or none")
        read.add_argument("file", help="a .csv or .xlsx file")
        read.add_argument("--org", required=True, help="legal name, short name or id")
        read.add_argument("--as", dest="actor", help="username the audit trail records")
        self._add_export(verbs)

    def _add_export(self, verbs: Any) -> None:
        export = verbs.add_parser("export", help="write the estimates or the results as CSV")
        export.add_argument("--org", required=True, help="legal name, short name or id")
        export.add_argument("--what", choices=quant_import.EXPORTS, default="estimates")
        export.add_argument("-o", "--output", help="file to write (default: standard output)")
        export.add_argument("--as", dest="actor", help="username the audit trail records")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['verb']}")(opts)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(tabular.problem_line(problem))
            raise CommandError(rejected.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None

    def _run(self, opts: dict[str, Any]) -> None:
        org = organization_named(opts["org"])
        actor = acting_user(org, opts["actor"], rbac.Cap.EDIT_RECORDS)
        bar = ProgressBar(self.stderr)
        study = quantification.run_portfolio(
            org,
            actor,
            risks=opts["risks"],
            iterations=opts["iterations"],
            seed=opts["seed"],
            single_event=opts["single_event"],
            progress=bar,
        )
        bar.finish()
        for line in describe_study(study, org.reporting_currency):
            self.stdout.write(line)

    def _import(self, opts: dict[str, Any]) -> None:
        org = organization_named(opts["org"])
        actor = acting_user(org, opts["actor"], rbac.Cap.IMPORT)
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        if path.stat().st_size > tabular.MAX_IMPORT_BYTES:
            raise CommandError(f"{path} is larger than {tabular.MAX_IMPORT_BYTES // 2**20} MB")
        sheet = tabular.read_rows(path.read_bytes(), path.name)
        result = quant_import.import_estimates(org, actor, sheet, path.name)
        self.stdout.write(f"Imported {result}.")

    def _export(self, opts: dict[str, Any]) -> None:
        org = organization_named(opts["org"])
        actor = acting_user(org, opts["actor"], rbac.Cap.VIEW_RECORDS)
        text = quant_import.export_csv(org, actor, opts["what"])
        if not opts["output"]:
            self.stdout.write(text, ending="")
            return
        path = Path(opts["output"])
        # With the byte-order mark, as the page's download, so that Excel reads it as UTF-8.
        path.write_text(text, encoding="utf-8-sig", newline="")
        self.stdout.write(f"Exported the quantification {opts['what']} to {path}.")
