"""Forms of the disclosure pages. The rules live in the services; these only parse."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings

from riskward.core.forms import DateInput
from riskward.disclosure.elements import Kind, annual_elements, incident_elements
from riskward.disclosure.models import ImportedFiling


class StartForm(forms.Form):
    fiscal_year = forms.IntegerField(
        min_value=2023, help_text="The fiscal year the annual report covers."
    )
    risk_factors_reference = forms.CharField(
        required=False,
        max_length=500,
        label="Risk factors reference",
        help_text="Where the report's cybersecurity risk factors are, e.g. “Item 3.D. Risk "
        "Factors—…” on page 56 of this annual report. Empty: the form's risk factors item.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = date.today().year - 1


class TextsForm(forms.Form):
    """One text area per text block of the disclosure, labelled as EDGAR labels it."""

    def __init__(self, *args: Any, facts: dict[str, Any], annual: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        elements = annual_elements() if annual else incident_elements()
        for element in elements:
            if element.kind is Kind.TEXT_BLOCK:
                self.fields[element.name] = forms.CharField(
                    label=element.label,
                    required=False,
                    initial=facts.get(element.name, ""),
                    strip=False,
                    widget=forms.Textarea(attrs={"rows": 6}),
                    help_text=f"Regulation S-K Item 106{element.paragraph}"
                    if annual
                    else f"Form 8-K Item {element.paragraph}",
                )


class ReturnForm(forms.Form):
    review_note = forms.CharField(
        label="What needs to change", widget=forms.Textarea(attrs={"rows": 3})
    )


class FiledForm(forms.Form):
    filed_on = forms.DateField(widget=DateInput(), initial=date.today)
    accession_number = forms.CharField(
        required=False, max_length=20, help_text="EDGAR accession number, e.g. 0001234567-25-000012"
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="An Inline XBRL 10-K or 20-F (.htm) or an EDGAR rendered page saved as text."
    )
    name = forms.CharField(max_length=200, required=False, help_text="Defaults to the registrant.")
    role = forms.ChoiceField(choices=ImportedFiling.Role.choices, initial=ImportedFiling.Role.PEER)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {limit:,} bytes."
            )
        return upload
