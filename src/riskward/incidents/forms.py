"""Forms of the incident pages. The rules (dates, caps, which form fits) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from riskward.core.forms import DateInput, OrgModelForm
from riskward.incidents.models import (
    FACTORS,
    AttorneyGeneralDelay,
    Incident,
    IncidentFiling,
    MaterialityAssessment,
)

TEXT = {"rows": 3}


class IncidentForm(OrgModelForm):
    """The record; the materiality determination has its own form on the incident's page."""

    class Meta:
        model = Incident
        fields = [
            "reference",
            "title",
            "description",
            "discovered_at",
            "severity",
            "status",
            "affected_assets",
            "nature",
            "scope_systems",
            "scope_data",
            "scope_records",
            "scope_people",
            "scope_business_units",
            "timing",
            "impact_operational",
            "impact_financial",
            "impact_legal",
            "impact_reputational",
            "undetermined_information",
        ]
        widgets = {
            name: forms.Textarea(attrs=TEXT)
            for name in fields
            if name.startswith(("scope_", "impact_"))
            or name in {"description", "nature", "timing", "undetermined_information"}
        }


class AssessmentForm(OrgModelForm):
    class Meta:
        model = MaterialityAssessment
        fields = [
            "loss_low",
            "loss_high",
            "exceedance_probability",
            *(f"{name}_{part}" for name, _ in FACTORS for part in ("impact", "note")),
            "reviewers",
            "recommendation",
            "conclusion",
        ]
        widgets = {
            **{f"{name}_note": forms.Textarea(attrs={"rows": 1}) for name, _ in FACTORS},
            "conclusion": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args: Any, currency: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "assess")
        super().__init__(*args, **kwargs)
        for name in ("loss_low", "loss_high"):
            self.fields[name].help_text = f"In {currency}." if currency else ""


class DeterminationForm(forms.Form):
    material = forms.TypedChoiceField(
        choices=[("", "—"), ("yes", "Material"), ("no", "Not material")],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    determined_on = forms.DateField(widget=DateInput)
    determined_time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Optional; the time does not change the deadline.",
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "determine")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("determined_on", timezone.localdate())


class DelayForm(OrgModelForm):
    class Meta:
        model = AttorneyGeneralDelay
        fields = ["days", "requested_on", "written_determination", "national_security"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "delay")
        super().__init__(*args, **kwargs)


class FilingForm(OrgModelForm):
    """A new filing; only the forms the organization's filer type can file are offered."""

    class Meta:
        model = IncidentFiling
        fields = ["form", "information_determined_on", "filed_on", "accession_number", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "filing")
        super().__init__(*args, **kwargs)
        fpi = self.org.is_foreign_private_issuer
        form: Any = self.fields["form"]
        form.choices = [
            (value, label)
            for value, label in IncidentFiling.Form.choices
            if (value == IncidentFiling.Form.FORM_6K) == fpi
        ]


class FiledForm(forms.Form):
    """Mark a pending filing filed."""

    filed_on = forms.DateField(widget=DateInput)
    accession_number = forms.CharField(max_length=20, required=False)
