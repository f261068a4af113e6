"""The five REST endpoints every register gets, wired to the app's services.

Apps call `register_crud()` on their Router with explicit schemas; access is checked per role
and every row is scoped to the caller's organization.
"""

# No `from __future__ import annotations`: ninja reads the schema classes passed in at runtime.
from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from riskward.core import rbac
from riskward.core.listing import ListSpec, search_rows, sort_rows
from riskward.lib.errors import NotFound


def caller(request: HttpRequest, *caps: rbac.Cap) -> Any:
    """The token's user, once their role grants each of `caps` (PermissionDenied otherwise)."""
    user = request.auth  # type: ignore[attr-defined]
    for cap in caps:
        rbac.require(user, cap)
    return user


def get_row(request: HttpRequest, model: type[models.Model], pk: int) -> Any:
    row = model._default_manager.filter(
        pk=pk, organization_id=caller(request).organization_id
    ).first()
    if row is None:
        raise NotFound(f"No {model._meta.verbose_name} with id {pk}.")
    return row


def register_crud(
    router: Router,
    *,
    name: str,
    model: type[models.Model],
    out: type[Schema],
    create_in: type[Schema],
    patch_in: type[Schema],
    filter_schema: type[FilterSchema],
    listing: ListSpec,
    create: Callable[..., Any],
    update: Callable[..., Any],
    delete: Callable[..., None],
    path: str = "",
) -> None:
    base = f"/{path or name.replace('_', '-') + 's'}"
    # Many-to-many ids in the output are fetched in one query per relation, not one per row.
    many = [f.name for f in model._meta.many_to_many if f.name in out.model_fields]
    plural = model._meta.verbose_name_plural

    @router.get(base, response=list[out], operation_id=f"list_{name}", summary=f"List {plural}")  # type: ignore[valid-type]
    @paginate(LimitOffsetPagination)
    def list_rows(
        request: HttpRequest,
        filters: filter_schema = Query(...),  # type: ignore[valid-type,type-arg]
        q: str = "",
        sort: str = "",
    ) -> Any:
        user = caller(request)
        rbac.require(user, rbac.Cap.VIEW_RECORDS)
        rows = model._default_manager.filter(organization_id=user.organization_id)
        rows = filters.filter(rows)  # type: ignore[attr-defined]
        rows = search_rows(rows, listing.search, q[:200])
        rows, _ = sort_rows(rows, listing, sort)
        if listing.select_related:
            rows = rows.select_related(*listing.select_related)
        return rows.prefetch_related(*many)

    @router.get(f"{base}/{{pk}}", response=out, operation_id=f"get_{name}")
    def get_one(request: HttpRequest, pk: int) -> Any:
        rbac.require(caller(request), rbac.Cap.VIEW_RECORDS)
        return get_row(request, model, pk)

    @router.post(base, response={201: out}, operation_id=f"create_{name}")
    def create_one(request: HttpRequest, payload: create_in) -> Any:  # type: ignore[valid-type]
        user = caller(request)
        rbac.require_edit(user)
        return Status(201, create(user.organization, user, payload.dict()))  # type: ignore[attr-defined]

    @router.patch(f"{base}/{{pk}}", response=out, operation_id=f"update_{name}")
    def update_one(request: HttpRequest, pk: int, payload: patch_in) -> Any:  # type: ignore[valid-type]
        user = caller(request)
        rbac.require(user, rbac.Cap.VIEW_RECORDS)
        row = get_row(request, model, pk)
        rbac.require_edit(user, row)
        return update(user.organization, user, row, payload.dict(exclude_unset=True))  # type: ignore[attr-defined]

    @router.delete(f"{base}/{{pk}}", response={204: None}, operation_id=f"delete_{name}")
    def delete_one(request: HttpRequest, pk: int) -> Any:
        user = caller(request)
        rbac.require(user, rbac.Cap.VIEW_RECORDS)
        row = get_row(request, model, pk)
        rbac.require(user, rbac.Cap.EDIT_RECORDS)
        delete(user.organization, user, row)
        return Status(204, None)
