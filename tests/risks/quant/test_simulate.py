"""The simulation: compound frequency, controls, reproducibility and the portfolio."""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from riskward.risks.quant import kernel
from riskward.risks.quant.estimates import Estimate, QuantInputError
from riskward.risks.quant.kernel import (
    BLOCK,
    EVENTS_PER_BLOCK,
    block_years,
    remainder,
    scenario_seed,
)
from riskward.risks.quant.model import ControlEffect, Scenario
from riskward.risks.quant.simulate import (
    Study,
    run_study,
    simulate_annual_losses,
    simulate_portfolio,
)
from riskward.risks.quant.summary import summarize

MILLION = 1_000_000
QUANT = Path(__file__).parents[3] / "src" / "riskward" / "risks" / "quant"
ALLOWED_IMPORTS = {
    "__future__",
    "collections",
    "concurrent",
    "dataclasses",
    "functools",
    "hashlib",
    "math",
    "numpy",
    "os",
    "time",
    "typing",
    "riskward",
}


def fair(key: str = "RSK-1", **changes) -> Scenario:
    base = Scenario(
        key=key,
        tef=Estimate.pert(0.5, 2, 10),
        vulnerability=Estimate.pert(0.05, 0.2, 0.5),
        primary=Estimate.pert(10_000, 200_000, 5_000_000),
        secondary_probability=Estimate.constant(0.3),
        secondary=Estimate.lognormal(50_000, 2_000_000),
        controls=(
            ControlEffect("mfa", "vulnerability", Estimate.pert(0.3, 0.5, 0.7)),
            ControlEffect("backup", "magnitude", Estimate.pert(0.1, 0.3, 0.5)),
        ),
    )
    return replace(base, key=key, **changes)


def within(sample: np.ndarray, expected: float, sigmas: float = 5.0) -> bool:
    """The sample mean is within `sigmas` standard errors of `expected`."""
    return abs(sample.mean() - expected) <= sigmas * sample.std() / math.sqrt(sample.size)


# Frequency and magnitude ----------------------------------------------------------------------


def test_compound_mean_is_rate_times_mean_magnitude():
    s = fair(controls=())
    losses = simulate_annual_losses(s, MILLION, 11, residual=False)
    magnitude = s.primary.mean + 0.3 * s.secondary.mean
    expected = s.tef.mean * s.vulnerability.mean * magnitude
    assert losses.mean() == pytest.approx(expected, rel=0.01)
    assert within(losses, expected)


def test_event_counts_are_poisson_with_the_sampled_rate():
    for rate in (0.3, 2.5, 45.0):  # 45 takes numpy's sampler for large rates
        s = Scenario("R", lef=Estimate.constant(rate), primary=Estimate.constant(1.0))
        counts = simulate_annual_losses(s, 400_000, 5)
        assert counts.mean() == pytest.approx(rate, rel=0.01)
        assert counts.var() == pytest.approx(rate, rel=0.02)
        assert np.mean(counts == 0) == pytest.approx(math.exp(-rate), abs=0.003)
        assert np.array_equal(counts, np.round(counts))


def test_frequent_losses_run_in_shorter_blocks():
    """Memory follows the events in a block, so a frequent scenario gets fewer years a block
    (the split depends only on the inputs, never on threads)."""
    rare = Scenario("R", lef=Estimate.pert(0.1, 0.3, 1), primary=Estimate.constant(1.0))
    frequent = Scenario("F", lef=Estimate.pert(20, 100, 150), primary=Estimate.constant(1.0))
    assert block_years(rare) == BLOCK
    twice_mean = 2 * frequent.lef.mean
    assert block_years(frequent) * twice_mean <= EVENTS_PER_BLOCK
    assert block_years(frequent) * twice_mean * 2 > EVENTS_PER_BLOCK
    counts = simulate_annual_losses(frequent, 20_000, 3)
    assert counts.mean() == pytest.approx(frequent.lef.mean, rel=0.01)


def test_uncertain_rate_adds_its_variance():
    s = Scenario("R", lef=Estimate.uniform(0, 2), primary=Estimate.constant(1.0))
    counts = simulate_annual_losses(s, 400_000, 5)
    assert counts.mean() == pytest.approx(1.0, rel=0.01)
    assert counts.var() == pytest.approx(1.0 + 4 / 12, rel=0.02)  # E[rate] + Var[rate]


def test_several_losses_in_one_year_draw_their_own_magnitudes():
    s = Scenario("R", lef=Estimate.constant(3.0), primary=Estimate.uniform(0, 1))
    losses = simulate_annual_losses(s, 200_000, 5)
    # Poisson(3) sums of U(0,1): variance = rate * E[X^2] = 3 / 3.
    assert losses.var() == pytest.approx(1.0, rel=0.02)


def test_a_years_events_share_its_secondary_probability():
    """The secondary loss probability is one draw per year, shared by the year's events: with
    N ~ Poisson(3) and p ~ U(0, 1), the hits H have variance E[N]E[p(1-p)] + Var(Np) = 2.25
    (1.5 if every event drew its own p)."""
    s = Scenario(
        "R",
        lef=Estimate.constant(3.0),
        primary=Estimate.constant(1.0),
        secondary_probability=Estimate.uniform(0.0, 1.0),
        secondary=Estimate.constant(1000.0),
    )
    hits = np.floor(simulate_annual_losses(s, 400_000, 6) / 1000.0)
    assert hits.mean() == pytest.approx(1.5, rel=0.01)
    assert hits.var() == pytest.approx(2.25, rel=0.03)


@pytest.mark.parametrize(("target", "variance"), [("frequency", 2.25), ("magnitude", 1.75)])
def test_a_years_events_share_its_control_factor(target, variance):
    """A control's factor f ~ U(0, 1) is one draw per year with an event, for all its events:
    kept events Binomial(N, f) have variance 2.25 and a scaled count f x N has 1.75 (1.5 and 1
    if every event drew its own)."""
    control = ControlEffect("c", target, Estimate.uniform(0.0, 1.0))
    s = Scenario("R", lef=Estimate.constant(3.0), primary=Estimate.constant(1.0))
    residual = simulate_annual_losses(replace(s, controls=(control,)), 400_000, 6)
    assert residual.mean() == pytest.approx(1.5, rel=0.01)
    assert residual.var() == pytest.approx(variance, rel=0.03)


def test_single_event_option_never_exceeds_one_event_a_year():
    for rate in (0.4, 3.0):
        s = Scenario("R", lef=Estimate.constant(rate), primary=Estimate.constant(100.0))
        losses = simulate_annual_losses(s, 200_000, 5, compound=False)
        assert set(np.unique(losses)) <= {0.0, 100.0}
        assert np.mean(losses > 0) == pytest.approx(min(rate, 1.0), abs=0.005)


def test_vulnerability_from_threat_capability_and_resistance_strength():
    """P(TCap > RS): uniform capability against a uniform strength is 1/2; against 0.3, 0.7."""
    for strength, expected in ((Estimate.uniform(0, 1), 0.5), (Estimate.constant(0.3), 0.7)):
        s = Scenario(
            "R",
            tef=Estimate.constant(2.0),
            threat_capability=Estimate.uniform(0, 1),
            resistance_strength=strength,
            primary=Estimate.constant(1.0),
        )
        counts = simulate_annual_losses(s, 400_000, 5)
        assert counts.mean() == pytest.approx(2.0 * expected, rel=0.01)


def test_forms_of_loss_add_up():
    forms = {
        "response": Estimate.pert(1_000, 5_000, 20_000),
        "fines_judgments": Estimate.constant(10_000),
        "reputation": Estimate.lognormal(1_000, 100_000),
    }
    s = Scenario(
        "R",
        lef=Estimate.constant(1.5),
        primary_forms=forms,
        secondary_probability=Estimate.uniform(0.2, 0.6),
        secondary_forms={"competitive_advantage": Estimate.triangular(0, 10_000, 50_000)},
    )
    losses = simulate_annual_losses(s, 400_000, 9)
    magnitude = sum(f.mean for f in forms.values()) + 0.4 * (60_000 / 3)
    assert within(losses, 1.5 * magnitude)


# Controls -------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["frequency", "vulnerability"])
def test_half_frequency_halves_the_mean_loss(target):
    half = (ControlEffect("c", target, Estimate.constant(0.5)),)
    s = fair(controls=half)
    inherent = simulate_annual_losses(s, 400_000, 3, residual=False)
    residual = simulate_annual_losses(s, 400_000, 3)
    assert residual.mean() / inherent.mean() == pytest.approx(0.5, rel=0.02)
    assert np.all(residual <= inherent)  # the residual events are some of the inherent ones


def test_magnitude_control_scales_every_loss():
    s = fair(controls=(ControlEffect("c", "magnitude", Estimate.constant(0.3)),))
    inherent = simulate_annual_losses(s, 100_000, 3, residual=False)
    assert np.allclose(simulate_annual_losses(s, 100_000, 3), 0.7 * inherent, rtol=1e-6)


def test_uncertain_effects_reduce_by_their_mean():
    s = fair(
        controls=(
            ControlEffect("a", "frequency", Estimate.uniform(0.2, 0.6)),
            ControlEffect("b", "magnitude", Estimate.pert(0.1, 0.3, 0.5)),
        )
    )
    inherent = simulate_annual_losses(s, MILLION, 4, residual=False)
    residual = simulate_annual_losses(s, MILLION, 4)
    assert residual.mean() / inherent.mean() == pytest.approx(0.6 * 0.7, rel=0.02)


@pytest.mark.parametrize(
    "reduction",
    [
        Estimate.pert(0.1, 0.3, 0.5, shape=6),
        Estimate.triangular(0.0, 0.2, 0.9),
        Estimate.uniform(0.25, 0.75),
        Estimate.constant(0.4),
    ],
    ids=repr,
)
def test_a_control_leaves_one_minus_its_reduction(reduction):
    """Effects are drawn as the factor they leave: the mirror image of the reduction."""
    left = remainder(reduction)
    draws = left.sample(np.random.default_rng(3), 400_000)
    assert left.mean == pytest.approx(1 - reduction.mean)
    assert draws.mean() == pytest.approx(1 - reduction.mean, abs=0.002)
    mirrored = 1 - reduction.sample(np.random.default_rng(4), 400_000)
    assert np.allclose(
        np.percentile(draws, [5, 50, 95]), np.percentile(mirrored, [5, 50, 95]), atol=0.005
    )


def test_control_value_is_the_residual_without_it_minus_the_residual():
    s = fair(controls=(*fair().controls, ControlEffect("edr", "frequency", Estimate.constant(0.2))))
    result = run_study(Study([s], iterations=200_000, seed=8, workers=1))
    scored = result.scenarios[s.key]
    assert set(scored.control_value) == {"mfa", "backup", "edr"}
    residual = simulate_annual_losses(s, 200_000, 8).mean()
    assert scored.residual.mean == pytest.approx(residual, rel=1e-12)
    for name, value in scored.control_value.items():
        without = simulate_annual_losses(s.without_control(name), 200_000, 8).mean()
        assert value == pytest.approx(without - residual, rel=1e-9)
        assert value > 0


def test_without_controls_residual_is_inherent():
    s = fair(controls=())
    scored = run_study(Study([s], iterations=50_000, seed=3, workers=1)).scenarios[s.key]
    assert scored.residual == scored.inherent and scored.control_value == {}
    assert scored.mean_residual_events == scored.mean_events
    assert np.array_equal(
        simulate_annual_losses(s, 50_000, 3), simulate_annual_losses(s, 50_000, 3, residual=False)
    )


def test_control_values_are_stable_across_seeds():
    """Common random numbers: a control that halves the frequency is worth the residual mean
    (as much again) within 5%, and keeps half the events within 2%, in each run, though each
    run's mean moves by several percent."""
    s = fair(controls=(ControlEffect("c", "frequency", Estimate.constant(0.5)),))
    for seed in (1, 2):
        scored = run_study(Study([s], iterations=100_000, seed=seed, workers=1)).scenarios["RSK-1"]
        assert scored.control_value["c"] == pytest.approx(scored.residual.mean, rel=0.05)
        assert scored.mean_residual_events == pytest.approx(scored.mean_events / 2, rel=0.02)


# Reproducibility ------------------------------------------------------------------------------


def study(n_risks: int = 4, **changes) -> Study:
    scenarios = [fair(f"RSK-{i}") for i in range(n_risks)]
    return replace(Study(scenarios, iterations=300_000, seed=17, threshold=3_000_000), **changes)


def comparable(result) -> dict:
    data = result.to_dict()
    del data["seconds"]
    return data


def test_same_seed_same_result_whatever_the_threads():
    one = run_study(study(workers=1))
    two = run_study(study(workers=2))
    assert comparable(one) == comparable(two)
    assert comparable(run_study(study(seed=18, workers=2))) != comparable(one)


def test_many_blocks_give_the_same_figures_and_tails_whatever_the_threads(monkeypatch):
    """The study's own sizes fit one or two blocks; with blocks of 2^12 years a study runs
    through many (the last one partial, a frequent risk in shorter ones). Threads still change
    nothing, and the tail pass, which restarts every block's streams, finds the same losses."""
    monkeypatch.setattr(kernel, "BLOCK", 1 << 12)
    monkeypatch.setattr(kernel, "EVENTS_PER_BLOCK", 1 << 16)
    frequent = fair("FREQUENT", tef=None, vulnerability=None, lef=Estimate.uniform(15, 30))
    st = Study([fair("A"), fair("B"), frequent], iterations=30_000, seed=9, threshold=3e6)
    assert block_years(frequent) < block_years(st.scenarios[0]) == 1 << 12 < st.iterations
    one = run_study(replace(st, workers=1))
    assert comparable(one) == comparable(run_study(replace(st, workers=2)))
    tail = simulate_portfolio(st) >= one.portfolio_residual.var
    for c in one.contributors:
        s = next(x for x in st.scenarios if x.key == c.key)
        losses = simulate_annual_losses(s, st.iterations, st.seed)
        assert c.tail_contribution == pytest.approx(losses[tail].mean(), rel=1e-9)


def test_risks_with_the_same_inputs_are_not_identical():
    a = simulate_annual_losses(fair("RSK-1"), 50_000, 17)
    b = simulate_annual_losses(fair("RSK-2"), 50_000, 17)
    assert not np.array_equal(a, b)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.02


def test_seed_forms_are_interchangeable():
    s = fair()
    by_int = simulate_annual_losses(s, 10_000, 5)
    assert np.array_equal(by_int, simulate_annual_losses(s, 10_000, scenario_seed(5, s.key)))
    g = simulate_annual_losses(s, 10_000, np.random.default_rng(1))
    assert np.array_equal(g, simulate_annual_losses(s, 10_000, np.random.default_rng(1)))


def test_a_risk_keeps_its_losses_when_others_join_the_study():
    alone = simulate_annual_losses(fair("RSK-3"), 20_000, 17)
    crowd = run_study(replace(study(), iterations=20_000))
    assert crowd.scenarios["RSK-3"].residual.mean == pytest.approx(alone.mean(), rel=1e-12)


# The study and its portfolio ------------------------------------------------------------------


def test_portfolio_is_the_year_by_year_sum():
    st = study()
    total = np.zeros(st.iterations)
    for s in st.scenarios:
        total += simulate_annual_losses(s, st.iterations, st.seed)
    assert np.array_equal(simulate_portfolio(st), total)
    result = run_study(st)
    assert result.portfolio_residual == summarize(total, threshold=st.threshold)
    inherent = simulate_portfolio(st, residual=False)
    assert result.portfolio_inherent == summarize(inherent, threshold=st.threshold)
    # A sum of percentiles overstates the portfolio's: diversification.
    assert result.portfolio_residual.p99 < sum(r.residual.p99 for r in result.scenarios.values())


def test_scenario_summaries_are_those_of_its_years():
    st = study(n_risks=1)
    result = run_study(st)
    s = st.scenarios[0]
    assert result.scenarios[s.key].inherent == summarize(
        simulate_annual_losses(s, st.iterations, st.seed, residual=False), threshold=st.threshold
    )
    losses = simulate_annual_losses(s, st.iterations, st.seed)
    residual = result.scenarios[s.key].residual
    assert residual == summarize(losses, threshold=st.threshold)
    assert residual.p_exceed_threshold == np.mean(losses > st.threshold)


def test_contributors_share_the_mean_and_the_tail():
    scenarios = [
        fair("BIG", primary=Estimate.pert(1e6, 5e6, 5e7)),
        fair("MID"),
        fair("SMALL", primary=Estimate.pert(1e3, 1e4, 1e5)),
    ]
    st = Study(scenarios, iterations=200_000, seed=2)
    result = run_study(st)
    assert [c.key for c in result.contributors] == ["BIG", "MID", "SMALL"]
    portfolio = simulate_portfolio(st)
    tail = portfolio >= result.portfolio_residual.var
    for c in result.contributors:
        losses = simulate_annual_losses(
            scenarios[[s.key for s in scenarios].index(c.key)], st.iterations, st.seed
        )
        assert c.tail_contribution == pytest.approx(losses[tail].mean(), rel=1e-9)
        assert c.share_of_mean == pytest.approx(losses.mean() / portfolio.mean(), rel=1e-9)
    es = result.portfolio_residual.expected_shortfall
    assert sum(c.tail_contribution for c in result.contributors) == pytest.approx(es, rel=1e-9)
    assert sum(c.share_of_mean for c in result.contributors) == pytest.approx(1.0)
    assert sum(c.share_of_tail for c in result.contributors) == pytest.approx(1.0)


def test_contributors_replay_large_rates_and_single_events():
    """The tail pass replays each scenario's events: with numpy-counted large rates (above
    20 a year) and with the single-event option, it must find the same losses."""
    frequent = fair("FREQUENT", tef=None, vulnerability=None, lef=Estimate.uniform(15, 30))
    for compound in (True, False):
        st = Study([fair("A"), frequent], iterations=50_000, seed=4, compound=compound)
        result = run_study(st)
        tail = simulate_portfolio(st) >= result.portfolio_residual.var
        for c in result.contributors:
            s = next(x for x in st.scenarios if x.key == c.key)
            losses = simulate_annual_losses(s, st.iterations, st.seed, compound=compound)
            assert c.tail_contribution == pytest.approx(losses[tail].mean(), rel=1e-9)


def test_single_event_study_contributors_replay_the_same_years():
    st = replace(study(n_risks=2, iterations=50_000), compound=False)
    result = run_study(st)
    tail = simulate_portfolio(st) >= result.portfolio_residual.var
    for c in result.contributors:
        s = next(x for x in st.scenarios if x.key == c.key)
        losses = simulate_annual_losses(s, st.iterations, st.seed, compound=False)
        assert c.tail_contribution == pytest.approx(losses[tail].mean(), rel=1e-9)


def test_a_single_event_risk_keeps_its_model_in_a_compound_portfolio():
    """A risk marked single-event is simulated with at most one loss a year even when the
    portfolio is compound: the same figures as when it runs alone, its tail replayed alike."""
    frequent = fair("ONCE", tef=Estimate.pert(4, 8, 16), single_event=True)
    st = Study([fair("A"), frequent], iterations=50_000, seed=6)
    result = run_study(st)
    alone = run_study(Study([frequent], iterations=50_000, seed=6)).scenarios["ONCE"]
    as_option = replace(frequent, single_event=False)
    optioned = run_study(Study([as_option], iterations=50_000, seed=6, compound=False))
    assert result.scenarios["ONCE"] == alone == optioned.scenarios["ONCE"]
    assert result.scenarios["ONCE"].mean_events <= 1.0 < result.scenarios["A"].mean_events * 10
    assert np.array_equal(
        simulate_annual_losses(frequent, 50_000, 6),
        simulate_annual_losses(as_option, 50_000, 6, compound=False),
    )
    tail = simulate_portfolio(st) >= result.portfolio_residual.var
    for c in result.contributors:
        s = next(x for x in st.scenarios if x.key == c.key)
        losses = simulate_annual_losses(s, st.iterations, st.seed)
        assert c.tail_contribution == pytest.approx(losses[tail].mean(), rel=1e-9)


def test_progress_reports_each_scenario():
    calls = []
    run_study(study(iterations=1000), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_results_are_json_ready():
    result = run_study(study(iterations=5000))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["scenarios"]["RSK-0"]["residual"]["iterations"] == 5000
    assert result.seconds > 0 and result.iterations == 5000 and result.seed == 17


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scenarios": []}, "scenarios"),
        ({"iterations": 0}, "iterations"),
        ({"iterations": 1.5}, "iterations"),
        ({"var_level": 1.0}, "var_level"),
        ({"threshold": -1.0}, "threshold"),
        ({"workers": 0}, "workers"),
        ({"seed": -1}, "seed"),
        ({"scenarios": [fair("A"), fair("A")]}, "scenarios.1.key"),
        ({"scenarios": [fair("A", tef=Estimate.pert(3, 2, 1))]}, "tef.mode"),
    ],
)
def test_study_validation_names_the_field(changes, field):
    with pytest.raises(QuantInputError) as raised:
        run_study(replace(study(), **changes))
    assert raised.value.field == field


def test_scenario_errors_in_a_study_name_the_risk():
    with pytest.raises(QuantInputError, match=r"^B: tef\.mode:"):
        run_study(replace(study(), scenarios=[fair("A"), fair("B", tef=Estimate.pert(3, 2, 1))]))


# No Django ------------------------------------------------------------------------------------


def test_the_engine_imports_no_django():
    for path in QUANT.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "django" for n in names), path.name
            assert all(n.split(".")[0] in ALLOWED_IMPORTS for n in names), (path.name, names)
            inside = [n for n in names if n.startswith("riskward")]
            assert all(n.startswith(("riskward.risks.quant", "riskward.lib")) for n in inside)
    code = (
        "import sys, riskward.risks.quant.simulate, riskward.risks.quant.estimates, "
        "riskward.risks.quant.model, riskward.risks.quant.summary; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter running a fixed snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
