"""Import and export pages for every registered table (see `core/tabular`).

Import needs the IMPORT capability, export needs VIEW_RECORDS; both work on the signed-in user's
own organization only, so another organization's rows can never be read or written here.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from riskward.core import rbac, tabular
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view
from riskward.lib.errors import ImportRejected, InvalidInput, NotFound

PROBLEMS_SHOWN = 500
FORMATS = ("csv", "xlsx")


def _upload_bytes(upload: UploadedFile | None) -> bytes:
    if upload is None:
        raise InvalidInput("Choose a CSV or XLSX file to import.", "file")
    if (upload.size or 0) > tabular.MAX_IMPORT_BYTES:
        raise InvalidInput(
            f"The file is larger than {tabular.MAX_IMPORT_BYTES // 2**20} MB; split it.", "file"
        )
    return bytes(upload.read())


@org_view(rbac.Cap.IMPORT)
def import_page(request: OrgRequest, key: str) -> HttpResponse:
    spec = tabular.table(key)
    context: dict[str, Any] = {
        "spec": spec,
        "guide": [(c, spec.is_required(c), tabular.describe(spec, c)) for c in spec.columns],
        "max_mb": tabular.MAX_IMPORT_BYTES // 2**20,
        "update": request.POST.get("update") == "on",
    }
    if request.method != "POST":
        return render(request, "core/import.html", context)
    upload = request.FILES.get("file")
    name = getattr(upload, "name", "") or ""
    try:
        sheet = tabular.read_rows(_upload_bytes(upload), name)
        result = tabular.import_table(
            request.org, request.user, spec, sheet, update=context["update"], source=name
        )
    except ImportRejected as rejected:
        context["problems"] = rejected.problems[:PROBLEMS_SHOWN]
        context["more_problems"] = max(0, len(rejected.problems) - PROBLEMS_SHOWN)
        return render(request, "core/import.html", context, status=422)
    except InvalidInput as error:
        context["file_error"] = error.message
        return render(request, "core/import.html", context, status=400)
    messages.success(request, f"Imported {spec.title}: {result}.")
    return redirect(reverse(spec.list_url) if spec.list_url else request.path)


@org_view(rbac.Cap.VIEW_RECORDS)
def export_table(request: OrgRequest, key: str, fmt: str) -> HttpResponseBase:
    """The register, narrowed by the list page's filters in the query string, as a download."""
    spec = tabular.table(key)
    if fmt not in FORMATS:
        raise NotFound("Exports are CSV or XLSX.")
    rows = tabular.export_rows(request.org, spec, request.GET)
    tabular.record_export(request.org, request.user, spec, fmt, rows.count(), request.GET)
    filename = f"{spec.key}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    batches = rows.iterator(chunk_size=1000)
    if fmt == "csv":
        response = StreamingHttpResponse(
            tabular.csv_lines(spec, batches), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    # openpyxl finishes a workbook only on save; a temporary file keeps it out of memory.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    tabular.write_xlsx(spec, batches, spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=tabular.XLSX_MIME
    )
