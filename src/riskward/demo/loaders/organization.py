"""The organization, its logins, ERM categories, departments and people."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from riskward.core import services as core
from riskward.core.models import Department, ErmCategory, Organization, Person, User
from riskward.demo.data import organization as data
from riskward.demo.loaders.context import Demo
from riskward.lib.errors import Conflict


def organization() -> tuple[Organization, bool]:
    """The demo organization, created on the first load (returns it and whether it is new)."""
    org = Organization.objects.filter(legal_name=data.ORGANIZATION["legal_name"]).first()
    if org is not None:
        return org, False
    return core.create_organization(None, data.ORGANIZATION), True


def refresh_profile(demo: Demo) -> None:
    """Bring a changed profile back to the demo's, without an audit event when nothing changed."""
    wanted = dict(data.ORGANIZATION)
    wanted["materiality_threshold"] = Decimal(str(wanted["materiality_threshold"]))
    if any(getattr(demo.org, name) != value for name, value in wanted.items()):
        core.update_organization(demo.actor, demo.org, wanted)


def logins(org: Organization) -> dict[str, User]:
    """One login per role; an existing login of the demo organization is kept as it is."""
    made: dict[str, User] = {}
    admin: User | None = None
    for username, role, _person in data.LOGINS:
        user = User.objects.filter(username=username).first()
        if user is not None and user.organization_id != org.pk:
            raise Conflict(
                f"username {username!r} already belongs to another organization; "
                "rename it before loading the demo",
                "username",
            )
        if user is None:
            user = core.create_user(
                org, admin, username=username, role=role, password=data.DEMO_PASSWORD
            )
        made[username] = user
        admin = admin or user
    return made


def categories(demo: Demo) -> None:
    for name, description in data.ERM_CATEGORIES:
        demo.categories[name] = demo.upsert(
            ErmCategory,
            {"name": name},
            {"description": description},
            core.create_erm_category,
            core.update_erm_category,
        )


def departments(demo: Demo) -> None:
    for name, responsibilities, _head in data.DEPARTMENTS:
        demo.departments[name] = demo.upsert(
            Department,
            {"name": name},
            {"responsibilities": responsibilities},
            core.create_department,
            core.update_department,
        )


def people(demo: Demo, users: dict[str, User]) -> None:
    user_of = {person: users[username] for username, _role, person in data.LOGINS if person}
    for name, title, department, email in data.PEOPLE:
        values: dict[str, Any] = {
            "title": title,
            "email": f"{email}@{data.EMAIL_DOMAIN}",
            "department": demo.departments[department] if department else None,
            "pronoun": data.PRONOUNS.get(name, ""),
        }
        if name in user_of:
            values["user"] = user_of[name]
        demo.people[name] = demo.upsert(
            Person, {"name": name}, values, core.create_person, core.update_person
        )
    for name, _responsibilities, head in data.DEPARTMENTS:
        department = demo.departments[name]
        if department.head_id != demo.people[head].pk:
            core.update_department(demo.org, demo.actor, department, {"head": demo.people[head]})


def load(demo: Demo, users: dict[str, User]) -> None:
    refresh_profile(demo)
    categories(demo)
    departments(demo)
    people(demo, users)
