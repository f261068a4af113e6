from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q

from riskward.controls.files import ALLOWED, human_size
from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Evidence,
    Requirement,
    RequirementResult,
)
from riskward.core.forms import OrgModelForm


class RequirementChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.framework.get_key_display()} · {obj}"


class ControlForm(OrgModelForm):
    class Meta:
        model = Control
        fields = [
            "reference",
            "name",
            "description",
            "control_type",
            "function",
            "threat_source",
            "owner",
            "status",
            "test_frequency_days",
            "last_tested",
            "requirements",
        ]
        field_classes = {"requirements": RequirementChoiceField}
        widgets = {"requirements": forms.SelectMultiple(attrs={"size": 14})}

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        # Withdrawn requirements are offered only where already mapped, so editing keeps them.
        mapped = (
            self.instance.requirements.all() if self.instance.pk else Requirement.objects.none()
        )
        field: Any = self.fields["requirements"]
        field.queryset = (
            Requirement.objects.filter(organization=org)
            .filter(Q(withdrawn=False) | Q(pk__in=mapped.values("pk")))
            .select_related("framework")
            .order_by("framework__name", "sort_key")
        )


def _accepted_files() -> str:
    kinds = ", ".join(sorted({ext.upper() for ext in ALLOWED} - {"JPEG"}))
    return f"Up to {human_size(settings.UPLOAD_MAX_BYTES)}: {kinds}."


class EvidenceForm(OrgModelForm):
    file = forms.FileField(required=False, widget=forms.FileInput)
    url = forms.URLField(
        label="URL",
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text="For link evidence: an http or https address.",
    )
    field_order = ["title", "kind", "file", "url", "collected_on", "expires_on", "description"]

    class Meta:
        model = Evidence
        fields = ["title", "kind", "url", "collected_on", "expires_on", "description", "controls"]
        widgets = {"controls": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        keep = " Leave empty to keep the current file." if self.instance.pk else ""
        self.fields["file"].help_text = _accepted_files() + keep


class AssessmentForm(OrgModelForm):
    class Meta:
        model = ComplianceAssessment
        fields = ["framework", "title", "scope", "started_on", "completed_on", "assessor", "status"]

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        if self.instance.pk:  # results were made for this framework
            self.fields["framework"].disabled = True


class ResultForm(OrgModelForm):
    class Meta:
        model = RequirementResult
        fields = ["result", "findings", "evidence"]
        widgets = {"evidence": forms.SelectMultiple(attrs={"size": 10})}


class QuickResultForm(OrgModelForm):
    """The inline form on the assessment page: result and findings, evidence untouched."""

    class Meta:
        model = RequirementResult
        fields = ["result", "findings"]


class CertificationForm(OrgModelForm):
    class Meta:
        model = Certification
        fields = [
            "scheme",
            "level",
            "scope",
            "issuer",
            "certificate_number",
            "obtained_on",
            "expires_on",
            "assessment_frequency_months",
            "is_active",
            "notes",
        ]


class EngagementForm(OrgModelForm):
    class Meta:
        model = AssessorEngagement
        fields = [
            "certification",
            "firm",
            "qualification",
            "scope",
            "started_on",
            "ended_on",
            "result",
            "report",
            "notes",
        ]


class RequirementTextForm(forms.Form):
    file = forms.FileField(
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="A CSV whose first row names the columns ref_id and text (UTF-8 or GB18030).",
    )
