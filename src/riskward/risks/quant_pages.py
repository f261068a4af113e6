"""What the quantification parts of the pages show: a risk's section and the portfolio page.

Results are read from stored rows (never simulated while a page renders), in a fixed number of
queries whatever the number of risks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest

from riskward.core import rbac
from riskward.core.models import Organization
from riskward.risks import quantification
from riskward.risks.models import QuantControlEffect, QuantStudy, Risk, RiskQuantification
from riskward.risks.quant.estimates import Estimate
from riskward.risks.quant_charts import LossCurveChart, loss_curve_chart, money, percent
from riskward.risks.quant_forms import (
    FACTORS,
    EstimatesUploadForm,
    PortfolioRunForm,
    QuantInputsForm,
    RunForm,
    form_label,
)

TOP_CONTRIBUTORS = 10
HISTORY = 5


@dataclass(frozen=True)
class Figure:
    label: str
    inherent: str
    residual: str
    help: str = ""


def _threshold(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def figures(
    inherent: dict[str, Any], residual: dict[str, Any], threshold: Decimal | None, currency: str
) -> list[Figure]:
    """The results table: the same rows for a risk and for the portfolio."""

    def row(label: str, key: str, help_text: str = "", kind: str = "money") -> Figure:
        values = [
            money(s.get(key), currency) if kind == "money" else percent(s.get(key))
            for s in (inherent, residual)
        ]
        return Figure(label, values[0], values[1], help_text)

    rows = [
        row(
            "Mean annual loss", "mean", "The expected loss a year: what the risk costs on average."
        ),
        row("Median (P50)", "p50", "Half of the simulated years lose less than this."),
        row("P90", "p90", "One year in ten loses more than this."),
        row("P95", "p95"),
        row("P99", "p99", "One year in a hundred loses more than this."),
        row("Value at risk (95%)", "var", "The loss not exceeded in 95% of years."),
        row(
            "Expected shortfall", "expected_shortfall", "The average loss in the worst 5% of years."
        ),
    ]
    if threshold is not None:
        label = f"P(loss > {money(threshold, currency)})"
        help_text = "The annual probability of a loss above the materiality threshold."
        rows.append(row(label, "p_exceed_threshold", help_text, kind="percent"))
    return rows


def chart(inherent: Any, residual: Any, threshold: Decimal | None, currency: str) -> LossCurveChart:
    return loss_curve_chart(
        (inherent or {}).get("curve"),
        (residual or {}).get("curve"),
        _threshold(threshold),
        currency,
    )


def _control_values(quant: RiskQuantification, currency: str) -> list[tuple[Any, str, str]]:
    """(effect, what it reduces, the yearly loss it avoids) for each effect, most valuable first."""
    values = quant.control_values or {}
    rows = [(e, values.get(e.control.reference)) for e in quant.effects.all()]
    rows.sort(key=lambda pair: -(pair[1] or 0))
    return [(e, e.get_target_display(), money(v, currency)) for e, v in rows]


def quantification_of(risk: Risk) -> RiskQuantification | None:
    """The risk's quantification with its effects: no query for a risk read with
    `select_related("quantification")` that has none, one for the effects when it has."""
    try:
        quant: RiskQuantification = risk.quantification
    except RiskQuantification.DoesNotExist:
        return None
    effects = QuantControlEffect.objects.select_related("control")
    prefetch_related_objects([quant], Prefetch("effects", queryset=effects))
    return quant


def risk_section(
    request: HttpRequest, risk: Risk, bound: dict[str, Any], controls: list[Any]
) -> dict[str, Any]:
    """The risk page's "Quantified risk" section; `bound` holds a form that failed validation
    and `controls` the risk's controls (already read for the page)."""
    org: Organization = request.org  # type: ignore[attr-defined]
    quant = quantification_of(risk)
    can_change = rbac.can_edit(request.user, risk)
    context: dict[str, Any] = {"quant": quant, "currency": org.reporting_currency}
    if quant is not None:
        context["quant_inputs"] = input_lines(quant)
    if can_change:
        context["quant_form"] = bound.get("quant_form") or QuantInputsForm(
            risk=risk, quant=quant, controls=controls
        )
        context["run_form"] = bound.get("run_form") or RunForm()
    if quant is not None and quant.has_run:
        currency = org.reporting_currency
        context.update(
            quant_figures=figures(
                quant.inherent or {}, quant.residual or {}, quant.threshold, currency
            ),
            quant_chart=chart(quant.inherent, quant.residual, quant.threshold, currency),
            quant_controls=_control_values(quant, currency),
            threshold_changed=quant.threshold != org.materiality_threshold,
        )
    return context


def _contributors(study: QuantStudy, currency: str) -> list[dict[str, Any]]:
    """The engine's order: the largest part of the worst years first."""
    mean = float(study.residual.get("mean") or 0)
    return [
        {
            **row,
            "share": percent(row["share_of_mean"]),
            "loss": money(mean * row["share_of_mean"], currency),
            "tail": money(row["tail_contribution"], currency),
            "tail_share": percent(row.get("share_of_tail")),
        }
        for row in study.contributors[:TOP_CONTRIBUTORS]
    ]


def _risk_rows(org: Organization, currency: str) -> list[dict[str, Any]]:
    rows = RiskQuantification.objects.filter(organization=org).select_related("risk")
    result = []
    for quant in rows.order_by("risk__reference"):
        residual = quant.residual or {}
        result.append(
            {
                "risk": quant.risk,
                "quant": quant,
                "mean": money(residual.get("mean"), currency) if residual else "",
                "p90": money(residual.get("p90"), currency) if residual else "",
                "exceed": percent(residual.get("p_exceed_threshold")) if residual else "",
            }
        )
    return result


def describe(stored: Any) -> str:
    """An estimate in a line: "PERT 0.5 · 2 · 6", "Lognormal 90% 50K to 2M"."""
    estimate = Estimate.from_dict(stored)
    numbers = [_number(v) for v in (estimate.low, estimate.mode, estimate.high) if v is not None]
    shown = " · ".join(numbers)
    if estimate.kind == "lognormal":
        shown = f"90% {numbers[0]} to {numbers[-1]}"
    elif estimate.kind == "pert" and estimate.shape != 4:
        shown += f" (shape {_number(estimate.shape)})"
    return f"{estimate.kind.capitalize() if estimate.kind != 'pert' else 'PERT'} {shown}"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.6g}"


def input_lines(quant: RiskQuantification) -> list[tuple[str, str]]:
    """(factor, estimate) for every stored input, in the order the form asks for them."""
    lines = [
        (FACTORS[name][0], describe(getattr(quant, name)))
        for name in quantification.ESTIMATES
        if getattr(quant, name)
    ]
    for group, title in (("primary_forms", "Primary"), ("secondary_forms", "Secondary")):
        for form, stored in (getattr(quant, group) or {}).items():
            lines.append((f"{title} loss: {form_label(form).lower()}", describe(stored)))
    return lines


def portfolio(request: HttpRequest, **bound: Any) -> dict[str, Any]:
    """The portfolio page: the last run's curve, figures and contributors, and every risk's row."""
    org: Organization = request.org  # type: ignore[attr-defined]
    user, currency = request.user, org.reporting_currency
    studies = list(QuantStudy.objects.filter(organization=org).select_related("run_by")[:HISTORY])
    study = studies[0] if studies else None
    context: dict[str, Any] = {
        "study": study,
        "history": studies,
        "currency": currency,
        "threshold": org.materiality_threshold,
        "rows": _risk_rows(org, currency),
        "can_view_risks": rbac.has_cap(user, rbac.Cap.VIEW_RECORDS),
        "can_run": rbac.has_cap(user, rbac.Cap.EDIT_RECORDS),
        "can_import": rbac.has_cap(user, rbac.Cap.IMPORT),
        "can_export": rbac.has_cap(user, rbac.Cap.VIEW_RECORDS),  # as the registers' exports
        **bound,
    }
    if study is not None:
        context.update(
            figures=figures(study.inherent, study.residual, study.threshold, currency),
            chart=chart(study.inherent, study.residual, study.threshold, currency),
            contributors=_contributors(study, currency),
            threshold_changed=study.threshold != org.materiality_threshold,
        )
    if context["can_run"]:
        context.setdefault("run_form", PortfolioRunForm(org=org))
    if context["can_import"]:
        context.setdefault("upload_form", EstimatesUploadForm())
    return context
