"""Loss summaries: exact order statistics, VaR, expected shortfall and the exceedance curve."""

from __future__ import annotations

import json

import numpy as np
import pytest

from riskward.risks.quant.summary import QUANTILES, LossSummary, summarize


def losses_with_zeros(n: int = 200_000, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.lognormal(12, 1.5, n)
    x[rng.random(n) < 0.6] = 0.0
    return x


CASES = {
    "mostly zero": losses_with_zeros(),
    "continuous": np.random.default_rng(1).gamma(0.5, 1e6, 100_001),
    "atoms and ties": np.repeat([0.0, 1000.0, 5000.0, 65536.0, 1e6], [500, 300, 100, 60, 40]),
    "all zero": np.zeros(1000),
    "one year": np.array([42.0]),
    "tiny and huge": np.array([1e-3, 5e-3, 1.0, 1e9, 3e12, 0.0, 7.5]),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("var_level", [0.95, 0.99, 0.5])
def test_figures_match_numpy(name, var_level):
    x = CASES[name]
    s = summarize(x, var_level=var_level, threshold=5000.0)
    expected = np.quantile(x, [*QUANTILES, var_level])
    got = [s.p50, s.p90, s.p95, s.p99, s.var]
    assert np.allclose(got, expected, rtol=1e-12, atol=0)
    assert s.mean == pytest.approx(x.mean(), rel=1e-12)
    assert s.max == x.max() and s.iterations == x.size and s.var_level == var_level
    assert s.expected_shortfall == pytest.approx(x[x >= s.var].mean(), rel=1e-12)
    assert s.p_exceed_threshold == np.mean(x > 5000.0)


@pytest.mark.parametrize("name", CASES)
def test_every_curve_point_is_the_exact_exceedance(name):
    x = CASES[name]
    s = summarize(x, threshold=5000.0)
    values = np.array([v for v, _ in s.curve])
    probs = np.array([p for _, p in s.curve])
    assert np.all(np.diff(values) > 0) and np.all(np.diff(probs) <= 0)
    assert np.array_equal(probs, (x[None, :] > values[:, None]).mean(axis=1))
    marks = {s.p50, s.p90, s.p95, s.p99, s.var, 5000.0, s.max}
    assert marks <= set(values.tolist())


@pytest.mark.parametrize("name", ["continuous", "mostly zero"])
def test_curve_is_log_spaced_from_the_low_losses_to_the_largest(name):
    x = CASES[name]
    s = summarize(x)
    grid = [v for v, _ in s.curve if v not in {s.p50, s.p90, s.p95, s.p99, s.var, s.max}]
    assert len(grid) >= 40
    steps = np.diff(np.log10(grid))
    assert steps.max() < 3 * np.median(steps)  # evenly spread on a log scale
    positive = np.sort(x[x > 0])
    start = max(positive[positive.size // 100], x.max() * 1e-6)
    assert start / 1.01 <= grid[0] <= start and grid[-1] <= x.max()


def test_no_threshold_gives_none():
    assert summarize(CASES["continuous"]).p_exceed_threshold is None


def test_threshold_above_every_loss():
    assert summarize(CASES["continuous"], threshold=1e15).p_exceed_threshold == 0.0


def test_round_trip():
    s = summarize(CASES["mostly zero"], threshold=1e5)
    data = json.loads(json.dumps(s.to_dict()))
    assert LossSummary.from_dict(data) == s


@pytest.mark.parametrize("name", ["mostly zero", "continuous", "one year"])
@pytest.mark.parametrize("zeros", [0, 1, 5000, 10**6])
def test_years_without_loss_can_be_counted_instead_of_stored(name, zeros):
    x = CASES[name]
    full = np.concatenate([np.zeros(zeros), x])
    counted = summarize(x, zeros=zeros, threshold=1e4).to_dict()
    stored = summarize(full, threshold=1e4).to_dict()
    for sum_of_many in ("mean", "expected_shortfall"):  # summed in another order
        assert counted.pop(sum_of_many) == pytest.approx(stored.pop(sum_of_many), rel=1e-12)
    assert counted == stored
