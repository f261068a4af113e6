"""Disclosure pages: the list, a version with its evidence and findings, editing, the workflow,
downloads, version comparison and imported filings. Each view checks access, parses one form,
calls one service and renders or redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from riskward.core import rbac
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view
from riskward.disclosure import compare, outputs, peer_filings, queries, services, workflow
from riskward.disclosure.forms import FiledForm, ImportForm, ReturnForm, StartForm, TextsForm
from riskward.disclosure.models import Disclosure, DisclosureVersion
from riskward.lib.errors import DomainError, InvalidInput

VIEW = rbac.Cap.VIEW_DISCLOSURE


@org_view(VIEW)
def index(request: OrgRequest) -> HttpResponse:
    context = {
        "disclosures": queries.disclosures_with_latest(request.org),
        "start_form": StartForm(),
        "can_edit": rbac.has_cap(request.user, rbac.Cap.EDIT_RECORDS),
        "annual_form": services.annual_form(request.org),
    }
    return render(request, "disclosure/index.html", context)


@org_view(VIEW)
@require_POST
def start(request: OrgRequest) -> HttpResponse:
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "fiscal_year: enter a year from 2023.")
        return redirect("disclosure:index")
    try:
        data = form.cleaned_data
        version = services.start_annual(
            request.org, request.user, data["fiscal_year"], data["risk_factors_reference"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("disclosure:index")
    messages.success(request, f"Drafted {version} from the record.")
    return redirect(version.get_absolute_url())


@org_view(VIEW)
@require_POST
def start_incident(request: OrgRequest, incident_pk: int) -> HttpResponse:
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    incident = queries.incident(request.org, incident_pk)
    try:
        version = services.start_incident_report(request.org, request.user, incident)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(incident.get_absolute_url())
    messages.success(request, f"Drafted {version} from the incident record.")
    return redirect(version.get_absolute_url())


@org_view(VIEW)
def detail(request: OrgRequest, pk: int) -> HttpResponse:
    disclosure = queries.disclosure(request.org, pk)
    return redirect(queries.latest_version(disclosure).get_absolute_url())


@org_view(VIEW)
def version(request: OrgRequest, pk: int, number: int) -> HttpResponse:
    row = queries.version(request.org, pk, number)
    return render(request, "disclosure/version.html", _version_context(request, row))


def _version_context(request: OrgRequest, row: DisclosureVersion, **forms: Any) -> dict[str, Any]:
    user = request.user
    versions = list(row.disclosure.versions.select_related("approved_by"))  # newest first
    return {
        "row": row,
        "disclosure": row.disclosure,
        "facts": queries.fact_rows(row),
        "versions": versions,
        "is_newest": row.number == versions[0].number,
        "can_edit": rbac.has_cap(user, rbac.Cap.EDIT_RECORDS),
        "can_approve": rbac.has_cap(user, rbac.Cap.APPROVE_DISCLOSURE),
        "return_form": forms.get("return_form", ReturnForm()),
        "filed_form": forms.get("filed_form", FiledForm()),
        "taxonomy": outputs.taxonomy_description(),
        "clock": queries.incident_clock(request.org, row.disclosure),
        "blocking_findings": sum(1 for f in row.findings if f.get("severity") == "error"),
    }


def _call(
    request: OrgRequest,
    form: Any,
    row: DisclosureVersion,
    call: Callable[[], DisclosureVersion],
    success: str,
) -> HttpResponse | None:
    """Run one service for a valid form: a field error goes back on the form (None: show it
    again), any other refusal and success go back to the version (or the new one) with a
    message."""
    try:
        saved = call()
    except InvalidInput as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(row.get_absolute_url())
    messages.success(request, success.format(saved=saved))
    return redirect(saved.get_absolute_url())


@org_view(VIEW)
def edit(request: OrgRequest, pk: int, number: int) -> HttpResponse:
    row = queries.version(request.org, pk, number)
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    annual = row.disclosure.is_annual
    form = TextsForm(request.POST or None, facts=row.facts, annual=annual)
    if request.method == "POST" and form.is_valid():
        texts = form.cleaned_data
        done = _call(
            request,
            form,
            row,
            lambda: services.edit_texts(request.org, request.user, row, texts),
            "Saved the text of {saved}.",
        )
        if done is not None:
            return done
    context = {"row": row, "form": form, "disclosure": row.disclosure}
    return render(request, "disclosure/edit.html", context, status=400 if form.errors else 200)


@org_view(VIEW)
@require_POST
def step(request: OrgRequest, pk: int, number: int, name: str) -> HttpResponse:
    row = queries.version(request.org, pk, number)
    found = workflow.step_named(name)
    rbac.require(request.user, found.cap)
    try:
        result = found.call(request.org, request.user, row)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(row.get_absolute_url())
    messages.success(request, found.done)
    target = result if isinstance(result, DisclosureVersion) else row
    return redirect(target.get_absolute_url())


@org_view(VIEW)
@require_POST
def send_back(request: OrgRequest, pk: int, number: int) -> HttpResponse:
    row = queries.version(request.org, pk, number)
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_to_draft(
                request.org, request.user, row, form.cleaned_data["review_note"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Sent back to draft.")
            return redirect(row.get_absolute_url())
    context = _version_context(request, row, return_form=form)
    return render(request, "disclosure/version.html", context, status=400)


@org_view(VIEW)
@require_POST
def mark_filed(request: OrgRequest, pk: int, number: int) -> HttpResponse:
    row = queries.version(request.org, pk, number)
    rbac.require(request.user, rbac.Cap.APPROVE_DISCLOSURE)
    form = FiledForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = _call(
            request,
            form,
            row,
            lambda: services.mark_filed(
                request.org, request.user, row, data["filed_on"], data["accession_number"]
            ),
            "Recorded {saved} as filed.",
        )
        if done is not None:
            return done
    context = _version_context(request, row, filed_form=form)
    return render(request, "disclosure/version.html", context, status=400)


@org_view(VIEW)
def download(request: OrgRequest, pk: int, number: int, kind: str) -> HttpResponse:
    row = queries.version(request.org, pk, number)
    content, content_type, filename = outputs.download(request.org, row, kind)
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if kind == "preview" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if kind in ("preview", "htm"):  # our own HTML: no scripts may run in it
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@org_view(VIEW)
def versions_compare(request: OrgRequest, pk: int) -> HttpResponse:
    disclosure: Disclosure = queries.disclosure(request.org, pk)
    left, right = queries.compared_versions(disclosure, request.GET)
    context = {
        "disclosure": disclosure,
        "left": left,
        "right": right,
        "rows": compare.side_by_side(left.facts, right.facts),
        "versions": disclosure.versions.all(),
    }
    return render(request, "disclosure/compare.html", context)


@org_view(VIEW)
def peers(request: OrgRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        rbac.require(request.user, rbac.Cap.IMPORT)
        if form.is_valid():
            try:
                saved = peer_filings.import_upload(request.org, request.user, form.cleaned_data)
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, f"Imported {len(saved.facts)} cyd facts of “{saved}”.")
                return redirect("disclosure:peers")
    context = {
        "form": form,
        "can_import": rbac.has_cap(request.user, rbac.Cap.IMPORT),
        **peer_filings.comparison_context(request.org, request.GET.get("year")),
    }
    return render(request, "disclosure/peers.html", context, status=400 if form.errors else 200)


@org_view(VIEW)
@require_POST
def peer_delete(request: OrgRequest, pk: int) -> HttpResponse:
    rbac.require(request.user, rbac.Cap.IMPORT)
    try:
        peer_filings.delete_imported(request.org, request.user, pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Removed the imported filing.")
    return redirect("disclosure:peers")
