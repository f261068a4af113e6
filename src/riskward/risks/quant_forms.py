"""Forms of Open FAIR quantification: a risk's estimates, runs, and the estimates upload.

The estimates form is made of one small form per factor (and per form of loss, per control), so
each renders with the shared field template and carries its own errors; the rules live in
`quantification` and the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from riskward.risks import quantification
from riskward.risks.models import QuantControlEffect, Risk
from riskward.risks.quant.estimates import Estimate
from riskward.risks.quant.model import FORMS_OF_LOSS

DISTRIBUTIONS = [
    ("", "Not estimated"),
    ("pert", "PERT (min, likely, max)"),
    ("lognormal", "Lognormal (90% range)"),
    ("triangular", "Triangular"),
    ("uniform", "Uniform (min, max)"),
    ("constant", "Constant (low)"),
]


class AmountField(forms.FloatField):
    """A number as people type it: thousands separators and spaces are fine."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 12})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "").replace("_", "")
        return super().to_python(value)


def _shown(value: float | None) -> str:
    """A stored number as typed: 4,000,000 rather than 4000000.0."""
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


class EstimateForm(forms.Form):
    """One calibrated estimate; "Not estimated" leaves the factor out."""

    kind = forms.ChoiceField(label="Distribution", choices=DISTRIBUTIONS, required=False)
    low = AmountField(label="Low", required=False)
    mode = AmountField(label="Most likely", required=False)
    high = AmountField(label="High", required=False)
    shape = AmountField(label="Shape", required=False, help_text="PERT only; default 4.")

    def __init__(
        self,
        *args: Any,
        name: str,
        label: str,
        help_text: str = "",
        stored: Any = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "q-" + name.replace(".", "--"))
        super().__init__(*args, **kwargs)
        self.name, self.label, self.help_text = name, label, help_text
        if stored is not None:
            parts = {"low": stored.low, "mode": stored.mode, "high": stored.high}
            if stored.kind == "pert":
                parts["shape"] = stored.shape
            self.initial.update({k: _shown(v) for k, v in parts.items()}, kind=stored.kind)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        numbers = any(data.get(n) is not None for n in ("low", "mode", "high", "shape"))
        if not data.get("kind") and numbers:
            self.add_error("kind", "Choose a distribution, or clear the numbers.")
        elif data.get("kind") and data.get("low") is None:
            self.add_error("low", "Give the low value.")
        return data

    def estimate(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        return {k: data.get(k) for k in ("kind", "low", "mode", "high", "shape")}


class ControlEffectForm(EstimateForm):
    """A linked control's effect: what it reduces, and by what share (0 to 1)."""

    target = forms.ChoiceField(
        label="Reduces",
        required=False,
        choices=[("", "—"), *QuantControlEffect.Target.choices],
    )
    field_order = ["target", "kind", "low", "mode", "high", "shape"]

    def __init__(self, *args: Any, control: Any, effect: Any = None, **kwargs: Any) -> None:
        stored = Estimate.from_dict(effect.reduction) if effect is not None else None
        super().__init__(
            *args,
            name=f"control.{control.pk}",
            label=str(control),
            help_text="The share (0 to 1) of frequency, vulnerability or loss it removes.",
            stored=stored,
            **kwargs,
        )
        self.control = control
        if effect is not None:
            self.initial["target"] = effect.target

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") and not data.get("target"):
            self.add_error("target", "Say what the control reduces.")
        return data


class QuantSettingsForm(forms.Form):
    single_event = forms.BooleanField(
        label="Single event",
        required=False,
        help_text="At most one loss event a year: the frequency is read as its probability.",
    )
    rationale = forms.CharField(
        label="Sources and rationale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the estimates come from: incident data, experts, industry studies.",
    )


FACTORS: dict[str, tuple[str, str]] = {
    "lef": (
        "Loss event frequency (LEF)",
        "Loss events a year: how often the threat acts and causes loss. Give LEF, or TEF below.",
    ),
    "tef": (
        "Threat event frequency (TEF)",
        "Threat events a year: how often the threat acts against the asset, successful or not.",
    ),
    "vulnerability": (
        "Vulnerability",
        "Probability (0 to 1) that a threat event becomes a loss event. With TEF; or give "
        "threat capability and resistance strength instead.",
    ),
    "threat_capability": (
        "Threat capability (TCap)",
        "The attackers' force as a percentile (0 to 1) of all threat actors.",
    ),
    "resistance_strength": (
        "Resistance strength (RS)",
        "The controls' strength on the same scale; vulnerability is the chance TCap exceeds RS.",
    ),
    "primary": (
        "Primary loss magnitude",
        "Loss per event borne directly: the total here, or by form of loss below (not both).",
    ),
    "secondary_probability": (
        "Secondary loss event probability",
        "Probability (0 to 1) that an event also brings reactions from customers, regulators, "
        "partners or the media.",
    ),
    "secondary": (
        "Secondary loss magnitude",
        "Loss per event from those reactions: the total here, or by form below (not both).",
    ),
}
FORM_HELP = {
    "productivity": "Operations that cannot deliver: lost revenue, idle staff.",
    "response": "Managing the event: forensics, legal counsel, notification, communication.",
    "replacement": "Replacing or restoring assets: systems, data, hardware.",
    "fines_judgments": "Fines, judgments and settlements.",
    "competitive_advantage": "Lost trade secrets, intellectual property or market position.",
    "reputation": "Lost customers or market value, a higher cost of capital.",
}


def form_label(form: str) -> str:
    return form.replace("_", " ").capitalize()


@dataclass(frozen=True)
class EstimateGroup:
    """Sub-forms shown together; `more` (the alternatives) folded away unless in use."""

    title: str
    main: list[EstimateForm]
    more: list[EstimateForm]
    more_label: str

    @property
    def more_open(self) -> bool:
        return any(form.initial.get("kind") or form.errors for form in self.more)


class QuantInputsForm:
    """All of a risk's estimates as one form: one sub-form per factor, per form of loss and per
    linked control, so each renders with the shared field template and carries its own errors."""

    def __init__(
        self, data: Any = None, *, risk: Risk, quant: Any = None, controls: Any = ()
    ) -> None:
        stored = quantification.stored_inputs(quant)
        effects = {e.control_id: e for e in (quant.effects.all() if quant is not None else [])}

        def sub(name: str, label: str, help_text: str, value: Any) -> EstimateForm:
            return EstimateForm(data, name=name, label=label, help_text=help_text, stored=value)

        def factors(*names: str) -> list[EstimateForm]:
            return [sub(n, *FACTORS[n], stored[n]) for n in names]

        def forms_of(group: str) -> list[EstimateForm]:
            return [
                sub(f"{group}.{f}", form_label(f), FORM_HELP.get(f, ""), stored[group].get(f))
                for f in FORMS_OF_LOSS
            ]

        self.groups = [
            EstimateGroup(
                "Frequency",
                factors("lef", "tef", "vulnerability"),
                factors("threat_capability", "resistance_strength"),
                "Or vulnerability from threat capability and resistance strength",
            ),
            EstimateGroup(
                "Primary loss (per event)",
                factors("primary"),
                forms_of("primary_forms"),
                "Or by form of loss",
            ),
            EstimateGroup(
                "Secondary loss (per event)",
                factors("secondary_probability", "secondary"),
                forms_of("secondary_forms"),
                "Or by form of loss",
            ),
        ]
        self.controls = [
            ControlEffectForm(data, control=c, effect=effects.get(c.pk)) for c in controls
        ]
        self.settings = QuantSettingsForm(
            data,
            prefix="q",
            initial={"single_event": stored["single_event"], "rationale": stored["rationale"]},
        )
        self.risk = risk

    @property
    def estimates(self) -> list[EstimateForm]:
        return [form for group in self.groups for form in (*group.main, *group.more)]

    def all_forms(self) -> list[forms.Form]:
        return [*self.estimates, *self.controls, self.settings]

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.all_forms()]  # all, so every error shows
        return all(results)

    @property
    def errors(self) -> bool:
        return any(form.errors for form in self.all_forms())

    def active_controls(self) -> list[ControlEffectForm]:
        return [form for form in self.controls if form.cleaned_data.get("kind")]

    def service_data(self) -> dict[str, Any]:
        """The inputs for `quantification.set_inputs`: every factor, so it replaces them all."""
        data: dict[str, Any] = {"primary_forms": {}, "secondary_forms": {}}
        for form in self.estimates:
            group, _, name = form.name.partition(".")
            if name:
                if (value := form.estimate()) is not None:
                    data[group][name] = value
            else:
                data[group] = form.estimate()
        data["controls"] = [
            {"control": f.control, "target": f.cleaned_data["target"], "reduction": f.estimate()}
            for f in self.active_controls()
        ]
        data.update(self.settings.cleaned_data)
        return data

    def add_service_error(self, error: Any) -> None:
        """Put a service error next to the input it names (a sub-form's field, or its top)."""
        name = error.field or ""
        target: forms.Form = self.settings
        part = ""
        if name.startswith("controls."):
            index, _, rest = name.removeprefix("controls.").partition(".")
            active = self.active_controls()
            if index.isdigit() and int(index) < len(active):
                target, part = active[int(index)], rest.rpartition(".")[2]
        else:
            owners = [f for f in self.estimates if name == f.name or name.startswith(f"{f.name}.")]
            if owners:
                target = max(owners, key=lambda f: len(f.name))
                part = name.removeprefix(target.name).lstrip(".")
        message = error.message.removeprefix(f"{name}: ") if name else error.message
        target.add_error(part if part in target.fields else None, message)


class RunForm(forms.Form):
    """How many years to simulate and from which seed (empty: the organization's default)."""

    iterations = forms.IntegerField(
        min_value=quantification.MIN_ITERATIONS,
        max_value=quantification.MAX_ITERATIONS,
        required=False,
        help_text="Simulated years; more gives steadier tails (empty: the default shown).",
    )
    seed = forms.IntegerField(
        min_value=0, required=False, help_text="The same seed and inputs give the same figures."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "run")
        super().__init__(*args, **kwargs)
        self.fields["iterations"].widget.attrs["placeholder"] = str(
            quantification.default_iterations()
        )


class PortfolioRunForm(RunForm):
    single_event = forms.BooleanField(
        label="Single event",
        required=False,
        help_text=(
            "At most one loss event a year for every risk of this run "
            "(a risk marked single event always has at most one)."
        ),
    )
    risks = forms.ModelMultipleChoiceField(
        queryset=Risk.objects.none(),
        required=False,
        help_text="Leave empty for every open quantified risk.",
    )

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["risks"]
        field.queryset = (
            Risk.objects.filter(organization=org, quantification__isnull=False)
            .exclude(quantification__lef__isnull=True, quantification__tef__isnull=True)
            .order_by("reference")
        )


class EstimatesUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="Columns: risk, factor, distribution, low, most_likely, high, shape "
        "(and control, target for a control's effect).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "estimates")
        super().__init__(*args, **kwargs)
