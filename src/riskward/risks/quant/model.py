"""An Open FAIR risk scenario: loss event frequency, loss magnitude and the controls on them.

LEF is given directly, or as TEF x vulnerability; vulnerability is given directly, or follows
from threat capability against resistance strength. Loss magnitude is primary loss plus, with
the secondary event probability, secondary loss; each as a total or as the six forms of loss.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from riskward.risks.quant.estimates import Estimate, QuantInputError

FORMS_OF_LOSS = (
    "productivity",
    "response",
    "replacement",
    "fines_judgments",
    "competitive_advantage",
    "reputation",
)
TARGETS = ("frequency", "vulnerability", "magnitude")
MAX_RATE = 1_000.0  # loss events a year; more frequent losses are better modelled in aggregate
_ESTIMATES = (
    "lef",
    "tef",
    "vulnerability",
    "threat_capability",
    "resistance_strength",
    "primary",
    "secondary_probability",
    "secondary",
)
_FORMS = ("primary_forms", "secondary_forms")


@dataclass(frozen=True)
class ControlEffect:
    """A control's stated effect: a fractional reduction (0..1, uncertain) of its target.

    "frequency" scales TEF (or LEF), "vulnerability" scales vulnerability (or LEF, which is
    TEF x vulnerability), "magnitude" scales every loss event's magnitude.
    """

    name: str
    target: str
    reduction: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "target": self.target, "reduction": self.reduction.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], field: str = "control") -> ControlEffect:
        if not isinstance(data, Mapping):
            raise QuantInputError(f"{field}: give a control as an object", field)
        unknown = set(data) - {"name", "target", "reduction"}
        if unknown:
            key = sorted(unknown)[0]
            raise QuantInputError(f"{field}.{key}: unknown key", f"{field}.{key}")
        reduction = Estimate.from_dict(data.get("reduction") or {}, f"{field}.reduction")
        return cls(str(data.get("name", "")), str(data.get("target", "")), reduction)


@dataclass(frozen=True)
class Scenario:
    """One risk's loss scenario; `key` (e.g. the risk reference) seeds its random streams."""

    key: str
    lef: Estimate | None = None
    tef: Estimate | None = None
    vulnerability: Estimate | None = None
    threat_capability: Estimate | None = None
    resistance_strength: Estimate | None = None
    primary: Estimate | None = None
    primary_forms: Mapping[str, Estimate] = field(default_factory=dict)
    secondary_probability: Estimate | None = None
    secondary: Estimate | None = None
    secondary_forms: Mapping[str, Estimate] = field(default_factory=dict)
    controls: tuple[ControlEffect, ...] = ()
    single_event: bool = False  # at most one loss event a year, whatever the study's model

    def validate(self) -> None:
        """Raise QuantInputError naming the first unusable field (e.g. "tef.high")."""
        if not isinstance(self.key, str) or not self.key.strip():
            raise QuantInputError("key: give the scenario a key (e.g. the risk reference)", "key")
        _check_frequency(self)
        if self.max_rate > MAX_RATE:
            where = "lef.high" if self.lef is not None else "tef.high"
            raise QuantInputError(
                f"{where}: at most {MAX_RATE:,.0f} loss events a year; model frequent small "
                "losses as one aggregate loss event",
                where,
            )
        _check_magnitude(self, "primary", self.primary, self.primary_forms)
        _check_secondary(self)
        _check_controls(self.controls)

    @property
    def max_rate(self) -> float:
        """A bound on loss events a year: LEF's maximum, or TEF's times vulnerability's (a
        lognormal's 99.997th percentile stands in for a maximum)."""
        if self.lef is not None:
            return _reach(self.lef)
        vulnerability = _reach(self.vulnerability) if self.vulnerability is not None else 1.0
        return _reach(self.tef) * min(vulnerability, 1.0) if self.tef is not None else 0.0

    @property
    def mean_rate(self) -> float:
        """Mean loss events a year (threat capability against resistance counts as 1)."""
        if self.lef is not None:
            return self.lef.mean
        vulnerability = self.vulnerability.mean if self.vulnerability is not None else 1.0
        return self.tef.mean * vulnerability if self.tef is not None else 0.0

    def without_control(self, name: str) -> Scenario:
        """The same scenario with control `name` removed (its value is the difference)."""
        kept = tuple(c for c in self.controls if c.name != name)
        return replace(self, controls=kept)

    def inherent(self) -> Scenario:
        """The same scenario with no controls."""
        return replace(self, controls=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; absent inputs are left out."""
        data: dict[str, Any] = {"key": self.key}
        for name in _ESTIMATES:
            value = getattr(self, name)
            if value is not None:
                data[name] = value.to_dict()
        for name in _FORMS:
            forms = getattr(self, name)
            if forms:
                data[name] = {form: est.to_dict() for form, est in forms.items()}
        if self.controls:
            data["controls"] = [control.to_dict() for control in self.controls]
        if self.single_event:
            data["single_event"] = True
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Read `to_dict` output back (then call `validate`)."""
        if not isinstance(data, Mapping):
            raise QuantInputError("scenario: give a scenario as an object", "scenario")
        allowed = {"key", "controls", "single_event", *_ESTIMATES, *_FORMS}
        for key in data:
            if key not in allowed:
                raise QuantInputError(f"{key}: unknown key", str(key))
        values: dict[str, Any] = {"key": str(data.get("key", ""))}
        for name in _ESTIMATES:
            if data.get(name) is not None:
                values[name] = Estimate.from_dict(data[name], name)
        for name in _FORMS:
            forms = data.get(name) or {}
            if not isinstance(forms, Mapping):
                raise QuantInputError(f"{name}: give the forms of loss as an object", name)
            values[name] = {f: Estimate.from_dict(e, f"{name}.{f}") for f, e in forms.items()}
        controls = data.get("controls") or []
        if not isinstance(controls, list | tuple):
            raise QuantInputError("controls: give a list of controls", "controls")
        values["controls"] = tuple(
            ControlEffect.from_dict(c, f"controls.{i}") for i, c in enumerate(controls)
        )
        single = data.get("single_event", False)
        if not isinstance(single, bool):
            raise QuantInputError("single_event: give true or false", "single_event")
        return cls(**values, single_event=single)


def _reach(est: Estimate) -> float:
    """The largest value an estimate draws (a lognormal's 99.997th percentile stands in)."""
    if est.kind == "lognormal":
        mu, sigma = est.log_params
        return math.exp(mu + 4.0 * sigma)
    return float(est.low if est.kind == "constant" else est.top)


def _required(value: Estimate | None, name: str, message: str) -> Estimate:
    if value is None:
        raise QuantInputError(f"{name}: {message}", name)
    if not isinstance(value, Estimate):
        raise QuantInputError(f"{name}: give an estimate", name)
    return value


def _check_frequency(s: Scenario) -> None:
    """LEF alone, or TEF with a vulnerability (direct, or threat capability vs resistance)."""
    if s.lef is not None:
        for extra in ("tef", "vulnerability", "threat_capability", "resistance_strength"):
            if getattr(s, extra) is not None:
                raise QuantInputError(
                    f"{extra}: give either lef, or tef with a vulnerability, not both", extra
                )
        _required(s.lef, "lef", "required").validate("lef")
        return
    tef = _required(s.tef, "lef", "give the loss event frequency, or tef and a vulnerability")
    tef.validate("tef")
    if s.vulnerability is not None:
        for extra in ("threat_capability", "resistance_strength"):
            if getattr(s, extra) is not None:
                raise QuantInputError(
                    f"{extra}: give vulnerability directly or threat capability and "
                    "resistance strength, not both",
                    extra,
                )
        s.vulnerability.validate("vulnerability", probability=True)
        return
    if s.threat_capability is None and s.resistance_strength is None:
        raise QuantInputError(
            "vulnerability: give a vulnerability, or threat capability and resistance strength",
            "vulnerability",
        )
    message = "required with the other of threat capability and resistance strength"
    _required(s.threat_capability, "threat_capability", message).validate("threat_capability")
    _required(s.resistance_strength, "resistance_strength", message).validate("resistance_strength")


def _check_magnitude(
    s: Scenario, name: str, total: Estimate | None, forms: Mapping[str, Estimate]
) -> None:
    """A loss given as a total or as forms of loss, not both and not neither."""
    if total is not None and forms:
        raise QuantInputError(
            f"{name}_forms: give the {name} loss as a total or as forms of loss, not both",
            f"{name}_forms",
        )
    if total is None and not forms:
        raise QuantInputError(f"{name}: give the {name} loss, as a total or as forms of loss", name)
    if total is not None:
        _required(total, name, "required").validate(name, positive=True)
        return
    for form, est in forms.items():
        where = f"{name}_forms.{form}"
        if form not in FORMS_OF_LOSS:
            raise QuantInputError(
                f"{where}: unknown form of loss; use {', '.join(FORMS_OF_LOSS)}", where
            )
        _required(est, where, "required").validate(where, positive=True)


def _check_secondary(s: Scenario) -> None:
    """Secondary loss needs both its probability and its magnitude, or neither."""
    has_magnitude = s.secondary is not None or bool(s.secondary_forms)
    if s.secondary_probability is None:
        if has_magnitude:
            raise QuantInputError(
                "secondary_probability: give the probability of secondary loss",
                "secondary_probability",
            )
        return
    s.secondary_probability.validate("secondary_probability", probability=True)
    _check_magnitude(s, "secondary", s.secondary, s.secondary_forms)


def _check_controls(controls: tuple[ControlEffect, ...]) -> None:
    seen: set[str] = set()
    for i, control in enumerate(controls):
        where = f"controls.{i}"
        if not isinstance(control, ControlEffect):
            raise QuantInputError(f"{where}: give a control effect", where)
        if not isinstance(control.name, str) or not control.name.strip():
            raise QuantInputError(f"{where}.name: give the control a name", f"{where}.name")
        if control.name in seen:
            raise QuantInputError(
                f"{where}.name: {control.name!r} appears twice; names must be unique",
                f"{where}.name",
            )
        seen.add(control.name)
        if control.target not in TARGETS:
            raise QuantInputError(
                f"{where}.target: use one of {', '.join(TARGETS)}", f"{where}.target"
            )
        _required(control.reduction, f"{where}.reduction", "required").validate(
            f"{where}.reduction", probability=True
        )
