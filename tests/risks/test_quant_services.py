"""Quantification services: inputs checked by the engine and audited, runs stored, the
threshold probability read back for the disclosure."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy
import pytest

from riskward.audit.models import AuditEvent
from riskward.core import services as core_services
from riskward.lib.errors import Conflict, InvalidInput
from riskward.risks import quantification, services
from riskward.risks.models import QuantControlEffect, QuantStudy, RiskQuantification
from riskward.risks.quant import ENGINE_VERSION, numpy_version
from riskward.risks.quant.estimates import Estimate
from tests.risks.quant_support import FAST, constant, estimates, linked_control, pert, quantify


@pytest.fixture
def control(org, own_risk):
    return linked_control(org, own_risk)


def events(model, action=None):
    rows = AuditEvent.objects.filter(object_type=f"risks.{model}")
    return rows.filter(action=action) if action else rows


def test_inputs_are_stored_as_the_engines_estimates_and_audited(org, users, own_risk, control):
    quant = quantify(org, users["admin"], own_risk, control)
    quant.refresh_from_db()
    assert quant.tef == Estimate.pert(0.5, 2, 6).to_dict()
    assert quant.primary == Estimate.lognormal(50_000, 4_000_000).to_dict()
    assert quant.lef is None and quant.primary_forms == {}
    effect = quant.effects.get()
    assert (effect.control, effect.target) == (control, "magnitude")
    assert effect.reduction == Estimate.pert(0.3, 0.5, 0.7).to_dict()
    assert events("RiskQuantification", "create").count() == 1
    assert events("QuantControlEffect", "create").count() == 1
    assert quant.inputs_changed_at is not None and not quant.has_run


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tef": pert(1, 3, 2)}, "tef.high"),
        ({"vulnerability": pert(0.1, 0.5, 1.5)}, "vulnerability.high"),
        ({"lef": pert(1, 2, 3)}, "tef"),  # LEF and TEF together
        ({"tef": None, "vulnerability": None}, "lef"),
        ({"primary": None}, "primary"),
        ({"primary_forms": {"reputation": pert(1, 2, 3)}}, "primary_forms"),  # total and forms
        ({"secondary_forms": {"goodwill": pert(1, 2, 3)}}, "secondary_forms.goodwill"),
        ({"tef": {"kind": "pert", "low": "many"}}, "tef.low"),
        ({"tef": {"kind": "gamma", "low": 1}}, "tef.kind"),
        ({"tef": {"kind": "pert", "low": 1, "peak": 2}}, "tef"),
    ],
)
def test_bad_inputs_name_the_field_and_write_nothing(org, users, own_risk, change, field):
    with pytest.raises(InvalidInput) as raised:
        quantify(org, users["admin"], own_risk, **change)
    assert raised.value.field == field
    assert raised.value.message.startswith(f"{field}")
    assert not RiskQuantification.objects.exists()
    assert not events("RiskQuantification").exists()


def test_a_control_must_be_linked_to_the_risk(org, users, own_risk, others_risk):
    foreign = linked_control(org, others_risk, "CTL-009")
    with pytest.raises(InvalidInput) as raised:
        quantify(org, users["admin"], own_risk, foreign)
    assert raised.value.field == "controls.0"
    assert not RiskQuantification.objects.exists()


def test_a_bad_reduction_names_the_effect(org, users, own_risk, control):
    data = estimates(control)
    data["controls"][0]["reduction"] = pert(0.2, 0.5, 1.2)  # more than everything
    with pytest.raises(InvalidInput) as raised:
        quantification.set_inputs(org, users["admin"], own_risk, data)
    assert raised.value.field == "controls.0.reduction.high"


def test_partial_change_keeps_the_other_inputs(org, users, own_risk, control):
    quantify(org, users["admin"], own_risk, control)
    quant = quantification.set_inputs(org, users["admin"], own_risk, {"primary": constant(250_000)})
    quant.refresh_from_db()
    assert quant.primary == {"kind": "constant", "low": 250_000}
    assert quant.tef == Estimate.pert(0.5, 2, 6).to_dict()
    assert quant.effects.count() == 1


def test_switching_to_lef_clears_tef_in_the_same_change(org, users, own_risk):
    quantify(org, users["admin"], own_risk)
    quant = quantification.set_inputs(
        org,
        users["admin"],
        own_risk,
        {"lef": pert(0.1, 0.5, 1), "tef": None, "vulnerability": None},
    )
    assert quant.lef["kind"] == "pert" and quant.tef is None


def test_new_control_effects_replace_the_old_ones(org, users, own_risk, control):
    quantify(org, users["admin"], own_risk, control)
    other = linked_control(org, own_risk, "CTL-002", "EDR")
    quantify(org, users["admin"], own_risk, other)
    assert [e.control for e in QuantControlEffect.objects.all()] == [other]
    assert events("QuantControlEffect", "delete").count() == 1


def test_saving_the_same_inputs_again_records_nothing(org, users, own_risk, control):
    quantify(org, users["admin"], own_risk, control)
    before = AuditEvent.objects.count()
    quantify(org, users["admin"], own_risk, control)
    assert AuditEvent.objects.count() == before


def test_a_run_stores_inherent_residual_and_control_values(org, users, own_risk, control):
    quantify(org, users["admin"], own_risk, control)
    quant = quantification.run_risk(org, users["admin"], own_risk, iterations=FAST, seed=3)
    quant.refresh_from_db()
    inherent, residual = quant.inherent, quant.residual
    assert quant.iterations == FAST and quant.seed == 3 and quant.run_by == users["admin"]
    assert quant.threshold == Decimal("5000000.00") and quant.study is None
    assert residual["mean"] < inherent["mean"]  # a control halving the magnitude
    assert inherent["p50"] <= inherent["p90"] <= inherent["p95"] <= inherent["p99"]
    assert inherent["expected_shortfall"] >= inherent["var"]
    assert 0 <= residual["p_exceed_threshold"] <= inherent["p_exceed_threshold"] <= 1
    assert len(inherent["curve"]) > 10
    assert quant.control_values[control.reference] > 0
    assert events("RiskQuantification", "update").exists()


def test_the_same_seed_gives_the_same_figures(org, users, own_risk):
    quantify(org, users["admin"], own_risk)
    first = quantification.run_risk(org, None, own_risk, iterations=FAST, seed=11).inherent
    again = quantification.run_risk(org, None, own_risk, iterations=FAST, seed=11).inherent
    other = quantification.run_risk(org, None, own_risk, iterations=FAST, seed=12).inherent
    assert first == again
    assert first["mean"] != other["mean"]


def test_changed_inputs_mark_the_results_out_of_date(org, users, own_risk):
    quantify(org, users["admin"], own_risk)
    quant = quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)
    assert not quant.is_stale
    quant = quantification.set_inputs(org, users["admin"], own_risk, {"tef": pert(1, 2, 8)})
    assert quant.is_stale
    assert not quantification.run_risk(org, users["admin"], own_risk, iterations=FAST).is_stale


def test_a_risk_without_inputs_cannot_run(org, users, own_risk):
    with pytest.raises(Conflict, match="RSK-001 has no quantification inputs"):
        quantification.run_risk(org, users["admin"], own_risk)


@pytest.mark.parametrize(
    ("iterations", "seed", "field"), [(10, None, "iterations"), (None, -1, "seed")]
)
def test_run_options_are_checked(org, users, own_risk, iterations, seed, field):
    quantify(org, users["admin"], own_risk)
    with pytest.raises(InvalidInput) as raised:
        quantification.run_risk(org, users["admin"], own_risk, iterations=iterations, seed=seed)
    assert raised.value.field == field


def certain_loss(org, users, risk):
    """One loss event a year on average (Poisson), each of 10M: P(annual loss > 5M) = 1 - 1/e."""
    return quantification.set_inputs(
        org, users["admin"], risk, {"lef": constant(1.0), "primary": constant(10_000_000)}
    )


def test_exceedances_read_the_threshold_probability_back(org, users, own_risk, others_risk):
    certain_loss(org, users, own_risk)
    quantify(  # never near 5M
        org,
        users["admin"],
        others_risk,
        primary=constant(1_000),
        secondary_probability=None,
        secondary=None,
    )
    quantification.run_portfolio(org, users["admin"], iterations=20_000, seed=5)
    found = quantification.exceedances(org)
    assert [risk for risk, _ in found] == [own_risk, others_risk]  # most likely first
    probability = found[0][1]
    assert (
        probability == RiskQuantification.objects.get(risk=own_risk).residual["p_exceed_threshold"]
    )
    assert math.isclose(probability, 1 - math.exp(-1), abs_tol=0.02)
    assert found[1][1] == 0


def test_exceedances_leave_out_runs_against_another_threshold(org, users, own_risk):
    certain_loss(org, users, own_risk)
    quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)
    assert len(quantification.exceedances(org)) == 1
    core_services.update_organization(users["admin"], org, {"materiality_threshold": "8000000"})
    org.refresh_from_db()
    assert quantification.exceedances(org) == []


def test_exceedances_need_a_threshold_and_an_open_risk(org, users, own_risk, other_org):
    certain_loss(org, users, own_risk)
    quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)
    assert quantification.exceedances(other_org) == []
    services.update_risk(org, users["admin"], own_risk, {"status": "closed"})
    assert quantification.exceedances(org) == []


def test_a_portfolio_run_stores_the_study_and_every_risks_results(
    org, users, own_risk, others_risk, control
):
    quantify(org, users["admin"], own_risk, control)
    quantify(org, users["admin"], others_risk)
    study = quantification.run_portfolio(org, users["admin"], iterations=FAST, seed=2)
    assert set(study.risks.all()) == {own_risk, others_risk}
    assert study.threshold == Decimal("5000000.00") and study.run_by == users["admin"]
    shares = [c["share_of_mean"] for c in study.contributors]
    assert {c["reference"] for c in study.contributors} == {"RSK-001", "RSK-002"}
    assert math.isclose(sum(shares), 1, abs_tol=1e-6)
    assert study.inherent["mean"] > study.residual["mean"] > 0
    for risk in (own_risk, others_risk):
        quant = RiskQuantification.objects.get(risk=risk)
        assert quant.study == study and quant.iterations == FAST and quant.residual["mean"] > 0
    assert events("QuantStudy", "create").count() == 1


def test_a_portfolio_run_of_chosen_risks(org, users, own_risk, others_risk):
    quantify(org, users["admin"], own_risk)
    quantify(org, users["admin"], others_risk)
    study = quantification.run_portfolio(org, None, risks=["rsk-002"], iterations=FAST)
    assert list(study.risks.all()) == [others_risk]
    assert RiskQuantification.objects.get(risk=own_risk).run_at is None


def test_a_portfolio_run_refuses_an_unquantified_risk(org, users, own_risk, others_risk):
    quantify(org, users["admin"], own_risk)
    with pytest.raises(InvalidInput) as raised:
        quantification.run_portfolio(org, None, risks=[others_risk.pk], iterations=FAST)
    assert raised.value.field == "risks"


def test_a_portfolio_needs_quantified_risks(org, users, own_risk):
    with pytest.raises(Conflict, match="No risk has quantification inputs"):
        quantification.run_portfolio(org, users["admin"], iterations=FAST)


def test_a_portfolio_run_is_stored_all_or_nothing(org, users, own_risk, others_risk, monkeypatch):
    quantify(org, users["admin"], own_risk)
    quantify(org, users["admin"], others_risk)
    original, calls = quantification.update_row, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(quantification, "update_row", failing)
    with pytest.raises(RuntimeError):
        quantification.run_portfolio(org, users["admin"], iterations=FAST)
    assert not QuantStudy.objects.exists()
    assert not RiskQuantification.objects.filter(run_at__isnull=False).exists()


def test_results_are_not_stored_over_estimates_changed_during_the_run(
    org, users, own_risk, monkeypatch
):
    quantify(org, users["admin"], own_risk)
    engine_run = quantification.run_study

    def run_while_someone_edits(study, progress=None):
        result = engine_run(study, progress=progress)
        quantification.set_inputs(org, users["risk_owner"], own_risk, {"tef": pert(1, 2, 3)})
        return result

    monkeypatch.setattr(quantification, "run_study", run_while_someone_edits)
    with pytest.raises(Conflict, match="RSK-001 changed during the run"):
        quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)
    assert RiskQuantification.objects.get().run_at is None


def test_runs_record_the_engine_and_numpy_that_computed_them(org, users, own_risk):
    """Both pin a result (numpy's Generator methods may change between releases), and the audit
    trail keeps them with the figures."""
    assert numpy_version() == numpy.__version__
    quantify(org, users["admin"], own_risk)
    quant = quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)
    assert (quant.engine, quant.numpy) == (ENGINE_VERSION, numpy_version())
    assert not quant.by_older_engine
    assert events("RiskQuantification", "update").first().after["numpy"] == numpy_version()
    RiskQuantification.objects.filter(pk=quant.pk).update(numpy="")  # the portfolio sets it too
    study = quantification.run_portfolio(org, users["admin"], iterations=FAST)
    assert (study.engine, study.numpy) == (ENGINE_VERSION, numpy_version())
    assert events("QuantStudy", "create").get().after["numpy"] == numpy_version()
    quant.refresh_from_db()
    assert quant.numpy == numpy_version()
    RiskQuantification.objects.filter(pk=quant.pk).update(engine=ENGINE_VERSION - 1)
    quant.refresh_from_db()
    assert quant.by_older_engine and not quant.is_stale  # other figures, same inputs


def test_a_single_event_risk_keeps_its_model_in_a_portfolio_run(org, users, own_risk, others_risk):
    """The risk's own "single event" holds in a compound portfolio run: the same figures as its
    own run, at most one loss a year, while the other risk stays compound."""
    frequent = {"tef": pert(4, 8, 16), "vulnerability": pert(0.5, 0.8, 1.0)}
    quantify(org, users["admin"], own_risk, single_event=True, **frequent)
    quantify(org, users["admin"], others_risk, **frequent)
    alone = quantification.run_risk(org, users["admin"], own_risk, iterations=FAST, seed=3)
    alone_figures = (alone.inherent, alone.mean_events)
    quantification.run_portfolio(org, users["admin"], iterations=FAST, seed=3)
    own, other = (RiskQuantification.objects.get(risk=r) for r in (own_risk, others_risk))
    assert (own.inherent, own.mean_events) == alone_figures
    assert own.mean_events <= 1.0 < other.mean_events
