from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from riskward.core import rbac, services
from riskward.core.api_crud import register_crud
from riskward.core.models import Department, ErmCategory, Person
from riskward.core.resources import DEPARTMENT, ERM_CATEGORY, PERSON
from riskward.core.schemas import (
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    ErmCategoryIn,
    ErmCategoryOut,
    ErmCategoryPatch,
    MeOut,
    NameFilter,
    OrganizationOut,
    OrganizationPatch,
    PersonFilter,
    PersonIn,
    PersonOut,
    PersonPatch,
)

router = Router(tags=["core"])


@router.get("/me", response=MeOut, operation_id="get_me")
def me(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/organization", response=OrganizationOut, operation_id="get_organization")
def get_organization(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    rbac.require(user, rbac.Cap.VIEW_DASHBOARD)
    return user.organization


@router.patch("/organization", response=OrganizationOut, operation_id="update_organization")
def update_organization(request: HttpRequest, payload: OrganizationPatch) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    rbac.require(user, rbac.Cap.MANAGE_ORG)
    return services.update_organization(user, user.organization, payload.dict(exclude_unset=True))


register_crud(
    router,
    name="person",
    path="people",
    model=Person,
    out=PersonOut,
    create_in=PersonIn,
    patch_in=PersonPatch,
    filter_schema=PersonFilter,
    listing=PERSON.listing,
    create=services.create_person,
    update=services.update_person,
    delete=services.delete_person,
)
register_crud(
    router,
    name="department",
    model=Department,
    out=DepartmentOut,
    create_in=DepartmentIn,
    patch_in=DepartmentPatch,
    filter_schema=NameFilter,
    listing=DEPARTMENT.listing,
    create=services.create_department,
    update=services.update_department,
    delete=services.delete_department,
)
register_crud(
    router,
    name="erm_category",
    path="erm-categories",
    model=ErmCategory,
    out=ErmCategoryOut,
    create_in=ErmCategoryIn,
    patch_in=ErmCategoryPatch,
    filter_schema=NameFilter,
    listing=ERM_CATEGORY.listing,
    create=services.create_erm_category,
    update=services.update_erm_category,
    delete=services.delete_erm_category,
)
