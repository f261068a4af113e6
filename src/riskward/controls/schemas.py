"""API schemas for the controls area: explicit fields, unknown input fields refused.

`register_crud` offers no hook to annotate list rows, so the control and certification list
filters add the annotations their filters, sorts and Out schemas read.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from ninja import FilterSchema, ModelSchema, Schema
from ninja.filter_schema import FilterLookup
from pydantic import ConfigDict, Field

from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Evidence,
    Framework,
    Requirement,
)

T = TypeVar("T", bound=QuerySet[Any])


class Forbid:
    model_config = ConfigDict(extra="forbid")


# --- Controls ---------------------------------------------------------------------------------

CONTROL_FIELDS = [
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


class ControlOut(ModelSchema):
    next_test_due: date | None
    test_overdue: bool

    class Meta:
        model = Control
        fields = ["id", *CONTROL_FIELDS, "created_at", "updated_at"]


class ControlIn(Forbid, ModelSchema):
    requirements: list[int] = []

    class Meta:
        model = Control
        fields = CONTROL_FIELDS


class ControlPatch(Forbid, ModelSchema):
    class Meta:
        model = Control
        fields = CONTROL_FIELDS
        fields_optional = "__all__"


class ControlFilter(FilterSchema):
    control_type: str | None = None
    function: str | None = None
    status: str | None = None
    owner: int | None = None
    threat_source: str | None = None
    requirement: Annotated[int | None, FilterLookup("requirements")] = None
    test_overdue: bool | None = None

    def filter_test_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        overdue = Control.overdue_q(timezone.localdate())
        return overdue if value else ~overdue

    def filter(self, queryset: T) -> T:
        # register_crud has no hook for annotations: the due date is filtered and sorted on.
        return super().filter(queryset.with_test_due())  # type: ignore[attr-defined,no-any-return]


# --- Frameworks and requirements --------------------------------------------------------------


class FrameworkOut(ModelSchema):
    class Meta:
        model = Framework
        fields = ["id", "key", "name", "version", "source_note", "created_at", "updated_at"]


class FrameworkLoadIn(Forbid, Schema):
    key: str


class CatalogOut(Schema):
    key: str
    name: str
    loaded: int | None = Field(None, description="The framework's id when already loaded.")


class RequirementOut(ModelSchema):
    class Meta:
        model = Requirement
        fields = [
            "id",
            "framework",
            "parent",
            "ref_id",
            "title",
            "description",
            "licensed_text",
            "kind",
            "withdrawn",
            "depth",
        ]


class RequirementFilter(FilterSchema):
    framework: int | None = None
    parent: int | None = None
    kind: str | None = None
    withdrawn: bool | None = None
    ref_id: str | None = None


class TextRow(Forbid, Schema):
    ref_id: str
    text: str


class RequirementTextIn(Forbid, Schema):
    rows: list[TextRow] = Field(..., max_length=5000)


class TextImportOut(Schema):
    updated: int
    added: int


# --- Evidence ---------------------------------------------------------------------------------

EVIDENCE_FIELDS = [
    "title",
    "kind",
    "url",
    "collected_on",
    "expires_on",
    "description",
    "controls",
]


class EvidenceOut(ModelSchema):
    expired: bool
    download: str | None = Field(None, description="API path of the file, for file evidence.")

    class Meta:
        model = Evidence
        fields = [
            "id",
            *EVIDENCE_FIELDS,
            "filename",
            "sha256",
            "size",
            "content_type",
            "created_at",
            "updated_at",
        ]

    @staticmethod
    def resolve_download(obj: Evidence) -> str | None:
        if obj.kind != Evidence.Kind.FILE or not obj.file:
            return None
        return reverse("api:download_evidence", args=[obj.pk])


class EvidenceIn(Forbid, ModelSchema):
    """JSON creates link evidence; files go through the multipart upload endpoint."""

    kind: str = Evidence.Kind.LINK
    controls: list[int] = []

    class Meta:
        model = Evidence
        fields = EVIDENCE_FIELDS


class EvidencePatch(Forbid, ModelSchema):
    class Meta:
        model = Evidence
        fields = EVIDENCE_FIELDS
        fields_optional = "__all__"


class EvidenceUploadIn(Forbid, Schema):
    title: str = Field(..., max_length=200)
    collected_on: date | None = None
    expires_on: date | None = None
    description: str = ""
    controls: list[int] = []


class EvidenceFilter(FilterSchema):
    kind: str | None = None
    control: Annotated[int | None, FilterLookup("controls")] = None
    expired: bool | None = None

    def filter_expired(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        past = Q(expires_on__lt=timezone.localdate())
        return past if value else ~past


# --- Compliance assessments -------------------------------------------------------------------

ASSESSMENT_FIELDS = [
    "framework",
    "title",
    "scope",
    "started_on",
    "completed_on",
    "assessor",
    "status",
]


class ComplianceAssessmentOut(ModelSchema):
    class Meta:
        model = ComplianceAssessment
        fields = ["id", *ASSESSMENT_FIELDS, "created_at", "updated_at"]


class ComplianceAssessmentIn(Forbid, ModelSchema):
    class Meta:
        model = ComplianceAssessment
        fields = ASSESSMENT_FIELDS


class ComplianceAssessmentPatch(Forbid, ModelSchema):
    class Meta:
        model = ComplianceAssessment
        fields = ASSESSMENT_FIELDS
        fields_optional = "__all__"


class ComplianceAssessmentFilter(FilterSchema):
    framework: int | None = None
    status: str | None = None


class ResultOut(Schema):
    id: int
    requirement_id: int
    ref_id: str = Field(..., alias="requirement.ref_id")
    title: str = Field(..., alias="requirement.title")
    result: str
    findings: str
    evidence: list[int]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[int]:
        return [item.pk for item in obj.evidence.all()]


class ResultPatch(Forbid, Schema):
    result: str | None = None
    findings: str | None = None
    evidence: list[int] | None = None


class SummaryOut(Schema):
    total: int
    compliant: int
    partial: int
    non_compliant: int
    not_applicable: int
    not_assessed: int


# --- Certifications and assessor engagements --------------------------------------------------

CERTIFICATION_FIELDS = [
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


class CertificationOut(ModelSchema):
    last_assessed_on: date | None
    next_assessment_due: date | None
    assessment_overdue: bool
    expired: bool

    class Meta:
        model = Certification
        fields = ["id", *CERTIFICATION_FIELDS, "created_at", "updated_at"]


class CertificationIn(Forbid, ModelSchema):
    class Meta:
        model = Certification
        fields = CERTIFICATION_FIELDS


class CertificationPatch(Forbid, ModelSchema):
    class Meta:
        model = Certification
        fields = CERTIFICATION_FIELDS
        fields_optional = "__all__"


class CertificationFilter(FilterSchema):
    is_active: bool | None = None
    scheme: Annotated[str | None, FilterLookup("scheme__icontains")] = None

    def filter(self, queryset: T) -> T:
        # The schedule properties of the output read this annotation instead of querying.
        return super().filter(queryset.with_schedule())  # type: ignore[attr-defined,no-any-return]


ENGAGEMENT_FIELDS = [
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


class EngagementOut(ModelSchema):
    class Meta:
        model = AssessorEngagement
        fields = ["id", *ENGAGEMENT_FIELDS, "created_at", "updated_at"]


class EngagementIn(Forbid, ModelSchema):
    class Meta:
        model = AssessorEngagement
        fields = ENGAGEMENT_FIELDS


class EngagementPatch(Forbid, ModelSchema):
    class Meta:
        model = AssessorEngagement
        fields = ENGAGEMENT_FIELDS
        fields_optional = "__all__"


class EngagementFilter(FilterSchema):
    certification: int | None = None
    result: str | None = None
