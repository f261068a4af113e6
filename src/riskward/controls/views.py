"""Framework pages (list, tree, loading, text import), requirement pages, evidence download and
the per-requirement result form. Register pages come from `resources.py`."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from riskward.controls import datafiles, files, queries, services
from riskward.controls.forms import QuickResultForm, RequirementTextForm, ResultForm
from riskward.controls.models import (
    ComplianceAssessment,
    Framework,
    Requirement,
    RequirementResult,
)
from riskward.controls.resources import EVIDENCE
from riskward.core import rbac
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view
from riskward.lib.errors import ImportRejected, InvalidInput, NotFound


def _framework(request: OrgRequest, pk: int) -> Framework:
    framework: Framework | None = Framework.objects.filter(organization=request.org, pk=pk).first()
    if framework is None:
        raise NotFound("No such framework.")
    return framework


@org_view(rbac.Cap.VIEW_RECORDS)
def framework_list(request: OrgRequest) -> HttpResponse:
    loaded = list(queries.framework_overview(request.org))
    keys = {framework.key for framework in loaded}
    return render(
        request,
        "controls/framework_list.html",
        {
            "frameworks": loaded,
            "available": [(k, label) for k, label in datafiles.available() if k not in keys],
            "can_load": rbac.has_cap(request.user, rbac.Cap.IMPORT),
        },
    )


@require_POST
@org_view(rbac.Cap.IMPORT)
def framework_load(request: OrgRequest) -> HttpResponse:
    key = request.POST.get("key", "")
    try:
        framework = services.load_framework(request.org, key, actor=request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("controls:framework_list")
    messages.success(request, f"Loaded {framework}.")
    return redirect(framework.get_absolute_url())


@org_view(rbac.Cap.VIEW_RECORDS)
def framework_detail(request: OrgRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    show_withdrawn = request.GET.get("withdrawn") == "1"
    return render(
        request,
        "controls/framework_detail.html",
        {
            "framework": framework,
            "tree": queries.requirement_tree(framework, include_withdrawn=show_withdrawn),
            "show_withdrawn": show_withdrawn,
            "assessments": framework.assessments.order_by("-started_on", "-pk")[:5],
            "can_import": rbac.has_cap(request.user, rbac.Cap.IMPORT),
        },
    )


@org_view(rbac.Cap.IMPORT)
def requirement_text_import(request: OrgRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    form = RequirementTextForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = datafiles.read_text_csv(form.cleaned_data["file"].read())
            done = services.import_requirement_text(
                request.org, framework, rows, actor=request.user
            )
        except ImportRejected as error:
            problems = error.problems
        except InvalidInput as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request, f"Imported text: {done.updated} updated, {done.added} items added."
            )
            return redirect(framework.get_absolute_url())
    status = 400 if form.errors or problems else 200
    context = {"framework": framework, "form": form, "problems": problems}
    return render(request, "controls/requirement_text_import.html", context, status=status)


@org_view(rbac.Cap.VIEW_RECORDS)
def requirement_detail(request: OrgRequest, pk: int) -> HttpResponse:
    requirement = (
        Requirement.objects.filter(organization=request.org, pk=pk)
        .select_related("framework", "parent__parent__parent")
        .first()
    )
    if requirement is None:
        raise NotFound("No such requirement.")
    ancestors: list[Requirement] = []
    parent = requirement.parent
    while parent is not None and len(ancestors) < 3:
        ancestors.insert(0, parent)
        parent = parent.parent if parent.parent_id else None
    context = {
        "requirement": requirement,
        "ancestors": ancestors,
        "children": requirement.children.order_by("sort_key"),
        "controls": requirement.controls.select_related("owner"),
        "results": requirement.results.select_related("assessment").order_by(
            "-assessment__started_on", "-assessment_id"
        ),
        "badges": queries.BADGES,
    }
    return render(request, "controls/requirement_detail.html", context)


@org_view(rbac.Cap.VIEW_RECORDS)
def evidence_download(request: OrgRequest, pk: int) -> FileResponse:
    return files.download_response(EVIDENCE.get(request, pk))


@org_view(rbac.Cap.VIEW_RECORDS)
def result_edit(request: OrgRequest, pk: int, result_pk: int) -> HttpResponse:
    """The full form (with evidence), or the inline one when `quick` is posted."""
    result = (
        RequirementResult.objects.filter(organization=request.org, assessment_id=pk, pk=result_pk)
        .select_related("assessment", "requirement")
        .first()
    )
    if result is None:
        raise NotFound("No such result.")
    rbac.require_edit(request.user)
    form_class = QuickResultForm if request.POST.get("quick") else ResultForm
    # The form edits a copy, so the service sees (and audits) the row as it was before.
    form = form_class(request.POST or None, instance=copy.copy(result), org=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_result(request.org, request.user, result, form.service_data())
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _after_result_saved(request, result)
    context = {"form": form, "result": result, "assessment": result.assessment}
    status = 400 if form.errors else 200
    return render(request, "controls/result_form.html", context, status=status)


def _after_result_saved(request: OrgRequest, result: RequirementResult) -> HttpResponse:
    if request.htmx:  # the assessment page swaps in the updated row
        context = {
            "r": result,
            "result_choices": RequirementResult.Result.choices,
            "badges": queries.BADGES,
            "can_edit": True,
            "closed": result.assessment.status == ComplianceAssessment.Status.COMPLETED,
        }
        return render(request, "controls/_result_row.html", context)
    messages.success(request, f"Saved {result.requirement.ref_id}.")
    return redirect(f"{result.assessment.get_absolute_url()}#r{result.pk}")
