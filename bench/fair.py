"""Open FAIR Monte Carlo benchmark: our engine (risks/quant) against pyfair 0.1a13, same risks.

Generates seeded, varied risks (TEF x vulnerability or a direct LEF, PERT primary loss, secondary
loss with a probability, controls on half of them), then times `run_study` over them in a fresh
process (100 x 1,000,000 and 100 x 100,000 simulated years, compound frequency, full outputs and
the portfolio) and pyfair on the same risks (100 x 100,000) in its own virtual environment.
Prints seconds, peak memory, seconds per million simulated risk-years and PASS/FAIL against the
targets; exits 0 when every target is met, 1 when one is missed, 2 when a step failed.

    .venv/bin/python bench/fair.py                 # ours 100 x 1M and 100 x 100k, pyfair 100 x 100k
    .venv/bin/python bench/fair.py --setup         # first create bench/.venv-pyfair
    .venv/bin/python bench/fair.py --skip-pyfair --repeats 1
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYFAIR_VENV = BENCH / ".venv-pyfair"
PYFAIR_PYTHON = PYFAIR_VENV / "bin" / "python"
PYFAIR_REQUIREMENTS = BENCH / "pyfair-requirements.txt"
PYFAIR_SIDE = BENCH / "pyfair_side.py"
CHILD = "--child-ours"  # the script re-runs itself with this: one study in a fresh process

TARGET_SECONDS = 6.0  # the issue: 100 risks x 1,000,000 years under 6 s ...
STRETCH_SECONDS = 2.0  # ... the stretch goal 2 s
TARGET_MB = 300.0  # ... under 300 MB peak
TARGET_RATIO = 20.0  # ... at least 20x pyfair per million simulated risk-years
ISSUE_PYFAIR_1M_SECONDS = 117.0  # the issue's pyfair 100 x 1M on this machine (14.7 GB)
ISSUE_NUMPY_1M_SECONDS = 21.0  # the issue's plain numpy implementation, 100 x 1M
Z90 = 1.6448536269514722  # a 90% interval spans the 5th to the 95th percentile

CONTROLS = (
    ("Multi-factor authentication", "vulnerability"),
    ("Network segmentation", "vulnerability"),
    ("Endpoint detection and response", "frequency"),
    ("Security awareness training", "frequency"),
    ("Immutable backups", "magnitude"),
    ("Incident response retainer", "magnitude"),
)


# ---------------------------------------------------------------------------------------------
# The risks: plain JSON-able dicts, so both sides (and the pyfair venv) read the same numbers.
# ---------------------------------------------------------------------------------------------


def _pert(low: float, high: float, mode_at: float, digits: int) -> dict[str, float]:
    """A PERT estimate with its mode at `mode_at` of the range, rounded as an analyst would."""
    mode = low + (high - low) * mode_at
    return {"low": round(low, digits), "mode": round(mode, digits), "high": round(high, digits)}


def _money(
    rng: random.Random, low_exp: tuple[float, float], spread_exp: tuple[float, float]
) -> tuple[float, float]:
    """Low and high of a loss: low 10^a, high 10 to 100 times it (thousands to millions)."""
    low = 10 ** rng.uniform(*low_exp)
    return round(low, -2), round(low * 10 ** rng.uniform(*spread_exp), -2)


def _frequency(rng: random.Random, spec: dict[str, Any], index: int) -> None:
    """Four risks in five are TEF x vulnerability; the fifth is estimated as LEF directly."""
    if index % 5 == 4:
        low = rng.uniform(0.02, 0.4)
        spec["lef"] = _pert(low, low * rng.uniform(4, 12), rng.uniform(0.1, 0.35), 3)
        return
    low = rng.uniform(0.2, 1.5)
    spec["tef"] = _pert(low, low * rng.uniform(3, 8), rng.uniform(0.1, 0.45), 3)
    v_low = rng.uniform(0.05, 0.35)
    v_high = min(0.95, v_low + rng.uniform(0.2, 0.5))
    spec["vulnerability"] = _pert(v_low, v_high, rng.uniform(0.2, 0.6), 3)


def _controls(rng: random.Random, spec: dict[str, Any], index: int) -> None:
    """Two controls on every other risk; no vulnerability control on a risk estimated as LEF."""
    if index % 2:
        spec["controls"] = []
        return
    usable = [c for c in CONTROLS if "lef" not in spec or c[1] != "vulnerability"]
    controls = []
    for name, target in rng.sample(usable, 2):
        low = rng.uniform(0.1, 0.3)
        high = min(0.95, low + rng.uniform(0.2, 0.5))
        controls.append(
            {"name": name, "target": target, **_pert(low, high, rng.uniform(0.3, 0.6), 3)}
        )
    spec["controls"] = controls


def make_specs(risks: int, seed: int) -> list[dict[str, Any]]:
    """`risks` varied scenarios, the same for the same seed."""
    rng = random.Random(seed)
    specs = []
    for index in range(risks):
        spec: dict[str, Any] = {"key": f"R{index + 1:03d}"}
        _frequency(rng, spec, index)
        p_low, p_high = _money(rng, (3.7, 5.3), (1.0, 2.0))
        spec["primary"] = _pert(p_low, p_high, rng.uniform(0.03, 0.2), 0)
        s_low = rng.uniform(0.0, 0.15)
        s_high = min(1.0, s_low + rng.uniform(0.15, 0.6))
        spec["secondary_probability"] = _pert(s_low, s_high, rng.uniform(0.2, 0.5), 3)
        s_low, s_high = _money(rng, (4.0, 5.5), (1.0, 2.0))
        spec["secondary"] = {"low": s_low, "high": s_high}  # lognormal, a 90% interval
        _controls(rng, spec, index)
        specs.append(spec)
    return specs


def pyfair_specs(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pyfair has no lognormal and no controls: the secondary loss becomes PERT(5th percentile,
    median, 95th percentile), whose mean is within a few percent of the lognormal's."""
    converted = []
    for spec in specs:
        low, high = spec["secondary"]["low"], spec["secondary"]["high"]
        secondary = {"low": low, "mode": round(math.sqrt(low * high), 0), "high": high}
        keep = {k: v for k, v in spec.items() if k != "controls"}
        converted.append({**keep, "secondary": secondary})
    return converted


def _pert_mean(spec: dict[str, float]) -> float:
    return (spec["low"] + 4 * spec["mode"] + spec["high"]) / 6


def _lognormal_mean(spec: dict[str, float]) -> float:
    mu = (math.log(spec["low"]) + math.log(spec["high"])) / 2
    sigma = (math.log(spec["high"]) - math.log(spec["low"])) / (2 * Z90)
    return math.exp(mu + sigma * sigma / 2)


def analytic_mean(spec: dict[str, Any]) -> float:
    """Expected annual loss before controls, E[LEF] x (E[primary] + E[p] x E[secondary]): a
    compound Poisson year has the mean of a single-event one, so both sides should land here."""
    if "lef" in spec:
        frequency = _pert_mean(spec["lef"])
    else:
        frequency = _pert_mean(spec["tef"]) * _pert_mean(spec["vulnerability"])
    secondary = spec["secondary"]
    s_mean = _pert_mean(secondary) if "mode" in secondary else _lognormal_mean(secondary)
    return frequency * (
        _pert_mean(spec["primary"]) + _pert_mean(spec["secondary_probability"]) * s_mean
    )


# ---------------------------------------------------------------------------------------------
# Ours, in a fresh process of this interpreter (.venv): its peak memory is the study's process.
# ---------------------------------------------------------------------------------------------


def _pert_estimate(d: dict[str, float]) -> Any:
    from riskward.risks.quant.estimates import Estimate

    return Estimate(kind="pert", low=d["low"], mode=d["mode"], high=d["high"])


def to_scenario(spec: dict[str, Any]) -> Any:
    """One spec as the engine's Scenario (the secondary loss as a lognormal 90% interval)."""
    from riskward.risks.quant.estimates import Estimate
    from riskward.risks.quant.model import ControlEffect, Scenario

    if "lef" in spec:
        frequency = {"lef": _pert_estimate(spec["lef"])}
    else:
        frequency = {
            "tef": _pert_estimate(spec["tef"]),
            "vulnerability": _pert_estimate(spec["vulnerability"]),
        }
    controls = tuple(
        ControlEffect(name=c["name"], target=c["target"], reduction=_pert_estimate(c))
        for c in spec["controls"]
    )
    secondary = spec["secondary"]
    return Scenario(
        key=spec["key"],
        primary=_pert_estimate(spec["primary"]),
        secondary=Estimate(kind="lognormal", low=secondary["low"], high=secondary["high"]),
        secondary_probability=_pert_estimate(spec["secondary_probability"]),
        controls=controls,
        **frequency,
    )


def build_study(
    specs: list[dict[str, Any]], iterations: int, seed: int, threshold: float, workers: int | None
) -> Any:
    """The specs inside a Study: compound frequency, VaR at 95%, the materiality threshold."""
    from riskward.risks.quant.simulate import Study

    return Study(
        [to_scenario(spec) for spec in specs],
        iterations=iterations,
        seed=seed,
        compound=True,
        threshold=threshold,
        var_level=0.95,
        workers=workers,
    )


def _summary(loss: Any) -> dict[str, float | None]:
    fields = ("mean", "p50", "p90", "p95", "p99", "var", "expected_shortfall", "p_exceed_threshold")
    return {
        name: (None if getattr(loss, name, None) is None else float(getattr(loss, name)))
        for name in fields
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_main(args: argparse.Namespace) -> int:
    """One study in this (fresh) process; prints its figures as one JSON line."""
    from riskward.risks.quant.simulate import run_study

    specs = make_specs(args.risks, args.seed)
    study = build_study(specs, args.iterations, args.seed, args.threshold, args.workers)
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    result = run_study(study)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the engine's threads too
    figures = {
        "seconds": seconds,
        "cpu_seconds": cpu,  # all threads: up to cores x seconds
        "engine_seconds": float(result.seconds),
        "baseline_mb": baseline_kb / 1024,
        "peak_mb": peak_kb / 1024,  # Linux reports kilobytes
        "portfolio_inherent": _summary(result.portfolio_inherent),
        "portfolio_residual": _summary(result.portfolio_residual),
        "risk_means": {key: float(r.inherent.mean) for key, r in result.scenarios.items()},
        "risks_out": len(result.scenarios),
        "events_per_year": sum(float(r.mean_events) for r in result.scenarios.values()),
        "contributors": len(result.contributors),
    }
    print(json.dumps(figures))
    return 0


@dataclass(frozen=True)
class Run:
    """The figures of one side at one size (median seconds, max peak over the repeats)."""

    label: str
    risks: int
    iterations: int
    seconds: float
    peak_mb: float
    figures: dict[str, Any]
    samples: tuple[float, ...]

    @property
    def risk_years_m(self) -> float:
        return self.risks * self.iterations / 1e6

    @property
    def per_million(self) -> float:
        return self.seconds / self.risk_years_m

    @property
    def cpu_seconds(self) -> float:
        return float(self.figures["cpu_seconds"])


def _last_json(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError("no figures printed")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def ours_once(args: argparse.Namespace, iterations: int) -> dict[str, Any]:
    """One study of ours in a fresh process: its figures."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        CHILD,
        "--risks",
        str(args.risks),
        "--iterations",
        str(iterations),
        "--seed",
        str(args.seed),
        "--threshold",
        str(args.threshold),
    ]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"ours {args.risks} x {iterations:,} failed:\n{done.stderr[-2000:]}")
    return _last_json(done.stdout)


def median_run(label: str, risks: int, iterations: int, samples: list[dict[str, Any]]) -> Run:
    """The median run's figures, with the highest peak memory of all the runs."""
    middle = sorted(samples, key=lambda s: s["seconds"])[len(samples) // 2]
    peak = max(s["peak_mb"] for s in samples)
    each = tuple(s["seconds"] for s in samples)
    return Run(label, risks, iterations, middle["seconds"], peak, middle, each)


# ---------------------------------------------------------------------------------------------
# pyfair, in bench/.venv-pyfair (numpy<2, pandas<2.1), fed the same risks on stdin.
# ---------------------------------------------------------------------------------------------


SETUP_COMMAND = (
    "python3 -m venv bench/.venv-pyfair && "
    "bench/.venv-pyfair/bin/pip install -r bench/pyfair-requirements.txt"
)


def ensure_pyfair(setup: bool) -> bool:
    """True when pyfair's venv is there (created first under --setup); otherwise says how."""
    if PYFAIR_PYTHON.exists():
        return True
    if not setup:
        print(
            f"pyfair's virtual environment {PYFAIR_VENV.relative_to(ROOT)} is missing: "
            "skipping pyfair."
        )
        print(f"Create it with --setup, or from {ROOT}:\n    {SETUP_COMMAND}\n")
        return False
    print(
        f"Creating {PYFAIR_VENV.relative_to(ROOT)} from {PYFAIR_REQUIREMENTS.name} ...", flush=True
    )
    subprocess.run([sys.executable, "-m", "venv", str(PYFAIR_VENV)], check=True)  # noqa: S603
    pip = [str(PYFAIR_PYTHON), "-m", "pip", "install", "--quiet", "-r", str(PYFAIR_REQUIREMENTS)]
    subprocess.run(pip, check=True)  # noqa: S603
    return True


def pyfair_once(args: argparse.Namespace, specs: list[dict[str, Any]]) -> dict[str, Any]:
    """One pyfair run; its size is set apart (--pyfair-iterations): at 1M it needs 15 GB."""
    payload = {
        "iterations": args.pyfair_iterations,
        "seed": args.seed,
        "scenarios": pyfair_specs(specs),
    }
    done = subprocess.run(  # noqa: S603
        [str(PYFAIR_PYTHON), str(PYFAIR_SIDE)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"pyfair failed:\n{done.stderr[-2000:]}")
    return _last_json(done.stdout)


# ---------------------------------------------------------------------------------------------
# The report.
# ---------------------------------------------------------------------------------------------


def _money_text(value: float | None) -> str:
    return "-" if value is None else f"{value / 1e6:,.2f} M"


def print_runs(runs: list[Run], expected: float, expected_pyfair: float) -> None:
    """One line per run: wall and CPU time, memory, s per M risk-years, portfolio mean and P95."""
    print(
        f"{'run':<26} {'seconds':>8} {'CPU s':>7} {'peak MB':>8} {'s/M risk-yr':>11} "
        f"{'mean':>10} {'P95':>10}  each run (s)"
    )
    for run in runs:
        pf = run.figures.get("portfolio_inherent") or run.figures.get("portfolio", {})
        samples = " ".join(f"{s:.2f}" for s in run.samples)
        print(
            f"{run.label:<26} {run.seconds:8.2f} {run.cpu_seconds:7.2f} {run.peak_mb:8.0f} "
            f"{run.per_million:11.4f} {_money_text(pf.get('mean')):>10} "
            f"{_money_text(pf.get('p95')):>10}  {samples}"
        )
    print(
        f"{'analytic mean, inherent':<26} {'':8} {'':7} {'':8} {'':11} "
        f"{_money_text(expected):>10}   (with pyfair's PERT secondary: "
        f"{_money_text(expected_pyfair)})"
    )


def print_ours_detail(run: Run, specs: list[dict[str, Any]]) -> None:
    """The rest of our outputs, and how far each risk's simulated mean is from its analytic one."""
    f = run.figures
    inherent, residual = f["portfolio_inherent"], f["portfolio_residual"]
    print(
        f"\n{run.label}, median run: engine {f['engine_seconds']:.2f} s of {f['seconds']:.2f} s, "
        f"{f['baseline_mb']:.0f} MB of it before the study (interpreter, numpy, the risks)"
    )
    for name, s in (("inherent", inherent), ("residual", residual)):
        print(
            f"  portfolio {name}: mean {_money_text(s['mean'])}, P50 {_money_text(s['p50'])}, "
            f"P90 {_money_text(s['p90'])}, P99 {_money_text(s['p99'])}, "
            f"VaR95 {_money_text(s['var'])}, "
            f"ES95 {_money_text(s['expected_shortfall'])}, P(> threshold) {s['p_exceed_threshold']}"
        )
    errors = [
        abs(f["risk_means"][s["key"]] / analytic_mean(s) - 1)
        for s in specs
        if s["key"] in f["risk_means"]
    ]
    if errors:
        print(
            f"  per-risk inherent mean vs analytic: largest gap {max(errors):.2%}, "
            f"median {statistics.median(errors):.2%}"
            f" ({f['risks_out']} risks, {f['contributors']} contributors, "
            f"{f['events_per_year']:.1f} inherent loss events a simulated year)"
        )


Row = tuple[str, str, str]


def _judge(target: str, value: float | None, unit: str, limit: float, stretch: bool = False) -> Row:
    """A row of the verdict table: seconds and MB must stay under `limit`, a ratio reach it; a
    stretch goal missed is a "miss", not a FAIL."""
    if value is None:
        return (target, "-", "n/a")
    ok = value >= limit if unit == "x" else value < limit
    return (target, f"{value:,.2f} {unit}", "PASS" if ok else ("miss" if stretch else "FAIL"))


def verdicts(main: Run | None, small: Run | None, pyfair: Run | None) -> list[Row]:
    """The issue's targets; a run that is missing (skipped or failed) is n/a."""
    size = f"{main.risks} x {main.iterations:,}" if main else "100 x 1,000,000"
    seconds = main.seconds if main else None
    peak = main.peak_mb if main else None
    rows = [
        _judge(f"ours {size} under {TARGET_SECONDS:g} s", seconds, "s", TARGET_SECONDS),
        _judge(f"  stretch: under {STRETCH_SECONDS:g} s", seconds, "s", STRETCH_SECONDS, True),
        _judge(f"ours peak memory under {TARGET_MB:g} MB", peak, "MB", TARGET_MB),
    ]
    # The issue's ratio: ours at its target size against pyfair at 100 x 100,000 (pyfair needs
    # 15 GB at 1M), per million simulated risk-years so the sizes compare.
    ratio = pyfair.per_million / main.per_million if main and pyfair else None
    sizes = f"{main.label} vs {pyfair.label}" if main and pyfair else "vs pyfair"
    target = f"{sizes}, s per M risk-years: >= {TARGET_RATIO:g}x faster"
    rows.append(_judge(target, ratio, "x", TARGET_RATIO))
    if small and pyfair:  # the same size on both sides: shown, not a target of the issue
        ratio = pyfair.per_million / small.per_million
        like = f"  like for like, {small.label} vs {pyfair.label} (not a target)"
        rows.append((like, f"{ratio:,.2f} x", "info"))
    return rows


def print_pyfair_detail(run: Run, main: Run | None) -> None:
    """pyfair's versions and steps, and ours against the issue's pyfair figure at 100 x 1M."""
    f = run.figures
    versions = ", ".join(f"{name} {version}" for name, version in f["versions"].items())
    print(
        f"\n{run.label}: {versions}; import {f['import_seconds']:.2f} s (not counted), "
        f"models {f['models_seconds']:.2f} s, meta model {f['meta_seconds']:.2f} s, "
        f"summaries {f['summary_seconds']:.2f} s"
    )
    if main:
        issue_per_million = ISSUE_PYFAIR_1M_SECONDS / 100
        print(
            f"  against the issue's pyfair 100 x 1,000,000 ({ISSUE_PYFAIR_1M_SECONDS:g} s, "
            f"{issue_per_million:.2f} s per M risk-years): ours "
            f"{issue_per_million / main.per_million:.3g}x faster"
        )


def print_verdicts(rows: list[Row]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n{'target':<{width}}  {'measured':>12}  verdict")
    for target, measured, verdict in rows:
        print(f"{target:<{width}}  {measured:>12}  {verdict}")


NOTES = """
Notes (bench/README.md says more). Wall clock around run_study (ours) and around building,
calculating and summarizing the FairModels and the FairMetaModel (pyfair), imports not counted;
peak memory is each process's maximum resident set. The work differs, in pyfair's favour: ours
draws a Poisson number of loss events a year, each with its magnitude and secondary loss, and
runs every risk inherent and residual, with curves, VaR, ES, P(exceed) and contributors; pyfair
multiplies one draw per input a year (LEF x (primary + SLEF x SLEM)), inherent only, with its
own BetaPERT (same means) and the lognormal secondary loss as PERT(P5, median, P95). The issue
measured pyfair at 100 x 1M at {pyfair:g} s ({pyfair_m:.2f} s per M risk-years, 14.7 GB) and a
plain numpy implementation at {numpy:g} s."""


def print_header(args: argparse.Namespace) -> None:
    import numpy

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Open FAIR Monte Carlo benchmark: {args.risks} risks, seed {args.seed}, threshold "
        f"{args.threshold:,.0f}, {os.cpu_count()} cores, load average {load}"
    )
    print(
        f"ours: Python {platform.python_version()}, numpy {numpy.__version__}; "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}"
    )
    cores = os.cpu_count() or 1
    if os.getloadavg()[0] > cores / 2:
        print(
            "WARNING: the machine is busy: wall-clock seconds are inflated by whatever else runs."
            " Compare CPU seconds, or run again at rest."
        )
    print()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--risks", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=1_000_000, help="ours, the target run")
    parser.add_argument(
        "--small-iterations", type=int, default=100_000, help="ours like for like; 0 skips"
    )
    parser.add_argument("--pyfair-iterations", type=int, default=100_000)
    parser.add_argument("--skip-pyfair", action="store_true")
    parser.add_argument("--setup", action="store_true", help="create bench/.venv-pyfair if missing")
    parser.add_argument(
        "--repeats", type=int, default=3, help="rounds; each run is a fresh process in each"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--threshold", type=float, default=100_000_000.0, help="materiality, for P(exceed)"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="Study(workers=...); default the engine's"
    )
    parser.add_argument(CHILD, dest="child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


Once = Callable[[], dict[str, Any]]


def measure(
    args: argparse.Namespace, specs: list[dict[str, Any]]
) -> tuple[dict[str, Run | None], bool]:
    """`--repeats` rounds of every run, interleaved (ours at full size, ours at the small size,
    pyfair), so a machine that speeds up or slows down during the benchmark weighs on both
    sides alike; each side's figures are then its median run. Also says whether a run broke."""
    steps: dict[str, tuple[str, int, Once]] = {
        "main": (
            f"ours {args.risks} x {args.iterations:,}",
            args.iterations,
            lambda: ours_once(args, args.iterations),
        ),
    }
    if args.small_iterations:
        steps["small"] = (
            f"ours {args.risks} x {args.small_iterations:,}",
            args.small_iterations,
            lambda: ours_once(args, args.small_iterations),
        )
    if not args.skip_pyfair and ensure_pyfair(args.setup):
        steps["pyfair"] = (
            f"pyfair {args.risks} x {args.pyfair_iterations:,}",
            args.pyfair_iterations,
            lambda: pyfair_once(args, specs),
        )
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in steps}
    broken: set[str] = set()
    for _ in range(args.repeats):
        for name, (_, _, once) in steps.items():
            if name in broken:
                continue
            try:
                samples[name].append(once())
            except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
                print(f"{name}: {error}\n")
                broken.add(name)
    runs: dict[str, Run | None] = {"main": None, "small": None, "pyfair": None}
    for name, (label, iterations, _) in steps.items():
        if name not in broken and samples[name]:
            runs[name] = median_run(label, args.risks, iterations, samples[name])
    return runs, bool(broken)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    print_header(args)
    specs = make_specs(args.risks, args.seed)
    runs, failed = measure(args, specs)
    done = [run for run in runs.values() if run]
    expected = sum(analytic_mean(s) for s in specs)
    if done:
        print_runs(done, expected, sum(analytic_mean(s) for s in pyfair_specs(specs)))
    if runs["main"]:
        print_ours_detail(runs["main"], specs)
    if runs["pyfair"]:
        print_pyfair_detail(runs["pyfair"], runs["main"])
    rows = verdicts(runs["main"], runs["small"], runs["pyfair"])
    print_verdicts(rows)
    print(
        NOTES.format(
            pyfair=ISSUE_PYFAIR_1M_SECONDS,
            pyfair_m=ISSUE_PYFAIR_1M_SECONDS / 100,
            numpy=ISSUE_NUMPY_1M_SECONDS,
        )
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if failed:
        return 2
    return 1 if any(verdict == "FAIL" for _, _, verdict in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
