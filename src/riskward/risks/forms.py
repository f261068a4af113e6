"""Forms of the risk register. Validation of ratings against the matrix lives in the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from riskward.core.forms import DateInput, OrgModelForm
from riskward.risks.models import Risk, RiskAcceptance, RiskMatrix, TreatmentAction


class RiskForm(OrgModelForm):
    class Meta:
        model = Risk
        fields = [
            "reference",
            "title",
            "description",
            "threat_source",
            "threat",
            "emerging",
            "erm_category",
            "owner",
            "status",
            "assets",
            "controls",
            "matrix",
            "treatment",
            "treatment_plan",
            "review_interval_days",
            "last_reviewed_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # empty means "the default" only for a new risk
            matrix: Any = self.fields["matrix"]
            matrix.required, matrix.empty_label = True, None
            matrix.help_text = "Ratings must fit the matrix; reassess after changing it."


def _rating_choices(labels: list[str]) -> list[tuple[Any, str]]:
    return [("", "—"), *((n, f"{n} · {label}") for n, label in enumerate(labels, start=1))]


class AssessForm(forms.Form):
    """A new rating of one risk on its matrix; the choices are the matrix's own steps."""

    inherent_likelihood = forms.TypedChoiceField(coerce=int, empty_value=None)
    inherent_impact = forms.TypedChoiceField(coerce=int, empty_value=None)
    residual_likelihood = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    residual_impact = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    assessed_on = forms.DateField(widget=DateInput, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "assess")
        super().__init__(*args, **kwargs)
        matrix = risk.matrix
        for kind in ("inherent", "residual"):
            self.fields[f"{kind}_likelihood"].choices = _rating_choices(matrix.likelihood_labels)  # type: ignore[attr-defined]
            self.fields[f"{kind}_impact"].choices = _rating_choices(matrix.impact_labels)  # type: ignore[attr-defined]
            for axis in ("likelihood", "impact"):
                self.initial.setdefault(f"{kind}_{axis}", getattr(risk, f"{kind}_{axis}"))
        self.initial.setdefault("assessed_on", timezone.localdate())


class NewActionForm(OrgModelForm):
    """An action added from the risk's page: the risk is the page's."""

    class Meta:
        model = TreatmentAction
        fields = ["title", "owner", "due_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)


class TreatmentActionForm(OrgModelForm):
    class Meta:
        model = TreatmentAction
        fields = ["risk", "title", "description", "owner", "due_on", "status", "completed_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # an action stays on its risk; see services.update_action
            del self.fields["risk"]


class AcceptanceRequestForm(OrgModelForm):
    class Meta:
        model = RiskAcceptance
        fields = ["justification", "expires_on"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "accept")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    decision_note = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    expires_on = forms.DateField(
        widget=DateInput, required=False, help_text="Only when approving: a different expiry."
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MatrixForm(OrgModelForm):
    """The matrix as text: one label per line, and one line of bands per likelihood."""

    likelihood_labels = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line, lowest likelihood first.",
    )
    impact_labels = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), help_text="One per line, lowest impact first."
    )
    band_labels = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Exactly five, lowest band first (for example Very low … Very high).",
    )
    levels = forms.CharField(
        label="Bands",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One line per likelihood (lowest first); on each, the band 1-5 of every impact.",
    )

    class Meta:
        model = RiskMatrix
        fields = [
            "name",
            "is_default",
            "likelihood_labels",
            "impact_labels",
            "levels",
            "band_labels",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.instance if self.instance.pk else RiskMatrix()
        for name in ("likelihood_labels", "impact_labels", "band_labels"):
            self.initial[name] = "\n".join(getattr(source, name))
        self.initial["levels"] = "\n".join(" ".join(map(str, row)) for row in source.levels)

    def clean_likelihood_labels(self) -> list[str]:
        return _lines(self.cleaned_data["likelihood_labels"])

    def clean_impact_labels(self) -> list[str]:
        return _lines(self.cleaned_data["impact_labels"])

    def clean_band_labels(self) -> list[str]:
        return _lines(self.cleaned_data["band_labels"])

    def clean_levels(self) -> list[list[int]]:
        rows = []
        for number, line in enumerate(_lines(self.cleaned_data["levels"]), start=1):
            cells = [c for c in re.split(r"[\s,;]+", line) if c]
            if not all(c.isdigit() for c in cells):
                raise forms.ValidationError(f"Line {number}: use whole numbers from 1 to 5.")
            rows.append([int(c) for c in cells])
        return rows
