"""Importing Open FAIR estimates for many risks from one CSV or XLSX, all or nothing.

One row per estimate: `risk, factor, distribution, low, most_likely, high, shape` (and
`control, target` for a control's effect). The factors a file names replace the stored ones;
the rest of each risk's inputs stay. Problems name the row and column, as in `core.tabular`
(which imports whole records, one row each, so its registry does not fit rows of factors).
`export_estimates` writes the stored estimates in the same rows, so a file can go out, be edited
in a spreadsheet and come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from riskward.audit import services as audit
from riskward.core.models import Organization
from riskward.core.tabular import Problem, Sheet
from riskward.core.tabular.exporting import csv_text, record_rows_export
from riskward.core.tabular.reading import norm, text_of
from riskward.lib.errors import ImportRejected, InvalidInput
from riskward.risks import quantification
from riskward.risks.models import QuantControlEffect, Risk, RiskQuantification
from riskward.risks.quant.estimates import KINDS, Estimate
from riskward.risks.quant.model import FORMS_OF_LOSS

COLUMNS = (
    ("risk", True, "The risk's reference, e.g. RSK-001."),
    ("factor", True, "What is estimated: see the factors below."),
    ("distribution", True, "pert, lognormal, triangular, uniform or constant; none clears it."),
    ("low", False, "Minimum (PERT, triangular, uniform) or 5th percentile (lognormal)."),
    ("most_likely", False, "The most likely value (PERT, triangular)."),
    ("high", False, "Maximum (PERT, triangular, uniform) or 95th percentile (lognormal)."),
    ("shape", False, "PERT only: confidence in the most likely value (default 4)."),
    ("control", False, "For the factor control: the control's reference."),
    ("target", False, "For the factor control: frequency, vulnerability or magnitude."),
)
HEADER = tuple(name for name, _, _ in COLUMNS)
ALIASES = {
    "mode": "most_likely",
    "reference": "risk",
    "risk_reference": "risk",
    "kind": "distribution",
}
FACTOR_NAMES = (
    f"{', '.join(quantification.ESTIMATES)}, primary.<form>, secondary.<form> or control "
    f"(forms: {', '.join(FORMS_OF_LOSS)})"
)
PARTS = {
    "low": "low",
    "mode": "most_likely",
    "high": "high",
    "shape": "shape",
    "kind": "distribution",
}


def factors() -> dict[str, str]:
    """Factor names a file may use -> the input they set ("primary.reputation" -> a form)."""
    names = {name: name for name in quantification.ESTIMATES}
    names.update(
        {
            "loss_event_frequency": "lef",
            "threat_event_frequency": "tef",
            "primary_loss": "primary",
            "secondary_loss": "secondary",
            "control": "controls",
        }
    )
    for form in FORMS_OF_LOSS:
        names[f"primary.{form}"] = f"primary_forms.{form}"
        names[f"secondary.{form}"] = f"secondary_forms.{form}"
    return names


def _key(text: Any) -> str:
    return norm(text).replace(" ", "_").replace("-", "_")


@dataclass
class EstimatesImported:
    risks: int = 0
    estimates: int = 0

    def __str__(self) -> str:
        return f"{self.estimates} estimate(s) for {self.risks} risk(s)"


@dataclass
class _RiskRows:
    """What a file says about one risk, and which row said each thing."""

    risk: Risk
    first_row: int
    data: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # input name -> row number
    effects: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # control pk


class _Import:
    def __init__(self, org: Organization, sheet: Sheet) -> None:
        self.org, self.sheet = org, sheet
        self.problems: list[Problem] = []
        self.columns: dict[str, int] = {}
        self.known = factors()
        rows = Risk.objects.filter(organization=org).prefetch_related(
            "controls", "quantification__effects__control"
        )
        self.risks = {norm(r.reference): r for r in rows}
        self.by_risk: dict[int, _RiskRows] = {}
        self.refused: set[int] = set()  # risks with a bad row

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append((row, column, message))

    def bind(self) -> None:
        names = [name for name, _, _ in COLUMNS]
        for index, header in enumerate(self.sheet.headers):
            key = ALIASES.get(_key(header), _key(header))
            if not header:
                continue
            if key not in names:
                self.problem(1, header, f"unknown column; the columns are: {', '.join(names)}")
            elif key in self.columns:
                self.problem(1, header, "appears twice")
            else:
                self.columns[key] = index
        for name, required, _ in COLUMNS:
            if required and name not in self.columns:
                self.problem(1, name, "this column is required but missing")

    def cell(self, cells: tuple[Any, ...], name: str) -> str:
        index = self.columns.get(name)
        return text_of(cells[index]) if index is not None and index < len(cells) else ""

    def number(self, number: int, cells: tuple[Any, ...], name: str) -> float | None:
        text = self.cell(cells, name).replace(",", "")
        if not text:
            return None
        try:
            return float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except ValueError:
            self.problem(number, name, f"“{text}” is not a number")
            return None

    def read(self) -> None:
        """Parse every row; a risk with a bad row is not written (its other rows would mislead)."""
        for row in self.sheet.rows:
            before = len(self.problems)
            self.read_row(row.number, row.cells)
            risk = self.risks.get(norm(self.cell(row.cells, "risk")))
            if len(self.problems) > before and risk is not None:
                self.refused.add(risk.pk)

    def read_row(self, number: int, cells: tuple[Any, ...]) -> None:
        reference = self.cell(cells, "risk")
        risk = self.risks.get(norm(reference))
        if risk is None:
            self.problem(
                number,
                "risk",
                f"no risk with the reference “{reference}”" if reference else "is required",
            )
        name = self.known.get(_key(self.cell(cells, "factor")))
        if name is None:
            given = self.cell(cells, "factor")
            self.problem(
                number,
                "factor",
                f"“{given}” is not a factor; use {FACTOR_NAMES}" if given else "is required",
            )
        estimate = self.estimate(number, cells)
        if risk is None or name is None or estimate is False:
            return
        entry = self.by_risk.setdefault(risk.pk, _RiskRows(risk, number))
        if name == "controls":
            self.read_effect(number, cells, entry, estimate)
            return
        if name in entry.rows:
            self.problem(
                number, "factor", f"{name} of {risk.reference} is already in row {entry.rows[name]}"
            )
            return
        entry.rows[name] = number
        group, _, form = name.partition(".")
        if form:
            entry.data.setdefault(group, {})[form] = estimate
        else:
            entry.data[name] = estimate

    def estimate(self, number: int, cells: tuple[Any, ...]) -> dict[str, Any] | bool | None:
        """The row's estimate, None for "none" (clear it), False when the row has problems."""
        kind = _key(self.cell(cells, "distribution"))
        before = len(self.problems)
        values = {
            part: self.number(number, cells, part)
            for part in ("low", "most_likely", "high", "shape")
        }
        if kind == "none":
            return None if len(self.problems) == before else False
        if kind not in KINDS:
            text = self.cell(cells, "distribution")
            self.problem(
                number,
                "distribution",
                f"“{text}” is not one of: {', '.join(KINDS)}, none" if text else "is required",
            )
        elif values["low"] is None:
            self.problem(number, "low", "is required")
        if len(self.problems) != before:
            return False
        return {
            "kind": kind,
            "low": values["low"],
            "mode": values["most_likely"],
            "high": values["high"],
            "shape": values["shape"],
        }

    def read_effect(
        self, number: int, cells: tuple[Any, ...], entry: _RiskRows, estimate: Any
    ) -> None:
        reference, target = self.cell(cells, "control"), _key(self.cell(cells, "target"))
        control = next(
            (c for c in entry.risk.controls.all() if norm(c.reference) == norm(reference)), None
        )
        if control is None:
            message = (
                f"{reference} is not a control of {entry.risk.reference}"
                if reference
                else "is required for the factor control"
            )
            self.problem(number, "control", message)
        if estimate is not None and target not in QuantControlEffect.Target.values:
            self.problem(
                number, "target", f"use one of {', '.join(QuantControlEffect.Target.values)}"
            )
        if control is None or (
            estimate is not None and target not in QuantControlEffect.Target.values
        ):
            return
        if control.pk in entry.effects:
            self.problem(
                number,
                "control",
                f"{control.reference} is already in row {entry.effects[control.pk][0]}",
            )
            return
        effect = (
            None
            if estimate is None
            else {"control": control, "target": target, "reduction": estimate}
        )
        entry.effects[control.pk] = (number, effect or {})

    def write(self, actor: Any) -> EstimatesImported:
        result = EstimatesImported()
        for entry in self.by_risk.values():
            if entry.risk.pk in self.refused:
                continue
            data, effect_rows = dict(entry.data), list[int]()
            if entry.effects:
                data["controls"], effect_rows = self.merged_effects(entry)
            try:  # set_inputs is atomic: a refused risk leaves nothing behind
                quantification.set_inputs(self.org, actor, entry.risk, data)
            except InvalidInput as error:
                self.problem(*self.locate(entry, effect_rows, error))
                continue
            result.risks += 1
            result.estimates += len(entry.rows) + len(entry.effects)
        return result

    def merged_effects(self, entry: _RiskRows) -> tuple[list[dict[str, Any]], list[int]]:
        """The stored effects with the file's replacing (or, when empty, removing) theirs."""
        stored = getattr(entry.risk, "quantification", None)  # prefetched with its effects
        effects: dict[int, tuple[int, dict[str, Any]]] = {
            row.control_id: (entry.first_row, quantification.effect_dict(row))
            for row in (stored.effects.all() if stored is not None else ())
        }
        effects.update(entry.effects)
        kept = [(number, effect) for number, effect in effects.values() if effect]
        return [effect for _, effect in kept], [number for number, _ in kept]

    def locate(self, entry: _RiskRows, effect_rows: list[int], error: InvalidInput) -> Problem:
        """The row and column an input error is about (the risk's first row if none says it)."""
        name = error.field or ""
        message = error.message.removeprefix(f"{name}: ") if name else error.message
        if name.startswith("controls."):
            index, _, rest = name.removeprefix("controls.").partition(".")
            number = (
                effect_rows[int(index)]
                if index.isdigit() and int(index) < len(effect_rows)
                else entry.first_row
            )
            part = rest.rpartition(".")[2] or "kind"
            return (
                number,
                PARTS.get(part, part if part in ("control", "target") else "distribution"),
                message,
            )
        owner = max(
            (n for n in entry.rows if name == n or name.startswith(f"{n}.")), key=len, default=None
        )
        if owner is None:
            return entry.first_row, "factor", message
        part = name.removeprefix(owner).lstrip(".")
        return entry.rows[owner], PARTS.get(part, "distribution"), message


def import_estimates(
    org: Organization, actor: Any, sheet: Sheet, source: str = ""
) -> EstimatesImported:
    """Every row's estimate stored through `set_inputs`, or nothing (ImportRejected lists why)."""
    job = _Import(org, sheet)
    job.bind()
    if job.problems:
        raise ImportRejected(job.problems)
    if not sheet.rows:
        raise InvalidInput("The file has a header row but no data rows.", "file")
    job.read()
    with transaction.atomic():
        result = job.write(actor)  # the other risks too, so that every problem is listed at once
        if job.problems:
            raise ImportRejected(sorted(job.problems, key=lambda p: p[0]))
        audit.record(
            organization=org,
            actor=actor,
            action=audit.Action.IMPORT,
            object_type=RiskQuantification._meta.label,
            after={
                "table": "quant-estimates",
                "source": source,
                "risks": result.risks,
                "estimates": result.estimates,
            },
        )
    return result


def template_csv() -> str:
    """Headers and one example of each kind of row, for people starting a file."""
    header = ",".join(HEADER)
    examples = [
        "RSK-001,tef,pert,0.5,2,6,,,",
        "RSK-001,vulnerability,pert,0.05,0.2,0.4,,,",
        "RSK-001,primary,lognormal,50000,,2000000,,,",
        "RSK-001,secondary_probability,pert,0.1,0.3,0.6,,,",
        "RSK-001,secondary,lognormal,100000,,5000000,,,",
        "RSK-001,control,pert,0.2,0.4,0.6,,CTL-001,frequency",
        "RSK-002,lef,pert,0.1,0.3,1,,,",
        "RSK-002,primary.response,pert,20000,80000,400000,,,",
    ]
    return "\n".join([header, *examples]) + "\n"


# Exports ------------------------------------------------------------------------------------


def plain(value: float) -> str:
    """A number as the import reads it back exactly: "2", "0.35", "1e-07" (never "2.0")."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _estimate_cells(stored: Any) -> list[str]:
    """distribution, low, most_likely, high, shape of a stored estimate (shape for PERT only)."""
    estimate = Estimate.from_dict(stored)
    parts = (estimate.low, estimate.mode, estimate.high)
    shape = plain(estimate.shape) if estimate.kind == "pert" else ""
    return [estimate.kind, *("" if v is None else plain(v) for v in parts), shape]


def _estimate_rows(quant: RiskQuantification) -> list[list[str]]:
    """One risk's rows: its factors, its forms of loss, then its control effects."""
    reference = quant.risk.reference
    rows = [
        [reference, name, *_estimate_cells(getattr(quant, name)), "", ""]
        for name in quantification.ESTIMATES
        if getattr(quant, name)
    ]
    for group, stored in (("primary", quant.primary_forms), ("secondary", quant.secondary_forms)):
        rows.extend(
            [reference, f"{group}.{form}", *_estimate_cells(stored[form]), "", ""]
            for form in FORMS_OF_LOSS
            if (stored or {}).get(form)
        )
    rows.extend(
        [reference, "control", *_estimate_cells(e.reduction), e.control.reference, e.target]
        for e in quant.effects.all()
    )
    return rows


def export_estimates(org: Organization) -> list[list[str]]:
    """Every stored estimate of the organization's quantified risks (by reference) as rows in
    COLUMNS order: importing them gives the same inputs back."""
    quants = quantification.quantification_rows(org).order_by("risk__reference")
    return [row for quant in quants for row in _estimate_rows(quant)]


def estimates_csv(org: Organization) -> str:
    return csv_text(HEADER, export_estimates(org))


# Results, for board packs -----------------------------------------------------------------------

RESULT_COLUMNS = (
    "Reference",
    "Title",
    "Last run",
    "Iterations",
    "Seed",
    "Engine",
    "numpy",
    "Inherent mean",
    "Residual mean",
    "Residual P50",
    "Residual P90",
    "Residual P95",
    "Residual P99",
    "Residual value at risk",
    "Residual expected shortfall",
    "P(annual loss > threshold)",
    "Threshold",
    "Out of date",
)
RESIDUAL_FIGURES = ("mean", "p50", "p90", "p95", "p99", "var", "expected_shortfall")
EXPORTS = ("estimates", "results")


def _decimal(value: Any, places: int) -> str:
    """A plain decimal for spreadsheets: "1234567.89", "0.0123" (no currency, no exponent)."""
    if value is None:
        return ""
    text = f"{float(value):.{places}f}"
    return text if places == 2 else text.rstrip("0").rstrip(".")


def _result_row(quant: RiskQuantification) -> list[str]:
    inherent, residual = quant.inherent or {}, quant.residual or {}
    run_at = timezone.localtime(quant.run_at).isoformat(timespec="seconds") if quant.run_at else ""
    return [
        quant.risk.reference,
        quant.risk.title,
        run_at,
        *("" if v is None else str(v) for v in (quant.iterations, quant.seed, quant.engine)),
        quant.numpy,
        _decimal(inherent.get("mean"), 2),
        *(_decimal(residual.get(key), 2) for key in RESIDUAL_FIGURES),
        _decimal(residual.get("p_exceed_threshold"), 6),
        "" if quant.threshold is None else str(quant.threshold),
        "yes" if quant.is_stale else "no",
    ]


def results_rows(org: Organization) -> list[list[str]]:
    """Each quantified risk's last results (by reference), numbers as plain decimals."""
    quants = RiskQuantification.objects.filter(organization=org).select_related("risk")
    return [_result_row(quant) for quant in quants.order_by("risk__reference")]


def results_csv(org: Organization) -> str:
    return csv_text(RESULT_COLUMNS, results_rows(org))


def export_csv(org: Organization, actor: Any, what: str) -> str:
    """The estimates (to edit and import back) or the results (for a board pack) as CSV,
    recorded in the audit trail."""
    if what == "estimates":
        header, rows = HEADER, export_estimates(org)
    elif what == "results":
        header, rows = RESULT_COLUMNS, results_rows(org)
    else:
        raise InvalidInput(f"export {what}: choose {' or '.join(EXPORTS)}", "what")
    record_rows_export(org, actor, RiskQuantification, f"quant-{what}", "csv", len(rows))
    return csv_text(header, rows)
