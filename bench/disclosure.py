"""Disclosure benchmark: build and validate the demo disclosure, import a 4 MB Inline XBRL 10-K.

Loads the demo into a throwaway SQLite database, then times what a user waits for at the command
line: `riskward disclosure build` of the FY2024 demo disclosure (a cold process each time, so
Python, Django and Arelle start are all included), its breakdown inside one cold process, and
`import_filing` of a synthetic 4 MB Inline XBRL 10-K and of the seed EDGAR text page.
Prints seconds and PASS/FAIL against the targets; the exit status is 0 unless something broke.

    .venv/bin/python bench/disclosure.py                   # 5 runs of each, a temp data dir
    .venv/bin/python bench/disclosure.py --runs 10 --keep  # keep the data dir to look at
    .venv/bin/python bench/disclosure.py --data-dir DIR    # use (and keep) DIR
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED_FILE = ROOT.parent / "shared" / "seed" / "000_fadd27941013917f.txt"
ORG = "Demo Holdings Ltd."
YEAR = 2024
BUILD_TARGET_S = 10.0
IMPORT_TARGET_S = 2.0
FILING_BYTES = 4_000_000
BREAKDOWN = "--child-breakdown"  # the script re-runs itself with this to time one cold process


@dataclass(frozen=True)
class Row:
    """One line of the final table, judged on the median of its samples (a shared machine's
    passing load shows in the max, not in the median); no target: informative."""

    measure: str
    samples: tuple[float, ...]
    target: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "PASS" if self.median < self.target else "FAIL"


# --- set-up ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each measure (5)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    parser.add_argument(
        "--data-dir", "--db", dest="data_dir", type=Path, help="data dir to use and keep"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def environment(data_dir: Path) -> dict[str, str]:
    """The variables every process of the run gets: our own SQLite, never the user's var/."""
    env = dict(os.environ)
    env.pop("RISKWARD_DATABASE_URL", None)  # the figures are for SQLite, the default
    env.update(
        RISKWARD_DATA_DIR=str(data_dir),
        RISKWARD_ENV="development",
        DJANGO_SETTINGS_MODULE="riskward.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


def configure(data_dir: Path) -> None:
    os.environ.update(environment(data_dir))
    os.environ.pop("RISKWARD_DATABASE_URL", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # tests.disclosure.synthetic lives at the repo root
    import django

    django.setup()


def prepare() -> str:
    """Migrate, load the demo, and open a draft of FY2024 so each build recomputes it from the
    record (the filed version 1 would only be read back). Says which version is built."""
    from django.core.management import call_command

    from riskward.demo.services import load_demo
    from riskward.disclosure import services
    from riskward.disclosure.models import Disclosure, DisclosureVersion

    call_command("migrate", verbosity=0)
    org = load_demo().organization
    annual = Disclosure.objects.for_org(org).filter(fiscal_year=YEAR, incident__isnull=True)
    disclosure = annual.first()
    if disclosure is None:
        version = services.start_annual(org, None, YEAR)
    else:
        version = disclosure.versions.order_by("-number").first()
        frozen = (DisclosureVersion.Status.APPROVED, DisclosureVersion.Status.FILED)
        if version is not None and version.status in frozen:
            version = services.new_version(org, None, version)
    if version is None or version.status != DisclosureVersion.Status.DRAFT:
        return f"{version}: not a draft, built as it stands (no recomputation)"
    return f"{version} (draft, recomputed from the record each build)"


def machine() -> str:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        cpu = f" ({names[0].split(':', 1)[1].strip()})" if names else ""
    return (
        f"{os.cpu_count()} CPUs{cpu}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def load() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def riskward_command() -> list[str]:
    """The installed console script next to this interpreter, as a user would run it."""
    script = Path(sys.executable).parent / "riskward"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from riskward.cli import main; main()"]


def run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall clock of one process, from fork to exit; its stdout. Fails loudly on a non-zero exit."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def spread(samples: list[float]) -> str:
    return (
        f"min {min(samples):.2f}  median {statistics.median(samples):.2f}  max {max(samples):.2f} s"
    )


# --- build and validate ------------------------------------------------------------------------


def bench_build(data_dir: Path, env: dict[str, str], runs: int) -> list[Row]:
    print(f"\nBuild and validate: `riskward disclosure build --org {ORG!r} --year {YEAR}`")
    print("  each run a new process: Python start, Django set-up, compute, write, Arelle")
    samples = []
    for n in range(runs):
        out = data_dir / f"build-{n + 1}"
        command = [*riskward_command(), "disclosure", "build", "--org", ORG, "--year", str(YEAR)]
        seconds, stdout = run([*command, "-o", str(out)], env)
        samples.append(seconds)
        print(f"  run {n + 1}: {seconds:6.2f} s", flush=True)
    print(f"  {spread(samples)}")
    print("  " + stdout.strip().replace("\n", "\n  "))
    rows = [Row("build + validate, cold CLI", tuple(samples), BUILD_TARGET_S)]
    return rows + breakdown(data_dir, env)


def breakdown(data_dir: Path, env: dict[str, str]) -> list[Row]:
    """The same work in one fresh process, each step timed from inside."""
    seconds, stdout = run([sys.executable, str(Path(__file__).resolve()), BREAKDOWN], env)
    steps = json.loads(stdout.strip().splitlines()[-1])
    report = steps.pop("report")
    print("\n  Breakdown inside one cold process (seconds):")
    for name, value in steps.items():
        print(f"    {name:<44}{value:6.2f}")
    print(f"    {'whole process, wall clock':<44}{seconds:6.2f}")
    print(
        f"  validation: {report['errors']} error(s), {report['warnings']} warning(s), "
        f"{report['facts']} facts, {'official SEC' if report['official'] else 'UNOFFICIAL test'} "
        f"taxonomy; Arelle's own clock {report['arelle_s']:.2f} s"
    )
    cold, warm = steps["validate (first: Arelle starts)"], steps["validate again (Arelle warm)"]
    return [
        Row("  django.setup (one cold process)", (steps["django.setup"],)),
        Row("  load the URLconf (ninja API)", (steps["load the URLconf (first reverse())"],)),
        Row("  compute from the record", (steps["compute (refresh draft from record)"],)),
        Row("  build Inline XBRL + write files", (steps["build"] + steps["write files"],)),
        Row("  validate, first in the process", (cold,), note=f"{warm:.2f} s the second time"),
    ]


def child_breakdown() -> None:
    """Run in a fresh process: print one JSON line of step timings and the validation result."""
    steps: dict[str, Any] = {}
    started = time.perf_counter()
    import django

    django.setup()
    steps["django.setup"] = time.perf_counter() - started
    step = time.perf_counter()
    from django.urls import get_resolver

    from riskward.core.management.lookups import organization_named
    from riskward.disclosure import outputs
    from riskward.disclosure.management.commands.disclosure import current_draft, write_outputs

    steps["import the disclosure engine"] = time.perf_counter() - step
    org = organization_named(ORG)
    # The evidence links need reverse(), whose first call imports every URLconf and with them
    # the whole ninja API; timed apart so "compute" is the record's own cost.
    timed(steps, "load the URLconf (first reverse())", lambda: get_resolver().url_patterns)
    version = timed(steps, "compute (refresh draft from record)", current_draft, org, None, YEAR)
    package = timed(steps, "build", outputs.build, org, version)
    out = Path(tempfile.mkdtemp(prefix="riskward-bench-out-"))
    try:
        timed(steps, "write files", write_outputs, out, package, outputs.fact_set(org, version))
    finally:
        shutil.rmtree(out)
    _, report = timed(
        steps, "validate (first: Arelle starts)", outputs.validate_package, org, version
    )
    timed(steps, "validate again (Arelle warm)", outputs.validate_package, org, version)
    steps["report"] = {
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "facts": report.fact_count,
        "official": report.official,
        "arelle_s": report.seconds,
    }
    print(json.dumps(steps))


def timed(steps: dict[str, Any], name: str, call: Callable[..., Any], *args: Any) -> Any:
    started = time.perf_counter()
    result = call(*args)
    steps[name] = time.perf_counter() - started
    return result


# --- import ------------------------------------------------------------------------------------


def bench_import(data_dir: Path, env: dict[str, str], runs: int) -> list[Row]:
    from tests.disclosure.synthetic import EXPECTED_FACTS, make_large_filing

    from riskward.disclosure.importers import import_filing

    data = make_large_filing(FILING_BYTES)
    path = data_dir / "synthetic-10k.htm"
    path.write_bytes(data)
    print(f"\nImport: synthetic Inline XBRL 10-K, {len(data) / 1e6:.2f} MB ({len(data):,} bytes)")
    samples, filing = repeat(runs, import_filing, data, path.name)
    print(
        f"  in-process import_filing, {runs} runs: {spread(samples)}; "
        f"{len(filing.facts)} cyd facts found (the file holds {len(EXPECTED_FACTS)})"
    )
    seconds, stdout = run([*riskward_command(), "disclosure", "import", str(path)], env)
    found = json.loads(stdout)["fact_count"]
    print(f"  cold CLI `riskward disclosure import FILE`: {seconds:.2f} s, {found} cyd facts")
    mb = f"{len(data) / 1e6:.1f} MB"
    return [
        Row(f"import {mb} iXBRL, in process", tuple(samples), IMPORT_TARGET_S),
        Row(f"import {mb} iXBRL, cold CLI (1 run)", (seconds,), IMPORT_TARGET_S),
        *bench_seed(runs),
    ]


def bench_seed(runs: int) -> list[Row]:
    from riskward.disclosure.importers import import_filing

    if not SEED_FILE.is_file():
        print(f"\nImport: seed EDGAR text page skipped, {SEED_FILE} is absent")
        return []
    data = SEED_FILE.read_bytes()
    samples, filing = repeat(runs, import_filing, data, SEED_FILE.name)
    print(f"\nImport: seed EDGAR text page {SEED_FILE.name}, {len(data):,} bytes ({filing.format})")
    print(f"  in-process import_filing, {runs} runs: {spread(samples)}; {len(filing.facts)} facts")
    return [Row("import seed EDGAR text page", tuple(samples))]


def repeat(runs: int, call: Callable[..., Any], *args: Any) -> tuple[list[float], Any]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call(*args)
        samples.append(time.perf_counter() - started)
    return samples, result


# --- report ------------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    width = max(len(row.measure) for row in rows) + 2
    print(f"\n{'measure (seconds)':<{width}}{'min':>7}{'median':>8}{'max':>7}{'target':>8}  result")
    for row in rows:
        target = f"{row.target:>8.1f}" if row.target is not None else f"{'-':>8}"
        figures = f"{min(row.samples):>7.2f}{row.median:>8.2f}{max(row.samples):>7.2f}"
        note = f"  ({row.note})" if row.note else ""
        print(f"{row.measure:<{width}}{figures}{target}  {row.verdict}{note}")
    print("indented lines: the breakdown inside one cold process; the target is met by the median")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="riskward-bench-disclosure-"))
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        configure(data_dir)
        env = environment(data_dir)
        print("Riskward disclosure benchmark")
        print(f"  machine:  {machine()}; load average {load()}")
        print(f"  data dir: {data_dir}")
        started = time.perf_counter()
        print(f"  demo:     {prepare()}, loaded in {time.perf_counter() - started:.1f} s")
        rows = bench_build(data_dir, env, args.runs) + bench_import(data_dir, env, args.runs)
        print_table(rows)
        print(f"\nload average after: {load()} (other work on the machine inflates every figure)")
    finally:
        if args.data_dir is None and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"kept {data_dir}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == [BREAKDOWN]:
        child_breakdown()
        sys.exit(0)
    sys.exit(main())
