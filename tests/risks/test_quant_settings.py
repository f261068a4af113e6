"""Quantification runs that choose no seed or length take them from settings
(RISKWARD_QUANT_SEED, RISKWARD_QUANT_ITERATIONS)."""

from __future__ import annotations

from django.test import override_settings

from riskward.risks import quantification
from riskward.risks.quant_forms import RunForm
from tests.risks.quant_support import FAST, quantify


@override_settings(QUANT_SEED=7, QUANT_ITERATIONS=FAST + 500)
def test_defaults_follow_the_settings():
    assert quantification.default_seed() == 7
    assert quantification.default_iterations() == FAST + 500


@override_settings(QUANT_SEED=7, QUANT_ITERATIONS=FAST + 500)
def test_a_run_that_chooses_nothing_uses_the_settings(org, users, own_risk):
    quantify(org, users["admin"], own_risk)
    chosen = quantification.run_risk(org, users["admin"], own_risk, iterations=FAST + 500, seed=7)
    quant = quantification.run_risk(org, users["admin"], own_risk)
    quant.refresh_from_db()
    assert (quant.iterations, quant.seed) == (FAST + 500, 7)
    assert quant.inherent == chosen.inherent


@override_settings(QUANT_SEED=9, QUANT_ITERATIONS=FAST)
def test_a_portfolio_run_that_chooses_nothing_uses_the_settings(org, users, own_risk):
    quantify(org, users["admin"], own_risk)
    study = quantification.run_portfolio(org, users["admin"])
    assert (study.iterations, study.seed) == (FAST, 9)


@override_settings(QUANT_ITERATIONS=250_000)
def test_the_run_form_offers_the_configured_length():
    assert RunForm().fields["iterations"].widget.attrs["placeholder"] == "250000"
