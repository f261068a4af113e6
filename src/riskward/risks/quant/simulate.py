"""Run a study: every scenario's simulated years, their summaries, and the portfolio.

The portfolio is the sum of the risks' losses year by year (never a sum of percentiles),
accumulated in scenario order so that any number of threads gives the same bits. Its tail
contributors need each risk's losses in the portfolio's worst years, which are known only at
the end: a second, lighter pass replays each risk's events (their years are kept in a compact
log, its random streams restart where they did) and reads its residual losses in those years.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from riskward.risks.quant.block import Block, Want, simulate_block, tail_sum
from riskward.risks.quant.estimates import QuantInputError
from riskward.risks.quant.kernel import EventLog, Plan, Streams, block_years, scenario_seed
from riskward.risks.quant.model import Scenario
from riskward.risks.quant.summary import LossSummary, summarize

F64 = npt.NDArray[np.float64]
Idx = npt.NDArray[np.intp]
Mask = npt.NDArray[np.bool_]
Seed = int | np.random.SeedSequence | np.random.Generator
MAX_ITERATIONS = 100_000_000
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Study:
    """What to simulate: scenarios, years, seed, and how the outputs are read."""

    scenarios: Sequence[Scenario]
    iterations: int = 100_000
    seed: int = 0
    compound: bool = True  # False: at most one loss event a year (Bernoulli(min(LEF, 1)));
    # a scenario can also ask for that alone (Scenario.single_event)
    threshold: float | None = None  # the organization's materiality threshold
    var_level: float = 0.95
    workers: int | None = None  # None: one thread per CPU

    def validate(self) -> None:
        """Raise QuantInputError naming the field (a scenario's fields carry its key)."""
        _check_study(self)
        for scenario in self.scenarios:
            try:
                scenario.validate()
            except QuantInputError as error:
                raise QuantInputError(f"{scenario.key}: {error.message}", error.field) from error


@dataclass(frozen=True)
class ScenarioResult:
    """One risk's inherent and residual loss, and what each control is worth a year."""

    key: str
    inherent: LossSummary
    residual: LossSummary
    control_value: dict[str, float]  # residual mean without the control - residual mean
    mean_events: float  # inherent loss events a year
    mean_residual_events: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "inherent": self.inherent.to_dict(),
            "residual": self.residual.to_dict(),
            "control_value": dict(self.control_value),
            "mean_events": self.mean_events,
            "mean_residual_events": self.mean_residual_events,
        }


@dataclass(frozen=True)
class Contributor:
    """A risk's part of the residual portfolio: of its mean, and in its worst years."""

    key: str
    share_of_mean: float
    tail_contribution: float  # mean loss of this risk in years where portfolio >= its VaR
    share_of_tail: float = 0.0  # tail_contribution / the portfolio's expected shortfall


@dataclass(frozen=True)
class StudyResult:
    scenarios: dict[str, ScenarioResult]
    portfolio_inherent: LossSummary
    portfolio_residual: LossSummary
    contributors: tuple[Contributor, ...]  # largest tail contribution first
    seconds: float
    iterations: int = 0
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenarios": {key: result.to_dict() for key, result in self.scenarios.items()},
            "portfolio_inherent": self.portfolio_inherent.to_dict(),
            "portfolio_residual": self.portfolio_residual.to_dict(),
            "contributors": [vars(c).copy() for c in self.contributors],
            "seconds": self.seconds,
            "iterations": self.iterations,
            "seed": self.seed,
        }


def _check_study(study: Study) -> None:
    if not study.scenarios:
        raise QuantInputError("scenarios: a study needs at least one scenario", "scenarios")
    iterations = study.iterations
    if isinstance(iterations, bool) or not isinstance(iterations, int):
        raise QuantInputError("iterations: give a whole number of years", "iterations")
    if not 1 <= iterations <= MAX_ITERATIONS:
        raise QuantInputError(f"iterations: must be between 1 and {MAX_ITERATIONS:,}", "iterations")
    if not 0.0 < study.var_level < 1.0:
        raise QuantInputError("var_level: must lie strictly between 0 and 1", "var_level")
    if study.threshold is not None and not 0.0 <= study.threshold < float("inf"):
        raise QuantInputError("threshold: must be a non-negative amount", "threshold")
    if study.workers is not None and study.workers < 1:
        raise QuantInputError("workers: must be at least 1", "workers")
    if isinstance(study.seed, bool) or not isinstance(study.seed, int) or study.seed < 0:
        raise QuantInputError("seed: give a whole number, zero or more", "seed")
    seen: set[str] = set()
    for i, scenario in enumerate(study.scenarios):
        if scenario.key in seen:
            where = f"scenarios.{i}.key"
            raise QuantInputError(f"{where}: {scenario.key!r} appears twice", where)
        seen.add(scenario.key)


# One scenario ---------------------------------------------------------------------------------


def _root(scenario: Scenario, seed: Seed) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.bit_generator.random_raw(4).tolist())
    return scenario_seed(int(seed), scenario.key)


@dataclass
class Sparse:
    """Losses of the years that had an event (`years`, `values`); the other years of `n` lost
    nothing, and take no memory."""

    n: int
    years: npt.NDArray[np.int32]  # a study has at most MAX_ITERATIONS years
    values: F64

    def dense(self) -> F64:
        out = np.zeros(self.n)
        out[self.years] = self.values
        return out

    def add_to(self, total: F64) -> None:
        """total += these losses, year by year. numpy 2's np.add.at has a fast path for one
        intp index array: twice as fast here as reading, adding and writing back (same bits).
        The int32 years are widened first, by a cast that lets other threads run; given
        int32, np.add.at takes a slower path that holds the interpreter lock throughout."""
        np.add.at(total, self.years.astype(np.intp), self.values)

    def summary(self, study: Study) -> LossSummary:
        zeros = self.n - self.values.size
        return summarize(
            self.values, zeros=zeros, var_level=study.var_level, threshold=study.threshold
        )


class _Filler:
    """Appends blocks' losses into arrays sized for every year (pages never written are never
    given memory), so a scenario's losses end up in one array each, without copying."""

    def __init__(self, iterations: int, want: Want) -> None:
        self.n, self.used = iterations, 0
        self.years = np.empty(iterations, dtype=np.int32)  # half an intp's memory
        self.inherent = np.empty(iterations) if want.inherent else None
        self.residual = np.empty(iterations) if want.residual else None

    def add(self, start: int, block: Block) -> None:
        here = slice(self.used, self.used + block.active.size)
        np.add(block.active, start, out=self.years[here])
        if self.inherent is not None and block.inherent is not None:
            self.inherent[here] = block.inherent
        if self.residual is not None and block.residual is not None:
            self.residual[here] = block.residual
        self.used = here.stop

    def sparse(self, values: F64 | None) -> Sparse | None:
        if values is None:
            return None
        return Sparse(self.n, self.years[: self.used], values[: self.used])


@dataclass
class _Run:
    """A scenario's losses (those asked for) and its running sums."""

    inherent: Sparse | None = None
    residual: Sparse | None = None
    events: int = 0
    residual_events: int = 0
    without: dict[str, float] = field(default_factory=dict)
    logs: list[EventLog] = field(default_factory=list)


def _simulate(scenario: Scenario, iterations: int, seed: Seed, compound: bool, want: Want) -> _Run:
    compound = compound and not scenario.single_event
    run = _Run(without={c.name: 0.0 for c in scenario.controls} if want.values else {})
    keep_logs = want.values  # the study replays them for its tail contributions
    same = not scenario.controls and want.inherent and want.residual
    if same:  # without controls the residual is the inherent: compute it once
        want = Want(inherent=True, residual=False, values=False)
    plan, streams = Plan.of(scenario), Streams.of(_root(scenario, seed), scenario)
    filler = _Filler(iterations, want)
    size = block_years(scenario)
    for index, start in enumerate(range(0, iterations, size)):
        block = simulate_block(plan, streams, index, min(size, iterations - start), compound, want)
        filler.add(start, block)
        run.events += block.events
        run.residual_events += block.residual_events
        for name, total in block.without.items():
            run.without[name] += total
        if keep_logs and block.log is not None:
            run.logs.append(block.log)
    run.inherent, run.residual = filler.sparse(filler.inherent), filler.sparse(filler.residual)
    if same:
        run.residual, run.residual_events = run.inherent, run.events
    return run


def simulate_annual_losses(
    scenario: Scenario,
    iterations: int,
    rng_or_seedseq: Seed,
    compound: bool = True,
    residual: bool = True,
) -> F64:
    """One scenario's loss in each simulated year (residual, or inherent with residual=False).

    An int is a study seed: the result is then the very array `run_study` sums for this risk.
    """
    scenario.validate()
    want = Want(inherent=not residual, residual=residual, values=False)
    run = _simulate(scenario, iterations, rng_or_seedseq, compound, want)
    out = run.residual if residual else run.inherent
    assert out is not None
    return out.dense()


def _tail_total(scenario: Scenario, study: Study, logs: list[EventLog], tail: Mask) -> float:
    """Residual loss of `scenario` summed over the portfolio's tail years, replaying its events."""
    plan = Plan.of(scenario)
    streams = Streams.of(_root(scenario, study.seed), scenario)
    compound = study.compound and not scenario.single_event  # as _simulate counted them
    total = 0.0
    size = block_years(scenario)
    for index, start in enumerate(range(0, study.iterations, size)):
        block_tail = tail[start : start + size]
        total += tail_sum(plan, streams, index, compound, logs[index], block_tail)
    return total


# The study ------------------------------------------------------------------------------------


@dataclass
class _Scored:
    result: ScenarioResult
    inherent: Sparse
    residual: Sparse
    logs: list[EventLog]


def _score(scenario: Scenario, study: Study) -> _Scored:
    run = _simulate(scenario, study.iterations, study.seed, study.compound, Want())
    assert run.inherent is not None and run.residual is not None
    n = study.iterations
    inherent = run.inherent.summary(study)
    residual = inherent if run.residual is run.inherent else run.residual.summary(study)
    residual_total = residual.mean * n
    values = {name: (total - residual_total) / n for name, total in run.without.items()}
    result = ScenarioResult(
        scenario.key, inherent, residual, values, run.events / n, run.residual_events / n
    )
    return _Scored(result, run.inherent, run.residual, run.logs)


class _Pool:
    """Runs work over scenarios in order: in this thread with one worker, else in threads
    (numpy releases the GIL in its loops), holding at most a few results at a time."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None

    def ordered(
        self, work: Callable[[T], R], items: Iterable[T], ahead: int | None = None
    ) -> Iterator[R]:
        """work(item) for each item, in order; at most `ahead` results wait to be taken (as
        many as there are workers by default: each may hold a risk's arrays)."""
        if self.pool is None:
            yield from map(work, items)
            return
        limit = self.workers if ahead is None else ahead
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(self.pool.submit(work, item))
            if len(pending) > limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def run_study(study: Study, progress: Callable[[int, int], None] | None = None) -> StudyResult:
    """Simulate every scenario and the portfolio; progress(done, total) after each scenario."""
    started = time.perf_counter()
    study.validate()
    pool = _Pool(study.workers or os.cpu_count() or 1)
    try:
        results, logs, inherent, residual = _scenarios(pool, study, progress)
        summary_inherent, summary_residual = _summary(inherent, study), _summary(residual, study)
        del inherent
        tail = residual >= summary_residual.var
        del residual
        contributors = _contributors(pool, study, results, logs, summary_residual, tail)
    finally:
        pool.close()
    return StudyResult(
        results,
        summary_inherent,
        summary_residual,
        contributors,
        time.perf_counter() - started,
        study.iterations,
        study.seed,
    )


def _scenarios(
    pool: _Pool, study: Study, progress: Callable[[int, int], None] | None
) -> tuple[dict[str, ScenarioResult], dict[str, list[EventLog]], F64, F64]:
    """Each scenario's results and event logs, and the portfolio's inherent and residual
    losses year by year, summed in scenario order."""
    inherent, residual = np.zeros(study.iterations), np.zeros(study.iterations)
    results: dict[str, ScenarioResult] = {}
    logs: dict[str, list[EventLog]] = {}
    scored = pool.ordered(lambda s: _score(s, study), study.scenarios)
    for done, item in enumerate(scored, start=1):
        item.inherent.add_to(inherent)
        item.residual.add_to(residual)
        results[item.result.key] = item.result
        logs[item.result.key] = item.logs
        del item  # let the scenario's arrays go before the next arrives
        if progress is not None:
            progress(done, len(study.scenarios))
    return results, logs, inherent, residual


def _summary(losses: F64, study: Study) -> LossSummary:
    return summarize(losses, var_level=study.var_level, threshold=study.threshold)


def _contributors(
    pool: _Pool,
    study: Study,
    results: Mapping[str, ScenarioResult],
    logs: Mapping[str, list[EventLog]],
    portfolio: LossSummary,
    tail: Mask,
) -> tuple[Contributor, ...]:
    """Each risk's share of the residual portfolio mean and its mean loss in the tail years."""
    # Last scenario first: its samplers (and their tables) are the likeliest still cached.
    tail_years = int(np.count_nonzero(tail))  # the same for every risk: counted once
    backwards = pool.ordered(
        lambda s: _tail_total(s, study, logs[s.key], tail) / tail_years,
        study.scenarios[::-1],
        ahead=len(study.scenarios),  # each result is one number: let no worker wait
    )
    tails = list(backwards)[::-1]
    out = []
    for scenario, tail_mean in zip(study.scenarios, tails, strict=True):
        mean = results[scenario.key].residual.mean
        out.append(
            Contributor(
                scenario.key,
                mean / portfolio.mean if portfolio.mean > 0 else 0.0,
                tail_mean,
                tail_mean / portfolio.expected_shortfall if portfolio.expected_shortfall else 0.0,
            )
        )
    return tuple(sorted(out, key=lambda c: (-c.tail_contribution, -c.share_of_mean, c.key)))


def simulate_portfolio(study: Study, residual: bool = True) -> F64:
    """The portfolio's loss in each simulated year, summed in scenario order as run_study does."""
    study.validate()
    total = np.zeros(study.iterations)
    for scenario in study.scenarios:
        total += simulate_annual_losses(
            scenario, study.iterations, study.seed, study.compound, residual
        )
    return total
