"""Engine against engine: `run_study` from two or more source trees, timed in alternation.

This machine's speed drifts by 20% or more within minutes, so two engines are only compared
fairly in the same minutes: each round runs every tree once, each run a fresh process of this
interpreter with that tree's `src` first on the import path, on `bench/fair.py`'s risks. With
--instructions it also counts each tree's instructions under valgrind's callgrind, which do not
drift (a smaller study, one worker; interpreter start and imports counted apart).

    git worktree add /tmp/engine-before HEAD~3
    .venv/bin/python bench/fair_ab.py /tmp/engine-before/src src
    .venv/bin/python bench/fair_ab.py /tmp/engine-before/src src --instructions
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RUN = """
import resource, sys, time
sys.path[:0] = [{src!r}, {bench!r}]
import fair
from riskward.risks.quant.simulate import run_study
study = fair.build_study(fair.make_specs({risks}, 0), {iterations}, 0, 5e6, {workers})
if {timed}:
    started = time.perf_counter()
    result = run_study(study)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(time.perf_counter() - started, peak, result.portfolio_residual.mean)
"""


def child(src: str, risks: int, iterations: int, workers: int, timed: bool = True) -> str:
    return RUN.format(
        src=str(Path(src).resolve()),
        bench=str(BENCH),
        risks=risks,
        iterations=iterations,
        workers=workers,
        timed=timed,
    )


def timed_run(src: str, args: argparse.Namespace) -> tuple[float, float, str]:
    """Seconds and peak MB of one study from `src`, and its residual portfolio mean."""
    code = child(src, args.risks, args.iterations, args.workers)
    command = [sys.executable, "-c", code]  # this interpreter, our own code: no outside input
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{src}: the study failed:\n{done.stderr[-2000:]}")
    seconds, peak, mean = done.stdout.split()
    return float(seconds), float(peak), mean


def instructions(code: str) -> int:
    """Instructions callgrind counts for `python -c code` (deterministic for the same inputs)."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def count(trees: list[str]) -> None:
    """Each tree's instructions for 20 risks x 262,144 years, one worker, less its imports."""
    for src in trees:
        total = instructions(child(src, 20, 262_144, 1))
        imports = instructions(child(src, 20, 262_144, 1, timed=False))
        print(f"{src}: {(total - imports) / 1e9:.3f} G instructions ({total / 1e9:.3f} G in all)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", help="source trees (folders holding riskward/)")
    parser.add_argument("--risks", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    args = parser.parse_args(argv)
    runs: dict[str, list[tuple[float, float, str]]] = {src: [] for src in args.trees}
    for _ in range(args.rounds):
        for src in args.trees:
            runs[src].append(timed_run(src, args))
            seconds, peak, mean = runs[src][-1]
            print(f"{src}: {seconds:.3f} s, {peak:.0f} MB, residual portfolio mean {mean}")
    first = statistics.median(s for s, _, _ in runs[args.trees[0]])
    for src, results in runs.items():
        seconds = [s for s, _, _ in results]
        median = statistics.median(seconds)
        peak = max(p for _, p, _ in results)
        print(
            f"{src}: median {median:.3f} s, min {min(seconds):.3f} s, peak {peak:.0f} MB, "
            f"{median / first:.3f} of the first tree's median"
        )
    if args.instructions:
        count(args.trees)
    return 0


if __name__ == "__main__":
    sys.exit(main())
