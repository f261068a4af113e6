"""Quantification pages: a risk's estimates and run, the portfolio page, its run, import and
exports.

Each view checks access, parses one form, calls one service and redirects; a form with bad
inputs is shown again with each error next to the estimate it names.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from riskward.core import rbac
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view
from riskward.core.tabular import MAX_IMPORT_BYTES, read_rows
from riskward.lib.errors import DomainError, ImportRejected, InvalidInput
from riskward.risks import quant_import, quant_pages, quantification
from riskward.risks.models import Risk, RiskQuantification
from riskward.risks.quant_forms import (
    EstimatesUploadForm,
    PortfolioRunForm,
    QuantInputsForm,
    RunForm,
)
from riskward.risks.views import editable_risk, show_again

PROBLEMS_SHOWN = 500


def _to_section(risk: Risk) -> HttpResponse:
    return redirect(risk.get_absolute_url() + "#quant")


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def save_inputs(request: OrgRequest, pk: int) -> HttpResponse:
    risk = editable_risk(request, pk)
    quant = RiskQuantification.objects.filter(risk=risk).first()
    form = QuantInputsForm(request.POST, risk=risk, quant=quant, controls=risk.controls.all())
    if form.is_valid():
        try:
            quantification.set_inputs(request.org, request.user, risk, form.service_data())
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Saved the estimates of {risk.reference}; run it to update.")
            return _to_section(risk)
    return show_again(request, risk, quant_form=form)


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def run_risk(request: OrgRequest, pk: int) -> HttpResponse:
    risk = editable_risk(request, pk)
    form = RunForm(request.POST)
    if not form.is_valid():
        return show_again(request, risk, run_form=form)
    try:
        quant = quantification.run_risk(request.org, request.user, risk, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Simulated {quant.iterations:,} years of {risk.reference} (seed {quant.seed}).",
        )
    return _to_section(risk)


@org_view(rbac.Cap.VIEW_DASHBOARD)
def portfolio(request: OrgRequest) -> HttpResponse:
    context = quant_pages.portfolio(request)
    return render(request, "risks/quant_portfolio.html", context)


@org_view(rbac.Cap.VIEW_DASHBOARD)
@require_POST
def run_portfolio(request: OrgRequest) -> HttpResponse:
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    form = PortfolioRunForm(request.POST, org=request.org)
    if form.is_valid():
        data = dict(form.cleaned_data)
        chosen = list(data.pop("risks")) or None
        try:
            study = quantification.run_portfolio(request.org, request.user, risks=chosen, **data)
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("risks:quant_portfolio")
        else:
            count = study.risks.count()
            messages.success(request, f"Simulated {count} risk(s) over {study.iterations:,} years.")
            return redirect("risks:quant_portfolio")
    context = quant_pages.portfolio(request, run_form=form)
    return render(request, "risks/quant_portfolio.html", context, status=400)


@org_view(rbac.Cap.VIEW_DASHBOARD)
@require_POST
def import_estimates(request: OrgRequest) -> HttpResponse:
    rbac.require(request.user, rbac.Cap.IMPORT)
    form = EstimatesUploadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if (upload.size or 0) > MAX_IMPORT_BYTES:
                raise InvalidInput(f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB.")
            sheet = read_rows(bytes(upload.read()), upload.name)
            result = quant_import.import_estimates(request.org, request.user, sheet, upload.name)
        except ImportRejected as rejected:
            form.add_error(None, rejected.message)
            problems = rejected.problems[:PROBLEMS_SHOWN]
            context = quant_pages.portfolio(request, upload_form=form, problems=problems)
            return render(request, "risks/quant_portfolio.html", context, status=422)
        except InvalidInput as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"Imported {result}; run the portfolio to update results.")
            return redirect(reverse("risks:quant_portfolio"))
    context = quant_pages.portfolio(request, upload_form=form)
    return render(request, "risks/quant_portfolio.html", context, status=status)


@org_view(rbac.Cap.VIEW_DASHBOARD)
def estimates_template(request: OrgRequest) -> HttpResponse:
    """A starting CSV: the headers and one example of each way to estimate."""
    response = HttpResponse(quant_import.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quant-estimates.csv"'
    return response


def _download(what: str, text: str) -> HttpResponse:
    """The byte-order mark makes Excel read the file as UTF-8, as for the registers' exports."""
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    filename = f"quant-{what}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@org_view(rbac.Cap.VIEW_DASHBOARD)
@require_GET
def export_estimates(request: OrgRequest) -> HttpResponse:
    """Every stored estimate in the import's columns: edit it in a spreadsheet, import it back."""
    rbac.require(request.user, rbac.Cap.VIEW_RECORDS)
    return _download("estimates", quant_import.export_csv(request.org, request.user, "estimates"))


@org_view(rbac.Cap.VIEW_DASHBOARD)
@require_GET
def export_results(request: OrgRequest) -> HttpResponse:
    """Each quantified risk's last results as plain numbers, for a board pack."""
    rbac.require(request.user, rbac.Cap.VIEW_RECORDS)
    return _download("results", quant_import.export_csv(request.org, request.user, "results"))
