"""How every CLI verb finds the organization and the acting user it was given."""

from __future__ import annotations

from django.core.management.base import CommandError

from riskward.core import rbac
from riskward.core.models import Organization, User


def organization_named(name: str) -> Organization:
    """An organization by legal name, short name or id, as every CLI verb accepts it."""
    query = Organization.objects.filter(legal_name=name) | Organization.objects.filter(
        short_name=name
    )
    if name.isdigit():
        query = query | Organization.objects.filter(pk=int(name))
    org = query.first()
    if org is None:
        raise CommandError(f"no organization named {name!r}")
    return org


def acting_user(org: Organization, username: str | None, cap: rbac.Cap) -> User | None:
    """The login the audit trail names (--as); without it the change is recorded as "system"."""
    if not username:
        return None
    user = User.objects.filter(username=username, organization=org).first()
    if user is None:
        raise CommandError(f"no user {username!r} in {org}")
    if not rbac.has_cap(user, cap):
        raise CommandError(f"{username} ({user.get_role_display()}) may not do this")
    return user
