"""Register pages for people, departments and ERM categories."""

from __future__ import annotations

from riskward.core import services
from riskward.core.forms import OrgModelForm
from riskward.core.listing import Column, ListSpec, related_filter
from riskward.core.models import Department, ErmCategory, Person
from riskward.core.records import Resource


class PersonForm(OrgModelForm):
    class Meta:
        model = Person
        fields = ["name", "title", "email", "department", "user", "pronoun"]


class DepartmentForm(OrgModelForm):
    class Meta:
        model = Department
        fields = ["name", "description", "responsibilities", "head"]


class ErmCategoryForm(OrgModelForm):
    class Meta:
        model = ErmCategory
        fields = ["name", "description"]


PERSON = Resource(
    app="core",
    name="person",
    model=Person,
    form=PersonForm,
    listing=ListSpec(
        columns=[
            Column("name", "Name", sort="name", link=True),
            Column("title", "Title", sort="title"),
            Column("department", "Department", sort="department__name"),
            Column("email", "Email"),
        ],
        filters=[related_filter(Person, "department")],
        search=["name", "title", "email"],
        default_sort="name",
        select_related=["department"],
    ),
    create=services.create_person,
    update=services.update_person,
    delete=services.delete_person,
    detail_fields=["name", "title", "email", "department", "user", "pronoun"],
)

DEPARTMENT = Resource(
    app="core",
    name="department",
    model=Department,
    form=DepartmentForm,
    listing=ListSpec(
        columns=[
            Column("name", "Name", sort="name", link=True),
            Column("head", "Head"),
            Column("responsibilities", "Responsibilities"),
        ],
        search=["name", "responsibilities"],
        default_sort="name",
        select_related=["head"],
    ),
    create=services.create_department,
    update=services.update_department,
    delete=services.delete_department,
    detail_fields=["name", "description", "responsibilities", "head"],
)

ERM_CATEGORY = Resource(
    app="core",
    name="erm_category",
    model=ErmCategory,
    form=ErmCategoryForm,
    listing=ListSpec(
        columns=[
            Column("name", "Name", sort="name", link=True),
            Column("description", "Description"),
        ],
        search=["name"],
        default_sort="name",
    ),
    create=services.create_erm_category,
    update=services.update_erm_category,
    delete=services.delete_erm_category,
    detail_fields=["name", "description"],
)
