"""REST endpoints of the disclosure engine: draft, edit, review, approve, file, validate,
download, and import filings for comparison. Each endpoint checks the role, calls one service."""

# No `from __future__ import annotations`: ninja reads the annotations at runtime.
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from riskward.core import rbac
from riskward.core.api_crud import caller
from riskward.disclosure import outputs, peer_filings, peers, queries, services, workflow
from riskward.disclosure.models import ImportedFiling
from riskward.disclosure.schemas import (
    DisclosureOut,
    FiledIn,
    ImportDetailsIn,
    ImportedOut,
    SendBackIn,
    StartIn,
    TextsIn,
    VersionOut,
)
from riskward.lib.errors import InvalidInput

router = Router(tags=["disclosure"])


def _user(request: HttpRequest, cap: rbac.Cap = rbac.Cap.VIEW_DISCLOSURE) -> Any:
    """Every endpoint here needs the disclosure area first, then its own capability."""
    return caller(request, rbac.Cap.VIEW_DISCLOSURE, cap)


@router.get("/disclosures", response=list[DisclosureOut], operation_id="list_disclosures")
@paginate(LimitOffsetPagination)
def list_disclosures(request: HttpRequest) -> Any:
    user = _user(request)
    return queries.disclosures_with_latest(user.organization)


@router.post("/disclosures", response={201: VersionOut}, operation_id="start_disclosure")
def start_disclosure(request: HttpRequest, payload: StartIn) -> Any:
    """Draft the fiscal year's annual disclosure from the record (version 1)."""
    user = _user(request, rbac.Cap.EDIT_RECORDS)
    version = services.start_annual(
        user.organization, user, payload.fiscal_year, payload.risk_factors_reference
    )
    return Status(201, version)


@router.get("/disclosures/{pk}/versions/{number}", response=VersionOut, operation_id="get_version")
def get_version(request: HttpRequest, pk: int, number: int) -> Any:
    user = _user(request)
    return queries.version(user.organization, pk, number)


@router.patch(
    "/disclosures/{pk}/versions/{number}/texts", response=VersionOut, operation_id="edit_texts"
)
def edit_texts(request: HttpRequest, pk: int, number: int, payload: TextsIn) -> Any:
    """Change text blocks; on an approved version this makes (and returns) a new draft."""
    user = _user(request, rbac.Cap.EDIT_RECORDS)
    version = queries.version(user.organization, pk, number)
    return services.edit_texts(user.organization, user, version, payload.texts)


@router.post(
    "/disclosures/{pk}/versions/{number}/steps/{step}",
    response=VersionOut,
    operation_id="run_step",
)
def run_step(request: HttpRequest, pk: int, number: int, step: str) -> Any:
    """One workflow step: refresh, check, submit, approve, new-version or validate."""
    found = workflow.step_named(step)
    user = _user(request, found.cap)
    version = queries.version(user.organization, pk, number)
    return found.call(user.organization, user, version)


@router.post(
    "/disclosures/{pk}/versions/{number}/send-back", response=VersionOut, operation_id="send_back"
)
def send_back(request: HttpRequest, pk: int, number: int, payload: SendBackIn) -> Any:
    user = _user(request, rbac.Cap.EDIT_RECORDS)
    version = queries.version(user.organization, pk, number)
    return services.return_to_draft(user.organization, user, version, payload.review_note)


@router.post(
    "/disclosures/{pk}/versions/{number}/filed", response=VersionOut, operation_id="mark_filed"
)
def mark_filed(request: HttpRequest, pk: int, number: int, payload: FiledIn) -> Any:
    user = _user(request, rbac.Cap.APPROVE_DISCLOSURE)
    version = queries.version(user.organization, pk, number)
    return services.mark_filed(
        user.organization, user, version, payload.filed_on, payload.accession_number
    )


@router.get("/disclosures/{pk}/versions/{number}/download/{kind}", operation_id="download_version")
def download_version(request: HttpRequest, pk: int, number: int, kind: str) -> Any:
    """zip (Inline XBRL package), htm, txt (as EDGAR shows it), preview (HTML) or pdf."""
    user = _user(request)
    version = queries.version(user.organization, pk, number)
    content, content_type, filename = outputs.download(user.organization, version, kind)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/imported", response=list[ImportedOut], operation_id="list_imported")
@paginate(LimitOffsetPagination)
def list_imported(request: HttpRequest) -> Any:
    user = _user(request)
    return ImportedFiling.objects.for_org(user.organization)


@router.post("/imported", response={201: ImportedOut}, operation_id="import_filing")
def import_filing(
    request: HttpRequest, details: Form[ImportDetailsIn], file: File[UploadedFile]
) -> Any:
    """Multipart upload of an Inline XBRL filing or an EDGAR rendered page; keeps its cyd facts."""
    user = _user(request, rbac.Cap.IMPORT)
    if file.size and file.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(f"file: larger than {settings.UPLOAD_MAX_BYTES:,} bytes", "file")
    saved = peer_filings.import_bytes(
        user.organization, user, file.read(), file.name or "upload", details.name, details.role
    )
    return Status(201, saved)


@router.delete("/imported/{pk}", response={204: None}, operation_id="delete_imported")
def delete_imported(request: HttpRequest, pk: int) -> Any:
    user = _user(request, rbac.Cap.IMPORT)
    peer_filings.delete_imported(user.organization, user, pk)
    return Status(204, None)


@router.get("/comparison", operation_id="peer_comparison")
def comparison(request: HttpRequest, year: int | None = None) -> Any:
    """Our disclosure next to every imported filing: flags side by side, text length and terms."""
    user = _user(request)
    context = peer_filings.comparison_context(user.organization, str(year) if year else None)
    found = context["comparison"]
    return peers.as_json(found) if found is not None else {"columns": []}
