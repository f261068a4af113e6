"""Open FAIR estimates for the demo's main risks (`estimates.csv`) and one portfolio run.

Loaded once, through the same importer a user's file goes through; a later load leaves the
estimates and results alone (they move through their own workflow, and a run is history).
"""

from __future__ import annotations

from riskward.core import tabular
from riskward.demo import tables
from riskward.demo.loaders.context import Demo
from riskward.risks import quantification
from riskward.risks.models import RiskQuantification
from riskward.risks.quant_import import import_estimates

ITERATIONS = 100_000
SEED = 2024


def load(demo: Demo) -> None:
    if RiskQuantification.objects.for_org(demo.org).exists():
        return
    sheet = tabular.read_rows(tables.raw("estimates"), "estimates.csv")
    imported = import_estimates(demo.org, demo.actor, sheet, "estimates.csv")
    demo.created += imported.risks
    quantification.run_portfolio(demo.org, demo.actor, iterations=ITERATIONS, seed=SEED)
    demo.created += 1
