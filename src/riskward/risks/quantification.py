"""Open FAIR quantification of the register's risks: inputs, runs, and what the results say.

Estimates are validated by the engine (`risks/quant`) before they are stored; simulations run
outside any transaction (they take seconds) and their results are written in one. The
disclosure engine reads `exceedances()`: each risk's annual probability of a residual loss
above the organization's materiality threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from riskward.core.changes import create_row, delete_row, update_row
from riskward.core.models import Organization
from riskward.lib.errors import Conflict, InvalidInput
from riskward.risks.models import QuantControlEffect, QuantStudy, Risk, RiskQuantification
from riskward.risks.quant import ENGINE_VERSION, numpy_version
from riskward.risks.quant.estimates import Estimate
from riskward.risks.quant.model import FORMS_OF_LOSS, ControlEffect, Scenario
from riskward.risks.quant.simulate import ScenarioResult, Study, StudyResult, run_study
from riskward.risks.quant.summary import LossSummary

ESTIMATES = (
    "lef",
    "tef",
    "vulnerability",
    "threat_capability",
    "resistance_strength",
    "primary",
    "secondary_probability",
    "secondary",
)
FORM_GROUPS = ("primary_forms", "secondary_forms")
INPUTS = (*ESTIMATES, *FORM_GROUPS, "single_event", "rationale")
MIN_ITERATIONS, MAX_ITERATIONS = 1_000, 2_000_000
MAX_SEED = 2**63 - 1
Data = Mapping[str, Any]
Progress = Callable[[int, int], None]  # (scenarios done, scenarios in the run)


def default_seed() -> int:
    """The same inputs give the same figures run after run, unless a seed is chosen
    (RISKWARD_QUANT_SEED)."""
    return int(settings.QUANT_SEED)


def default_iterations() -> int:
    """Simulated years of a run that chooses none (RISKWARD_QUANT_ITERATIONS)."""
    return int(settings.QUANT_ITERATIONS)


def threshold_of(org: Organization) -> float | None:
    """The organization's materiality threshold as the engine takes it (None when unset)."""
    value = org.materiality_threshold
    return float(value) if value is not None else None


# Inputs --------------------------------------------------------------------------------------


def _number(value: Any, field: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{field}: give a number", field)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{field}: “{value}” is not a number", field) from None


def estimate_of(value: Any, field: str) -> Estimate | None:
    """An Estimate from input ({kind, low, mode, high, shape}), a stored dict, or as given."""
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, Estimate):
        return value
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{field}: give the estimate as kind, low, mode, high", field)
    unknown = set(value) - {"kind", "low", "mode", "high", "shape"}
    if unknown:
        raise InvalidInput(f"{field}: unknown part(s) {', '.join(sorted(unknown))}", field)
    low = _number(value.get("low"), f"{field}.low")
    if low is None:
        raise InvalidInput(f"{field}.low: the low value is required", f"{field}.low")
    extra: dict[str, Any] = {}
    if value.get("shape") not in (None, ""):
        extra["shape"] = _number(value.get("shape"), f"{field}.shape")
    return Estimate(
        kind=str(value.get("kind") or "pert"),
        low=low,
        mode=_number(value.get("mode"), f"{field}.mode"),
        high=_number(value.get("high"), f"{field}.high"),
        **extra,
    )


def _forms_of(value: Any, group: str) -> dict[str, Estimate]:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{group}: give one estimate per form of loss", group)
    forms: dict[str, Estimate] = {}
    for form, given in value.items():
        if form not in FORMS_OF_LOSS:
            raise InvalidInput(
                f"{group}.{form}: not a form of loss; use {', '.join(FORMS_OF_LOSS)}",
                f"{group}.{form}",
            )
        found = estimate_of(given, f"{group}.{form}")
        if found is not None:
            forms[form] = found
    return forms


def stored_inputs(quant: RiskQuantification | None) -> dict[str, Any]:
    """The inputs a row holds, as Estimates, for merging with a partial change."""
    values: dict[str, Any] = dict.fromkeys(ESTIMATES)
    values.update({group: {} for group in FORM_GROUPS}, single_event=False, rationale="")
    if quant is None:
        return values
    for name in ESTIMATES:
        raw = getattr(quant, name)
        values[name] = Estimate.from_dict(raw) if raw else None
    for group in FORM_GROUPS:
        values[group] = {f: Estimate.from_dict(d) for f, d in (getattr(quant, group) or {}).items()}
    values.update(single_event=quant.single_event, rationale=quant.rationale)
    return values


def _parsed(data: Data, base: dict[str, Any]) -> dict[str, Any]:
    """`base` with every input `data` names replaced (absent names keep their values)."""
    unknown = set(data) - {*INPUTS, "controls"}
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"{name}: not a quantification input", name)
    values = dict(base)
    for name in ESTIMATES:
        if name in data:
            values[name] = estimate_of(data[name], name)
    for group in FORM_GROUPS:
        if group in data:
            values[group] = _forms_of(data[group], group)
    if "single_event" in data:
        values["single_event"] = bool(data["single_event"])
    if "rationale" in data:
        values["rationale"] = str(data["rationale"] or "").strip()
    return values


def _effects_of(risk: Risk, given: Any) -> list[dict[str, Any]]:
    """Control effects as {control, target, reduction}; only the risk's own controls count."""
    if not isinstance(given, Sequence) or isinstance(given, str | bytes):
        raise InvalidInput("controls: give a list of control effects", "controls")
    linked = {c.pk: c for c in risk.controls.all()}
    by_reference = {c.reference.casefold(): c for c in linked.values()}
    effects: list[dict[str, Any]] = []
    for index, item in enumerate(given):
        field = f"controls.{index}"
        if not isinstance(item, Mapping):
            raise InvalidInput(f"{field}: give control, target and reduction", field)
        ref = item.get("control")
        control = linked.get(getattr(ref, "pk", ref)) or by_reference.get(str(ref).casefold())
        if control is None:
            raise InvalidInput(f"{field}.control: {ref} is not a control of this risk", field)
        if any(e["control"].pk == control.pk for e in effects):
            raise InvalidInput(f"{field}.control: {control.reference} is given twice", field)
        target = str(item.get("target") or "")
        if target not in QuantControlEffect.Target.values:
            choices = ", ".join(QuantControlEffect.Target.values)
            raise InvalidInput(f"{field}.target: choose one of {choices}", f"{field}.target")
        reduction = estimate_of(item.get("reduction"), f"{field}.reduction")
        if reduction is None:
            raise InvalidInput(f"{field}.reduction: estimate the reduction", f"{field}.reduction")
        effects.append({"control": control, "target": target, "reduction": reduction})
    return effects


def _is_empty(values: Mapping[str, Any]) -> bool:
    return not any(values[name] for name in (*ESTIMATES, *FORM_GROUPS))


def build_scenario(key: str, values: Mapping[str, Any], effects: Iterable[Any]) -> Scenario:
    """The engine's scenario from inputs and effects (rows, or dicts with the same names)."""
    controls = tuple(
        ControlEffect(
            name=_get(effect, "control").reference,
            target=_get(effect, "target"),
            reduction=_as_estimate(_get(effect, "reduction")),
        )
        for effect in effects
    )
    return Scenario(
        key=key,
        **{name: values[name] for name in ESTIMATES},
        primary_forms=dict(values["primary_forms"]),
        secondary_forms=dict(values["secondary_forms"]),
        controls=controls,
        single_event=bool(values.get("single_event", False)),
    )


def _get(effect: Any, name: str) -> Any:
    return effect[name] if isinstance(effect, Mapping) else getattr(effect, name)


def _as_estimate(value: Any) -> Estimate:
    return value if isinstance(value, Estimate) else Estimate.from_dict(value)


def _check(risk: Risk, values: Mapping[str, Any], effects: list[Any]) -> None:
    """The engine's own rules (which inputs go together, ranges, probabilities) on the whole.

    Its QuantInputError is an InvalidInput naming the field ("tef.high", "controls.0.reduction"
    with effects counted in the order given), so it reaches forms and the API unchanged.
    """
    build_scenario(risk.reference, values, effects).validate()


def _row_values(values: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        name: values[name].to_dict() if values[name] is not None else None for name in ESTIMATES
    }
    for group in FORM_GROUPS:
        row[group] = {form: est.to_dict() for form, est in values[group].items()}
    row.update(single_event=values["single_event"], rationale=values["rationale"])
    return row


def _write_effects(
    org: Organization, actor: Any, quant: RiskQuantification, effects: list[dict[str, Any]]
) -> bool:
    """Make the stored effects match `effects`; True when anything changed."""
    current = {e.control_id: e for e in quant.effects.all()}
    changed = False
    for effect in effects:
        data = {
            "control": effect["control"],
            "target": effect["target"],
            "reduction": effect["reduction"].to_dict(),
        }
        row = current.pop(effect["control"].pk, None)
        if row is None:
            create_row(org, actor, QuantControlEffect, {**data, "quantification": quant})
            changed = True
        elif (row.target, row.reduction) != (data["target"], data["reduction"]):
            update_row(org, actor, row, data)
            changed = True
    for row in current.values():
        delete_row(org, actor, row)
        changed = True
    return changed


@transaction.atomic
def set_inputs(org: Organization, actor: Any, risk: Risk, data: Data) -> RiskQuantification:
    """Store a risk's estimates (the names `data` gives; others unchanged), checked as a whole.

    `controls`, when given, replaces the control effects. Inputs that differ from the stored
    ones mark the last results as out of date until the risk is run again.
    """
    quant = RiskQuantification.objects.filter(risk=risk).first()
    values = _parsed(data, stored_inputs(quant))
    if "controls" in data:
        effects = _effects_of(risk, data["controls"] or [])
    else:
        effects = [
            effect_dict(e) for e in (quant.effects.select_related("control") if quant else [])
        ]
    if not _is_empty(values):
        _check(risk, values, effects)
    elif effects:
        raise InvalidInput("controls: estimate the risk's frequency and loss first", "controls")
    row = _row_values(values)
    if quant is None:
        quant = create_row(org, actor, RiskQuantification, {**row, "risk": risk})
        changed = True
    else:
        changed = any(getattr(quant, k) != v for k, v in row.items())
        update_row(org, actor, quant, row)
    if _write_effects(org, actor, quant, effects) or changed:
        update_row(org, actor, quant, {"inputs_changed_at": timezone.now()})
    return quant


def effect_dict(row: QuantControlEffect) -> dict[str, Any]:
    """A stored control effect as the inputs name it (the control row, target, Estimate)."""
    return {
        "control": row.control,
        "target": row.target,
        "reduction": Estimate.from_dict(row.reduction),
    }


def scenario_of(quant: RiskQuantification) -> Scenario:
    """The engine's scenario for a stored quantification (effects with their controls loaded)."""
    return build_scenario(quant.risk.reference, stored_inputs(quant), list(quant.effects.all()))


# Runs ----------------------------------------------------------------------------------------


def _iterations(value: Any) -> int:
    count = default_iterations() if value in (None, "") else value
    if isinstance(count, bool) or not isinstance(count, int):
        raise InvalidInput("iterations: give a whole number", "iterations")
    if not MIN_ITERATIONS <= count <= MAX_ITERATIONS:
        raise InvalidInput(
            f"iterations: from {MIN_ITERATIONS:,} to {MAX_ITERATIONS:,}", "iterations"
        )
    return count


def _seed(value: Any) -> int:
    seed = default_seed() if value in (None, "") else value
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InvalidInput("seed: a whole number from 0 up", "seed")
    return seed


def summary_dict(summary: LossSummary) -> dict[str, Any]:
    """A LossSummary as stored: its figures, and the curve as [loss, probability] pairs."""
    data = summary.to_dict()
    data["curve"] = [[round(float(x), 2), round(float(p), 6)] for x, p in summary.curve]
    return data


def _simulate(
    org: Organization,
    scenarios: list[Scenario],
    *,
    iterations: Any,
    seed: Any,
    single_event: bool,
    progress: Progress | None,
) -> tuple[Study, StudyResult]:
    study = Study(
        scenarios,
        iterations=_iterations(iterations),
        seed=_seed(seed),
        compound=not single_event,
        threshold=threshold_of(org),
    )
    return study, run_study(study, progress=progress)


def _result_values(
    org: Organization, study: Study, result: ScenarioResult, actor: Any, when: Any
) -> dict[str, Any]:
    return {
        "inherent": summary_dict(result.inherent),
        "residual": summary_dict(result.residual),
        "control_values": {name: float(v) for name, v in result.control_value.items()},
        "mean_events": float(result.mean_events),
        "iterations": study.iterations,
        "seed": study.seed,
        "engine": ENGINE_VERSION,
        "numpy": numpy_version(),
        "threshold": org.materiality_threshold,  # exactly as stored, for exceedances()
        "run_at": when,
        "run_by": actor if getattr(actor, "pk", None) else None,
    }


def _ready(quant: RiskQuantification | None, risk: Risk) -> RiskQuantification:
    if quant is None or (not quant.lef and not quant.tef):
        raise Conflict(f"{risk.reference} has no quantification inputs yet; estimate them first.")
    return quant


def _check_unchanged(quants: list[RiskQuantification]) -> None:
    """Refuse to store results whose inputs were changed by someone while the run went on."""
    now = dict(
        RiskQuantification.objects.select_for_update()
        .filter(pk__in=[q.pk for q in quants])
        .values_list("pk", "inputs_changed_at")
    )
    changed = [q.risk.reference for q in quants if now.get(q.pk) != q.inputs_changed_at]
    if changed:
        raise Conflict(f"The estimates of {', '.join(changed)} changed during the run; run again.")


def quantification_rows(org: Organization) -> Any:
    """The organization's quantifications with their risks and control effects (fixed queries)."""
    return (
        RiskQuantification.objects.filter(organization=org)
        .select_related("risk")
        .prefetch_related("effects__control")
    )


def run_risk(
    org: Organization,
    actor: Any,
    risk: Risk,
    *,
    iterations: Any = None,
    seed: Any = None,
    progress: Progress | None = None,
) -> RiskQuantification:
    """Simulate one risk (inherent, residual, each control's value) and store its results."""
    quant = _ready(quantification_rows(org).filter(risk=risk).first(), risk)
    study, result = _simulate(
        org,
        [scenario_of(quant)],
        iterations=iterations,
        seed=seed,
        single_event=False,  # the risk's own event model travels in its scenario
        progress=progress,
    )
    values = _result_values(org, study, result.scenarios[risk.reference], actor, timezone.now())
    with transaction.atomic():
        _check_unchanged([quant])
        return update_row(org, actor, quant, {**values, "study": None})


def _portfolio_rows(org: Organization, risks: Sequence[Any] | None) -> list[RiskQuantification]:
    rows = quantification_rows(org).exclude(lef__isnull=True, tef__isnull=True)
    if risks is None:
        found = list(rows.exclude(risk__status=Risk.Status.CLOSED).order_by("risk__reference"))
        if not found:
            raise Conflict("No risk has quantification inputs yet; estimate some risks first.")
        return found
    by_key = {q.risk.pk: q for q in rows} | {q.risk.reference.casefold(): q for q in rows}
    chosen: list[RiskQuantification] = []
    for given in risks:
        key = getattr(given, "pk", given)
        quant = by_key.get(key.casefold() if isinstance(key, str) else key)
        if quant is None:
            raise InvalidInput(f"risks: {given} is not a quantified risk of {org}", "risks")
        if quant not in chosen:
            chosen.append(quant)
    if not chosen:
        raise InvalidInput("risks: choose at least one risk", "risks")
    return chosen


def _contributors(
    result: StudyResult, quants: dict[str, RiskQuantification]
) -> list[dict[str, Any]]:
    """The engine's contributors (largest part of the worst years first), named for people."""
    rows = []
    for item in result.contributors:
        risk = quants[item.key].risk
        rows.append(
            {
                "risk": risk.pk,
                "reference": risk.reference,
                "title": risk.title,
                "share_of_mean": float(item.share_of_mean),
                "tail_contribution": float(item.tail_contribution),
                "share_of_tail": float(item.share_of_tail),
            }
        )
    return rows


def run_portfolio(
    org: Organization,
    actor: Any,
    *,
    risks: Sequence[Any] | None = None,
    iterations: Any = None,
    seed: Any = None,
    single_event: bool = False,
    progress: Progress | None = None,
) -> QuantStudy:
    """Simulate the chosen risks (default: every open quantified risk) together, all or none.

    Stores the portfolio's summaries and top contributors, and each risk's own results.
    """
    quants = {q.risk.reference: q for q in _portfolio_rows(org, risks)}
    study, result = _simulate(
        org,
        [scenario_of(q) for q in quants.values()],
        iterations=iterations,
        seed=seed,
        single_event=single_event,
        progress=progress,
    )
    when = timezone.now()
    with transaction.atomic():
        _check_unchanged(list(quants.values()))
        row = create_row(
            org,
            actor,
            QuantStudy,
            {
                "iterations": study.iterations,
                "seed": study.seed,
                "engine": ENGINE_VERSION,
                "numpy": numpy_version(),
                "threshold": org.materiality_threshold,
                "single_event": single_event,
                "var_level": study.var_level,
                "inherent": summary_dict(result.portfolio_inherent),
                "residual": summary_dict(result.portfolio_residual),
                "contributors": _contributors(result, quants),
                "seconds": float(result.seconds),
                "run_at": when,
                "run_by": actor if getattr(actor, "pk", None) else None,
                "risks": [q.risk for q in quants.values()],
            },
        )
        for key, quant in quants.items():
            values = _result_values(org, study, result.scenarios[key], actor, when)
            update_row(org, actor, quant, {**values, "study": row})
    return row


# Reading results -----------------------------------------------------------------------------


def latest_study(org: Organization) -> QuantStudy | None:
    return QuantStudy.objects.filter(organization=org).select_related("run_by").first()


def exceedances(
    org: Organization, run_from: date | None = None, run_until: date | None = None
) -> list[tuple[Risk, float]]:
    """Each open risk's annual probability of a residual loss above the materiality threshold.

    Read from stored results measured against the organization's current threshold (a result
    run before the threshold changed answers a different question and is left out), run between
    `run_from` and `run_until` when given; highest probability first. For the disclosure's
    "reasonably likely to materially affect".
    """
    threshold = org.materiality_threshold
    if threshold is None:
        return []
    window = {}
    if run_from is not None:
        window["run_at__date__gte"] = run_from
    if run_until is not None:
        window["run_at__date__lte"] = run_until
    rows = (
        RiskQuantification.objects.filter(
            organization=org, run_at__isnull=False, threshold=threshold, **window
        )
        .exclude(risk__status=Risk.Status.CLOSED)
        .select_related("risk")
    )
    found = [
        (q.risk, float(q.residual["p_exceed_threshold"]))
        for q in rows
        if q.residual and q.residual.get("p_exceed_threshold") is not None
    ]
    return sorted(found, key=lambda pair: (-pair[1], pair[0].reference))
