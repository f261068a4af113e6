"""API schemas for the organization, people, departments and ERM categories."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterSchema, ModelSchema
from ninja.filter_schema import FilterLookup
from pydantic import ConfigDict

from riskward.core.models import Department, ErmCategory, Organization, Person, User


class Forbid:
    model_config = ConfigDict(extra="forbid")


class MeOut(ModelSchema):
    class Meta:
        model = User
        fields = ["id", "username", "role", "organization"]


class OrganizationOut(ModelSchema):
    class Meta:
        model = Organization
        fields = [
            "id",
            "legal_name",
            "short_name",
            "cik",
            "filer_type",
            "fiscal_year_end_month",
            "fiscal_year_end_day",
            "reporting_currency",
            "materiality_threshold",
            "risk_appetite",
        ]


class OrganizationPatch(Forbid, ModelSchema):
    class Meta:
        model = Organization
        fields = [
            "legal_name",
            "short_name",
            "cik",
            "filer_type",
            "fiscal_year_end_month",
            "fiscal_year_end_day",
            "reporting_currency",
            "materiality_threshold",
            "risk_appetite",
        ]
        fields_optional = "__all__"


PERSON_FIELDS = ["name", "title", "email", "department", "pronoun"]


class PersonOut(ModelSchema):
    class Meta:
        model = Person
        fields = ["id", *PERSON_FIELDS, "user"]


class PersonIn(Forbid, ModelSchema):
    class Meta:
        model = Person
        fields = PERSON_FIELDS


class PersonPatch(Forbid, ModelSchema):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        fields_optional = "__all__"


class PersonFilter(FilterSchema):
    department: int | None = None


DEPARTMENT_FIELDS = ["name", "description", "responsibilities", "head"]


class DepartmentOut(ModelSchema):
    class Meta:
        model = Department
        fields = ["id", *DEPARTMENT_FIELDS]


class DepartmentIn(Forbid, ModelSchema):
    class Meta:
        model = Department
        fields = DEPARTMENT_FIELDS


class DepartmentPatch(Forbid, ModelSchema):
    class Meta:
        model = Department
        fields = DEPARTMENT_FIELDS
        fields_optional = "__all__"


class NameFilter(FilterSchema):
    name: Annotated[str | None, FilterLookup("name__icontains")] = None


class ErmCategoryOut(ModelSchema):
    class Meta:
        model = ErmCategory
        fields = ["id", "name", "description"]


class ErmCategoryIn(Forbid, ModelSchema):
    class Meta:
        model = ErmCategory
        fields = ["name", "description"]


class ErmCategoryPatch(Forbid, ModelSchema):
    class Meta:
        model = ErmCategory
        fields = ["name", "description"]
        fields_optional = "__all__"
