"""pyfair's side of bench/fair.py: the same risks as FairModels, a FairMetaModel over them.

Runs under bench/.venv-pyfair (pyfair 0.1a13, numpy<2, pandas<2.1), never under .venv, so it
imports nothing from riskward. Reads {"iterations", "seed", "scenarios": [...]} as JSON on stdin
and prints one JSON object: seconds for each step, peak memory, per-risk and portfolio figures.

    bench/.venv-pyfair/bin/python bench/pyfair_side.py < scenarios.json
"""

from __future__ import annotations

import json
import resource
import sys
import time
import warnings
from typing import Any

QUANTILES = (0.5, 0.9, 0.95, 0.99)


def _pert(spec: dict[str, float]) -> dict[str, float]:
    """pyfair's own BetaPert takes low/mode/high (gamma 4), the same keywords as ours."""
    return {"low": spec["low"], "mode": spec["mode"], "high": spec["high"]}


def build_model(pyfair: Any, scenario: dict[str, Any], iterations: int, seed: int) -> Any:
    """One FairModel per risk. Each model re-seeds numpy's global generator, so each gets its
    own seed: with pyfair's default (42 for every model) all risks would draw the same stream."""
    model = pyfair.FairModel(name=scenario["key"], n_simulations=iterations, random_seed=seed)
    if "lef" in scenario:
        model.input_data("Loss Event Frequency", **_pert(scenario["lef"]))
    else:
        model.input_data("Threat Event Frequency", **_pert(scenario["tef"]))
        model.input_data("Vulnerability", **_pert(scenario["vulnerability"]))
    model.input_data("Primary Loss", **_pert(scenario["primary"]))
    model.input_data("Secondary Loss Event Frequency", **_pert(scenario["secondary_probability"]))
    model.input_data("Secondary Loss Event Magnitude", **_pert(scenario["secondary"]))
    model.calculate_all()
    return model


def summarize(values: Any) -> dict[str, float]:
    """Mean and the quantiles a risk register shows, the outputs ours computes for every risk."""
    quantiles = values.quantile(list(QUANTILES))
    summary = {"mean": float(values.mean())}
    summary.update({f"p{round(q * 100)}": float(quantiles[q]) for q in QUANTILES})
    return summary


def main() -> int:
    payload = json.load(sys.stdin)
    iterations, seed = int(payload["iterations"]), int(payload["seed"])
    warnings.simplefilter("ignore")  # pyfair's pandas idioms warn on every model
    started = time.perf_counter()
    import pyfair  # the import is timed apart: ours is timed without its import too

    imported, cpu_started = time.perf_counter(), _cpu_seconds()
    models = [
        build_model(pyfair, scenario, iterations, seed + index)
        for index, scenario in enumerate(payload["scenarios"])
    ]
    modelled = time.perf_counter()
    meta = pyfair.FairMetaModel(name="portfolio", models=models)
    meta.calculate_all()
    table = meta.export_results()
    portfolio = summarize(table["Risk"])
    metamodelled = time.perf_counter()
    per_risk = {model.get_name(): summarize(model.export_results()["Risk"]) for model in models}
    summarized, cpu = time.perf_counter(), _cpu_seconds() - cpu_started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "versions": _versions(),
                "import_seconds": imported - started,
                "models_seconds": modelled - imported,
                "meta_seconds": metamodelled - modelled,
                "summary_seconds": summarized - metamodelled,
                "seconds": summarized - imported,
                "cpu_seconds": cpu,
                "peak_mb": usage.ru_maxrss / 1024,  # Linux reports kilobytes
                "portfolio": portfolio,
                "risks": per_risk,
            }
        )
    )
    return 0


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _versions() -> dict[str, str]:
    """The installed versions (pyfair's own VERSION constant still says 0.1-alpha.12)."""
    from importlib.metadata import version

    return {
        "pyfair": version("pyfair"),
        "numpy": version("numpy"),
        "pandas": version("pandas"),
        "scipy": version("scipy"),
    }


if __name__ == "__main__":
    sys.exit(main())
