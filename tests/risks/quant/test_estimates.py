"""Estimates: analytic means, the fast samplers against numpy's exact ones, validation, storage."""

from __future__ import annotations

import json
import math
from statistics import NormalDist

import numpy as np
import pytest

from riskward.lib.errors import InvalidInput
from riskward.risks.quant import tables
from riskward.risks.quant.estimates import (
    SPARSE_DRAWS,
    Estimate,
    QuantInputError,
    Sampler,
    pert_alpha_beta,
    sampler,
)

MILLION = 1_000_000
TEN_MILLION = 10_000_000
PERCENTILES = (1, 5, 25, 50, 75, 95, 99)


def rng(seed: int = 7) -> np.random.Generator:
    return np.random.default_rng(seed)


def ks_two_sample(a: np.ndarray, b: np.ndarray) -> float:
    """Largest gap between the two empirical CDFs (both arrays sorted in place)."""
    a.sort()
    b.sort()
    both = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, both, side="right") / a.size
    cdf_b = np.searchsorted(b, both, side="right") / b.size
    return float(np.abs(cdf_a - cdf_b).max())


def ks_critical(n: int, m: int, alpha: float = 0.001) -> float:
    return math.sqrt(-math.log(alpha / 2) / 2) * math.sqrt((n + m) / (n * m))


@pytest.mark.parametrize(
    "est",
    [
        Estimate.pert(10_000, 200_000, 5_000_000),
        Estimate.pert(0.05, 0.2, 0.5),
        Estimate.pert(1, 2, 30, shape=2.0),
        Estimate.pert(0, 0, 10),  # mode at the minimum: alpha = 1
        Estimate.pert(0, 10, 10, shape=8.0),  # mode at the maximum, sharper
        Estimate.lognormal(50_000, 2_000_000),
        Estimate.triangular(1, 3, 10),
        Estimate.triangular(0, 0, 1),
        Estimate.uniform(2, 8),
        Estimate.constant(1234.5),
    ],
    ids=repr,
)
def test_sample_mean_matches_the_analytic_mean(est):
    draws = est.sample(rng(), MILLION)
    assert draws.dtype == np.float64 and draws.shape == (MILLION,)
    assert draws.mean() == pytest.approx(est.mean, rel=0.005)


def test_analytic_means_follow_the_formulas():
    assert Estimate.pert(1, 4, 13).mean == pytest.approx((1 + 4 * 4 + 13) / 6)
    assert Estimate.pert(1, 4, 13, shape=2).mean == pytest.approx((1 + 2 * 4 + 13) / 4)
    low, high = 50_000, 2_000_000
    mu = (math.log(low) + math.log(high)) / 2
    sigma = (math.log(high) - math.log(low)) / (2 * 1.6448536269514722)
    assert Estimate.lognormal(low, high).mean == pytest.approx(math.exp(mu + sigma**2 / 2))
    assert Estimate.triangular(1, 3, 11).mean == pytest.approx(5)
    assert Estimate.uniform(2, 8).mean == 5
    assert Estimate.constant(7).mean == 7


def test_lognormal_interval_is_its_5th_and_95th_percentiles():
    draws = Estimate.lognormal(50_000, 2_000_000).sample(rng(), MILLION)
    p5, p95 = np.percentile(draws, [5, 95])
    assert p5 == pytest.approx(50_000, rel=0.01) and p95 == pytest.approx(2_000_000, rel=0.01)


def binned_cdf(unit: np.ndarray, bins: int = 1 << 16) -> np.ndarray:
    """Empirical CDF of values in [0, 1] at bins + 1 equally spaced points (exact there)."""
    idx = np.minimum((unit * bins).astype(np.intp), bins - 1)
    return np.cumsum(np.bincount(idx, minlength=bins)) / unit.size


def test_pert_table_sampler_matches_numpy_beta_at_ten_million_draws():
    """Percentiles within 1% of numpy's exact beta sampler, and a two-sample KS test (the
    statistic read on a 65,536-point grid of the bounded support)."""
    est = Estimate.pert(10_000, 200_000, 5_000_000)
    alpha, beta = pert_alpha_beta(est)
    fast = (est.sample(rng(1), TEN_MILLION, dtype=np.float32) - est.low) / (est.high - est.low)
    exact = rng(2).beta(alpha, beta, TEN_MILLION)
    fast_p, exact_p = np.percentile(fast, PERCENTILES), np.percentile(exact, PERCENTILES)
    assert np.allclose(fast_p, exact_p, rtol=0.01, atol=0), (fast_p, exact_p)
    gap = np.abs(binned_cdf(fast) - binned_cdf(exact)).max()
    assert gap < ks_critical(TEN_MILLION, TEN_MILLION)


@pytest.mark.parametrize(
    "est",
    [Estimate.pert(0, 1, 100), Estimate.pert(0, 99, 100, shape=10), Estimate.pert(0, 50, 100)],
    ids=repr,
)
def test_pert_table_sampler_matches_the_integrated_beta_cdf(est):
    """One-sample KS against a CDF integrated here, independently of the engine's tables."""
    alpha, beta = pert_alpha_beta(est)
    grid = np.linspace(0.0, 1.0, 400_001)
    with np.errstate(divide="ignore"):
        pdf = np.exp((alpha - 1) * np.log(grid) + (beta - 1) * np.log1p(-grid))
    pdf = np.nan_to_num(pdf)
    cdf = np.concatenate([[0.0], np.cumsum((pdf[1:] + pdf[:-1]) / 2)])
    cdf /= cdf[-1]
    draws = np.sort((est.sample(rng(3), MILLION) - est.low) / (est.high - est.low))
    exact = np.interp(draws, grid, cdf)
    ecdf_hi = np.arange(1, MILLION + 1) / MILLION
    ks = max(np.abs(ecdf_hi - exact).max(), np.abs(ecdf_hi - 1 / MILLION - exact).max())
    assert ks < 1.95 / math.sqrt(MILLION)


@pytest.mark.parametrize(
    ("est", "exact"),
    [
        (Estimate.triangular(1, 3, 10), lambda g, n: g.triangular(1, 3, 10, n)),
        (Estimate.lognormal(1_000, 100_000), None),
        (Estimate.uniform(2, 8), lambda g, n: g.uniform(2, 8, n)),
    ],
    ids=["triangular", "lognormal", "uniform"],
)
def test_other_samplers_match_numpy(est, exact):
    n = 2_000_000
    if exact is None:
        mu, sigma = est.log_params
        exact = lambda g, m: g.lognormal(mu, sigma, m)  # noqa: E731
    fast = est.sample(rng(4), n)
    reference = exact(rng(5), n)
    fast_p, exact_p = np.percentile(fast, PERCENTILES), np.percentile(reference, PERCENTILES)
    assert np.allclose(fast_p, exact_p, rtol=0.01, atol=0), (fast_p, exact_p)
    assert ks_two_sample(fast, reference) < ks_critical(n, n)


def test_normal_quantile_matches_the_standard_library():
    nd = NormalDist()
    p = np.array([1e-12, 1e-6, 0.001, 0.02, 0.03, 0.2, 0.5, 0.8, 0.99, 1 - 1e-9])
    expected = [nd.inv_cdf(float(x)) for x in p]
    assert np.allclose(tables.normal_quantile(p), expected, rtol=2e-9, atol=1e-12)
    tails = np.array([2.0**-8, 1e-5, 1e-12])
    expected = [nd.inv_cdf(1 - float(x)) for x in tails[:2]]
    assert np.allclose(tables.upper_normal_quantile(tails)[:2], expected, rtol=2e-9)


def test_lognormal_top_tail_is_drawn_exactly():
    """Draws in the top 2^-8 follow the normal's conditional tail (one-sample KS), so a wide
    lognormal keeps the mean its tail carries."""
    est = Estimate.lognormal(1_000, 10_000_000)  # sigma 2.8: half the mean is in the top 0.4%
    raw = sampler(est).raw(rng(12), 4 * MILLION)
    z = np.sort(raw.tail_z)
    nd = NormalDist()
    start = nd.inv_cdf(1 - 2.0**-8)
    assert z.size == pytest.approx(4 * MILLION / 256, rel=0.05) and z.min() >= start
    exact = np.array([1 - (1 - nd.cdf(float(v))) * 256 for v in z])
    ecdf = np.arange(1, z.size + 1) / z.size
    assert np.abs(ecdf - exact).max() < 1.95 / math.sqrt(z.size)
    mu, sigma = est.log_params
    values = sampler(est).apply(raw)
    assert np.allclose(values[raw.tail_at], np.exp(mu + sigma * raw.tail_z), rtol=1e-6)
    body = np.delete(np.arange(4 * MILLION), raw.tail_at)[:1000]
    assert np.all(values[body] < math.exp(mu + sigma * start))


def test_table_quantiles_are_exact_at_the_cell_midpoints():
    """The triangular table is closed form; the beta table matches it for Beta(2, 1), whose CDF
    is x^2 (to 3e-5 where the square root bends hardest, far finer than sampling noise)."""
    unit = tables.beta_knots(2.0, 1.0).table()
    assert np.allclose(unit, np.sqrt(tables.midpoints()), atol=3e-5, rtol=0)
    assert np.allclose(unit[4096:], np.sqrt(tables.midpoints()[4096:]), atol=1e-6, rtol=0)
    tri = tables.triangular_quantiles(0.0, 1.0, 1.0)
    assert np.allclose(tri, np.sqrt(tables.midpoints()))


@pytest.mark.parametrize(
    "est",
    [
        Estimate.pert(0, 50, 100),
        Estimate.lognormal(10, 100),
        Estimate.triangular(0, 20, 100),
        Estimate.uniform(0, 100),
    ],
    ids=repr,
)
def test_cdf_matches_the_empirical_distribution(est):
    draws = est.sample(rng(6), MILLION)
    points = np.array([5.0, 20.0, 31.6, 50.0, 80.0])
    empirical = (draws[:, None] <= points).mean(axis=0)
    assert np.allclose(est.cdf(points), empirical, atol=0.003)


def test_constant_cdf_is_a_step():
    assert list(Estimate.constant(5).cdf(np.array([4.0, 5.0, 6.0]))) == [0.0, 1.0, 1.0]


def test_degenerate_range_samples_as_a_constant():
    assert set(Estimate.pert(3, 3, 3).sample(rng(), 10)) == {3.0}
    assert sampler(Estimate.uniform(2, 2)).draw(rng(), 10) == 2.0


def test_same_generator_state_gives_the_same_draws():
    est = Estimate.pert(1, 2, 10)
    assert np.array_equal(est.sample(rng(9), 1000), est.sample(rng(9), 1000))
    assert not np.array_equal(est.sample(rng(9), 1000), est.sample(rng(10), 1000))


# Validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("est", "kwargs", "field", "words"),
    [
        (Estimate("beta", 1, 2, 3), {}, "tef.kind", "unknown kind"),
        (Estimate.pert(5, 2, 10), {}, "tef.mode", "at least the minimum"),
        (Estimate.pert(1, 5, 3), {}, "tef.high", "at least 5"),
        (Estimate.triangular(1, 5, 3), {}, "tef.high", "at least 5"),
        (Estimate.uniform(4, 3), {}, "tef.high", "at least 4"),
        (Estimate.pert(1, 2, 3, shape=-1), {}, "tef.shape", "negative"),
        (Estimate.pert(-1, 2, 3), {}, "tef.low", "negative"),
        (Estimate.pert(1, float("nan"), 3), {}, "tef.mode", "finite"),
        (Estimate.pert(1, 2, 1e19), {}, "tef.high", "too large"),
        (Estimate("pert", 1, None, 3), {}, "tef.mode", "number"),
        (Estimate.lognormal(0, 10), {}, "tef.low", "above zero"),
        (Estimate.lognormal(10, 10), {}, "tef.high", "above the 5th"),
        (Estimate.pert(0, 0.5, 1.2), {"probability": True}, "tef.high", "exceed 1"),
        (Estimate.constant(1.5), {"probability": True}, "tef.low", "exceed 1"),
        (Estimate.lognormal(0.1, 0.5), {"probability": True}, "tef.kind", "lognormal"),
        (Estimate.constant(0), {"positive": True}, "tef.low", "above zero"),
        (Estimate.pert(0, 0, 0), {"positive": True}, "tef.high", "above zero"),
    ],
    ids=lambda v: repr(v) if isinstance(v, Estimate) else None,
)
def test_validation_names_the_field(est, kwargs, field, words):
    with pytest.raises(QuantInputError) as raised:
        est.validate("tef", **kwargs)
    assert raised.value.field == field
    assert raised.value.message.startswith(f"{field}:") and words in raised.value.message
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, InvalidInput)


@pytest.mark.parametrize(
    ("est", "kwargs"),
    [
        (Estimate.pert(0, 0, 10), {}),
        (Estimate.pert(0, 0.5, 1), {"probability": True}),
        (Estimate.constant(0), {}),
        (Estimate.pert(0, 100, 1000), {"positive": True}),
        (Estimate.lognormal(1, 2), {"positive": True}),
    ],
    ids=repr,
)
def test_valid_estimates_pass(est, kwargs):
    est.validate("x", **kwargs)


# Storage --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "est",
    [
        Estimate.pert(1, 2, 3, shape=6),
        Estimate.lognormal(10, 1000),
        Estimate.triangular(0, 1, 2),
        Estimate.uniform(1, 2),
        Estimate.constant(5),
    ],
    ids=repr,
)
def test_json_round_trip(est):
    data = json.loads(json.dumps(est.to_dict()))
    assert Estimate.from_dict(data) == est


def test_to_dict_keeps_only_the_parts_of_the_kind():
    assert Estimate.lognormal(10, 1000).to_dict() == {"kind": "lognormal", "low": 10, "high": 1000}
    assert Estimate.constant(5).to_dict() == {"kind": "constant", "low": 5}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "pert", "low": 1, "high": 3, "shape": 4}, "primary.mode"),
        ({"kind": "normal", "low": 1}, "primary.kind"),
        ({"kind": "constant", "low": 1, "colour": "red"}, "primary.colour"),
        ("pert", "primary"),
    ],
)
def test_from_dict_names_the_field(data, field):
    with pytest.raises(QuantInputError) as raised:
        Estimate.from_dict(data, "primary")
    assert raised.value.field == field


@pytest.mark.parametrize(
    "est",
    [
        Estimate.pert(1, 2, 10),
        Estimate.lognormal(1_000, 10_000_000),
        Estimate.triangular(0, 1, 4),
        Estimate.uniform(3, 4),
    ],
    ids=repr,
)
@pytest.mark.parametrize("picked", [1_000, 50_000])  # computed alone; from the table
def test_values_at_some_positions_are_those_of_the_whole(est, picked):
    """A replay turns only some raw draws into values; they must be the same values, whether
    the sampler computes so few alone or builds its table."""
    s = Sampler(est)
    raw = s.raw(rng(13), 200_000)
    at = np.sort(rng(14).choice(200_000, picked, replace=False))
    part = s.apply(raw, at)
    assert (s._table is None) == (picked < SPARSE_DRAWS or not s.tabled)
    assert np.array_equal(part, s.apply(raw)[at])


@pytest.mark.parametrize("alpha, beta", [(1.0, 5.0), (2.2, 2.8), (4.6, 1.4), (1.0, 1.0)])
def test_knots_give_the_table_entry_by_entry(alpha, beta):
    """`at` on every index is the whole table, bit for bit, ends included."""
    knots = tables.beta_knots(alpha, beta, 1_000.0, 49_000.0)
    every = np.arange(tables.TABLE_SIZE, dtype=np.uint16)
    table = knots.table()
    assert table.dtype == np.float32 and table.size == tables.TABLE_SIZE
    assert np.array_equal(knots.at(every), table)
    assert np.array_equal(knots.at(every[::-1][:300]), table[::-1][:300])  # the upper end
    assert np.all(np.diff(table) >= 0) and table[0] >= 1_000.0 and table[-1] <= 50_000.0


def test_uniforms_at_some_positions_are_those_of_the_whole():
    at = np.sort(rng(15).choice(100_001, 5_000, replace=False))
    whole = tables.uniforms(rng(16), 100_001)
    assert np.array_equal(tables.uniforms(rng(16), 100_001, at), whole[at])
    assert whole.dtype == np.float32 and whole.min() >= 0.0 and whole.max() < 1.0
    assert whole.mean() == pytest.approx(0.5, abs=0.003)
