"""Form base classes: every choice of a related row is limited to the user's organization."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from riskward.core.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class OrgModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm bound to one organization; related choices come from it alone."""

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        for name, form_field in self.fields.items():
            queryset = getattr(form_field, "queryset", None)
            if queryset is not None and any(
                f.name == "organization" for f in queryset.model._meta.fields
            ):
                form_field.queryset = queryset.filter(organization=org)  # type: ignore[attr-defined]
            model_field = (
                self._meta.model._meta.get_field(name) if name in self._field_names() else None
            )
            if model_field is not None and model_field.get_internal_type() == "DateField":
                form_field.widget = DateInput()
            elif model_field is not None and model_field.get_internal_type() == "DateTimeField":
                form_field.widget = DateTimeInput()

    def _field_names(self) -> set[str]:
        return {f.name for f in self._meta.model._meta.get_fields()}

    def service_data(self) -> dict[str, Any]:
        """The cleaned values to hand to a service (model fields only)."""
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class LoginForm(AuthenticationForm):
    otp_token = forms.CharField(
        label="Authenticator code",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Only if you have set up two-factor authentication.",
    )


class OrganizationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organization
        fields = [
            "legal_name",
            "short_name",
            "cik",
            "filer_type",
            "fiscal_year_end_month",
            "fiscal_year_end_day",
            "reporting_currency",
            "materiality_threshold",
            "risk_appetite",
        ]
