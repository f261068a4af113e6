"""Generic register pages: list, detail, create, edit and delete for any organization record.

An app declares a `Resource` (model, form, list spec and its services) and gets the five pages
and their URLs; richer pages extend the templates or pass `detail_context`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from riskward.core import rbac, tabular
from riskward.core.forms import OrgModelForm
from riskward.core.listing import ListSpec, run_list
from riskward.core.middleware import OrgRequest
from riskward.lib.errors import InvalidInput, NotFound

View = Callable[..., HttpResponseBase]


def org_view(cap: rbac.Cap) -> Callable[[View], View]:
    """Login required, a role with `cap` required; DomainErrors become pages by middleware."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            rbac.require(request.user, cap)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@dataclass(frozen=True)
class Resource:
    app: str  # URL namespace
    name: str  # URL name prefix and path segment
    model: type[models.Model]
    form: type[OrgModelForm]
    listing: ListSpec
    create: Callable[..., Any]  # (org, actor, data) -> row
    update: Callable[..., Any]  # (org, actor, row, data) -> row
    delete: Callable[..., None]  # (org, actor, row)
    detail_fields: Sequence[str] = ()
    detail_template: str = "records/detail.html"
    list_template: str = "records/list.html"
    detail_context: Callable[[HttpRequest, Any], dict[str, Any]] | None = None
    list_context: Callable[[HttpRequest], dict[str, Any]] | None = None  # full page only
    list_actions: Sequence[tuple[str, str]] = ()  # (url name, label) shown above the table

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def url(self, action: str, *args: Any) -> str:
        return reverse(f"{self.app}:{self.name}_{action}", args=args)

    def rows(self, request: OrgRequest) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(organization=request.org)

    def get(self, request: OrgRequest, pk: int) -> Any:
        row = self.rows(request).filter(pk=pk).first()
        if row is None:
            raise NotFound(f"No such {self.verbose_name}.")
        return row


def _base_context(resource: Resource) -> dict[str, Any]:
    return {"resource": resource, "app": resource.app}


@org_view(rbac.Cap.VIEW_RECORDS)
def record_list(request: OrgRequest, resource: Resource) -> HttpResponse:
    listed = run_list(resource.rows(request), resource.listing, request.GET, request.org)
    context = {
        **_base_context(resource),
        "listed": listed,
        "can_create": rbac.can_edit(request.user),
        "transfer": tabular.table_for_model(resource.model),
        "can_import": rbac.has_cap(request.user, rbac.Cap.IMPORT),
    }
    if request.htmx:  # filters, sort and pages swap the table alone
        return render(request, "records/_table.html", context)
    if resource.list_context is not None:
        context.update(resource.list_context(request))
    return render(request, resource.list_template, context)


@org_view(rbac.Cap.VIEW_RECORDS)
def record_detail(request: OrgRequest, resource: Resource, pk: int) -> HttpResponse:
    row = resource.get(request, pk)
    fields = [(row._meta.get_field(name), _display(row, name)) for name in resource.detail_fields]
    context = {
        **_base_context(resource),
        "row": row,
        "fields": fields,
        "can_edit": rbac.can_edit(request.user, row),
        "can_delete": rbac.has_cap(request.user, rbac.Cap.EDIT_RECORDS),
    }
    if resource.detail_context is not None:
        context.update(resource.detail_context(request, row))
    return render(request, resource.detail_template, context)


def _display(row: models.Model, name: str) -> Any:
    getter = getattr(row, f"get_{name}_display", None)
    if callable(getter):
        return getter()
    value = getattr(row, name)
    if isinstance(value, models.Manager):
        return ", ".join(str(item) for item in value.all())
    return value


def submit_form(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    template: str,
    context: dict[str, Any],
    next_url: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """The one way a form reaches a service: on a valid POST call `save(data)`; a domain error
    goes back onto the form, next to the field it names; success redirects (to `next_url(saved)`
    or the saved row's page) with a message."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.service_data())
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, success(saved))
            return redirect(next_url(saved) if next_url else saved.get_absolute_url())
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


def _save_form(request: OrgRequest, resource: Resource, row: Any | None) -> HttpResponse:
    # The form writes its input onto its instance while validating; give it a copy so the
    # service (and the audit trail's "before") sees the row as stored.
    bound = copy.copy(row) if row is not None else None
    form = resource.form(
        request.POST or None, request.FILES or None, instance=bound, org=request.org
    )

    def save(data: dict[str, Any]) -> Any:
        if row is None:
            return resource.create(request.org, request.user, data)
        return resource.update(request.org, request.user, row, data)

    return submit_form(
        request,
        form,
        save,
        lambda saved: f"Saved {resource.verbose_name} “{saved}”.",
        "records/form.html",
        {**_base_context(resource), "row": row},
        next_url=lambda saved: resource.url("detail", saved.pk),
    )


@org_view(rbac.Cap.VIEW_RECORDS)
def record_create(request: OrgRequest, resource: Resource) -> HttpResponse:
    rbac.require_edit(request.user)
    return _save_form(request, resource, None)


@org_view(rbac.Cap.VIEW_RECORDS)
def record_edit(request: OrgRequest, resource: Resource, pk: int) -> HttpResponse:
    row = resource.get(request, pk)
    rbac.require_edit(request.user, row)
    return _save_form(request, resource, row)


@org_view(rbac.Cap.VIEW_RECORDS)
def record_delete(request: OrgRequest, resource: Resource, pk: int) -> HttpResponse:
    row = resource.get(request, pk)
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)
    if request.method == "POST":
        try:
            resource.delete(request.org, request.user, row)
        except InvalidInput as error:
            messages.error(request, error.message)
            return redirect(resource.url("detail", row.pk))
        messages.success(request, f"Deleted {resource.verbose_name} “{row}”.")
        return redirect(resource.url("list"))
    return render(request, "records/confirm_delete.html", {**_base_context(resource), "row": row})


def resource_urls(resource: Resource) -> list[URLPattern]:
    base = resource.name.replace("_", "-")
    kw = {"resource": resource}
    return [
        path(f"{base}/", record_list, kw, name=f"{resource.name}_list"),
        path(f"{base}/new/", record_create, kw, name=f"{resource.name}_create"),
        path(f"{base}/<int:pk>/", record_detail, kw, name=f"{resource.name}_detail"),
        path(f"{base}/<int:pk>/edit/", record_edit, kw, name=f"{resource.name}_edit"),
        path(f"{base}/<int:pk>/delete/", record_delete, kw, name=f"{resource.name}_delete"),
    ]
