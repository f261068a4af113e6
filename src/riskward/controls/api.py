# No `from __future__ import annotations`: ninja reads these annotations at runtime.
"""Controls API: CRUD per register, framework loading and text import, evidence upload and
download, and per-requirement assessment results."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from riskward.controls import datafiles, files, queries, services
from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Evidence,
    Framework,
    Requirement,
    RequirementResult,
)
from riskward.controls.resources import (
    ASSESSMENT_LISTING,
    CERTIFICATION_LISTING,
    CONTROL_LISTING,
    ENGAGEMENT_LISTING,
    EVIDENCE_LISTING,
)
from riskward.controls.schemas import (
    CatalogOut,
    CertificationFilter,
    CertificationIn,
    CertificationOut,
    CertificationPatch,
    ComplianceAssessmentFilter,
    ComplianceAssessmentIn,
    ComplianceAssessmentOut,
    ComplianceAssessmentPatch,
    ControlFilter,
    ControlIn,
    ControlOut,
    ControlPatch,
    EngagementFilter,
    EngagementIn,
    EngagementOut,
    EngagementPatch,
    EvidenceFilter,
    EvidenceIn,
    EvidenceOut,
    EvidencePatch,
    EvidenceUploadIn,
    FrameworkLoadIn,
    FrameworkOut,
    RequirementFilter,
    RequirementOut,
    RequirementTextIn,
    ResultOut,
    ResultPatch,
    SummaryOut,
    TextImportOut,
)
from riskward.core import rbac
from riskward.core.api_crud import caller, get_row, register_crud
from riskward.lib.errors import NotFound

router = Router(tags=["controls"])


register_crud(
    router,
    name="control",
    model=Control,
    out=ControlOut,
    create_in=ControlIn,
    patch_in=ControlPatch,
    filter_schema=ControlFilter,
    listing=CONTROL_LISTING,
    create=services.create_control,
    update=services.update_control,
    delete=services.delete_control,
)


# --- Frameworks and requirements --------------------------------------------------------------


@router.get("/framework-catalogs", response=list[CatalogOut], operation_id="list_framework_catalog")
def list_catalogs(request: HttpRequest) -> Any:
    """The frameworks Riskward bundles, and which of them this organization has loaded."""
    user = caller(request, rbac.Cap.VIEW_RECORDS)
    loaded = dict(
        Framework.objects.filter(organization_id=user.organization_id).values_list("key", "pk")
    )
    return [{"key": k, "name": name, "loaded": loaded.get(k)} for k, name in datafiles.available()]


@router.get("/frameworks", response=list[FrameworkOut], operation_id="list_framework")
@paginate(LimitOffsetPagination)
def list_frameworks(request: HttpRequest) -> Any:
    user = caller(request, rbac.Cap.VIEW_RECORDS)
    return Framework.objects.filter(organization_id=user.organization_id).order_by("name", "pk")


@router.post("/frameworks/load", response=FrameworkOut, operation_id="load_framework")
def load_framework(request: HttpRequest, payload: FrameworkLoadIn) -> Any:
    """Load (or refresh) a bundled framework by key; loading twice changes nothing."""
    user = caller(request, rbac.Cap.IMPORT)
    return services.load_framework(user.organization, payload.key, actor=user)


@router.get("/frameworks/{pk}", response=FrameworkOut, operation_id="get_framework")
def get_framework(request: HttpRequest, pk: int) -> Any:
    caller(request, rbac.Cap.VIEW_RECORDS)
    return get_row(request, Framework, pk)


@router.delete("/frameworks/{pk}", response={204: None}, operation_id="delete_framework")
def delete_framework(request: HttpRequest, pk: int) -> Any:
    """Refused while an assessment uses the framework."""
    user = caller(request, rbac.Cap.VIEW_RECORDS)
    framework = get_row(request, Framework, pk)
    rbac.require(user, rbac.Cap.EDIT_RECORDS)
    services.delete_framework(user.organization, user, framework)
    return Status(204, None)


@router.post(
    "/frameworks/{pk}/requirement-text",
    response=TextImportOut,
    operation_id="import_requirement_text",
)
def import_requirement_text(request: HttpRequest, pk: int, payload: RequirementTextIn) -> Any:
    """Text from your licensed copy, all rows or none; problems name the row (first = 1)."""
    user = caller(request, rbac.Cap.VIEW_RECORDS)
    framework = get_row(request, Framework, pk)
    rbac.require(user, rbac.Cap.IMPORT)
    rows = [row.dict() for row in payload.rows]
    return services.import_requirement_text(
        user.organization, framework, rows, actor=user, first_row=1
    )


@router.get("/requirements", response=list[RequirementOut], operation_id="list_requirement")
@paginate(LimitOffsetPagination)
def list_requirements(
    request: HttpRequest,
    filters: RequirementFilter = Query(...),  # type: ignore[type-arg]
    q: str = "",
) -> Any:
    user = caller(request, rbac.Cap.VIEW_RECORDS)
    rows = Requirement.objects.filter(organization_id=user.organization_id)
    if q:
        rows = rows.filter(Q(title__icontains=q[:200]) | Q(ref_id__icontains=q[:200]))
    return filters.filter(rows).order_by("framework_id", "sort_key")


@router.get("/requirements/{pk}", response=RequirementOut, operation_id="get_requirement")
def get_requirement(request: HttpRequest, pk: int) -> Any:
    caller(request, rbac.Cap.VIEW_RECORDS)
    return get_row(request, Requirement, pk)


# --- Evidence ---------------------------------------------------------------------------------


@router.post("/evidence/upload", response={201: EvidenceOut}, operation_id="upload_evidence")
def upload_evidence(
    request: HttpRequest, details: Form[EvidenceUploadIn], file: File[UploadedFile]
) -> Any:
    """Multipart upload of file evidence: size-limited, type sniffed, SHA-256 kept."""
    user = caller(request, rbac.Cap.VIEW_RECORDS)
    rbac.require_edit(user)
    data = {**details.dict(exclude_unset=True), "kind": Evidence.Kind.FILE, "file": file}
    return Status(201, services.create_evidence(user.organization, user, data))


@router.get(
    "/evidence/{pk}/download", operation_id="download_evidence", url_name="download_evidence"
)
def download_evidence(request: HttpRequest, pk: int) -> Any:
    """The file as an attachment (`nosniff`); link evidence has no download."""
    caller(request, rbac.Cap.VIEW_RECORDS)
    return files.download_response(get_row(request, Evidence, pk))


register_crud(
    router,
    name="evidence",
    path="evidence",
    model=Evidence,
    out=EvidenceOut,
    create_in=EvidenceIn,
    patch_in=EvidencePatch,
    filter_schema=EvidenceFilter,
    listing=EVIDENCE_LISTING,
    create=services.create_evidence,
    update=services.update_evidence,
    delete=services.delete_evidence,
)


# --- Compliance assessments -------------------------------------------------------------------

register_crud(
    router,
    name="assessment",
    model=ComplianceAssessment,
    out=ComplianceAssessmentOut,
    create_in=ComplianceAssessmentIn,
    patch_in=ComplianceAssessmentPatch,
    filter_schema=ComplianceAssessmentFilter,
    listing=ASSESSMENT_LISTING,
    create=services.create_assessment,
    update=services.update_assessment,
    delete=services.delete_assessment,
)


@router.get(
    "/assessments/{pk}/results", response=list[ResultOut], operation_id="list_assessment_result"
)
@paginate(LimitOffsetPagination)
def list_results(request: HttpRequest, pk: int, result: str = "") -> Any:
    caller(request, rbac.Cap.VIEW_RECORDS)
    rows = queries.assessment_results(get_row(request, ComplianceAssessment, pk))
    return rows.filter(result=result) if result else rows


@router.get("/assessments/{pk}/summary", response=SummaryOut, operation_id="get_assessment_summary")
def assessment_summary(request: HttpRequest, pk: int) -> Any:
    caller(request, rbac.Cap.VIEW_RECORDS)
    return queries.result_summary(get_row(request, ComplianceAssessment, pk))


@router.patch(
    "/assessments/{pk}/results/{result_pk}",
    response=ResultOut,
    operation_id="update_assessment_result",
)
def update_result(request: HttpRequest, pk: int, result_pk: int, payload: ResultPatch) -> Any:
    user = caller(request, rbac.Cap.VIEW_RECORDS)
    assessment = get_row(request, ComplianceAssessment, pk)
    row = RequirementResult.objects.filter(assessment=assessment, pk=result_pk).first()
    if row is None:
        raise NotFound(f"No result with id {result_pk} in this assessment.")
    rbac.require_edit(user)
    return services.record_result(user.organization, user, row, payload.dict(exclude_unset=True))


# --- Certifications and assessor engagements --------------------------------------------------

register_crud(
    router,
    name="certification",
    model=Certification,
    out=CertificationOut,
    create_in=CertificationIn,
    patch_in=CertificationPatch,
    filter_schema=CertificationFilter,
    listing=CERTIFICATION_LISTING,
    create=services.create_certification,
    update=services.update_certification,
    delete=services.delete_certification,
)
register_crud(
    router,
    name="engagement",
    model=AssessorEngagement,
    out=EngagementOut,
    create_in=EngagementIn,
    patch_in=EngagementPatch,
    filter_schema=EngagementFilter,
    listing=ENGAGEMENT_LISTING,
    create=services.create_engagement,
    update=services.update_engagement,
    delete=services.delete_engagement,
)
