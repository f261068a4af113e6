"""Who may do what. One table of capabilities per role, plus the risk owner's own records.

Every view and API endpoint asks `can()` or `require()`; nothing else decides access.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from riskward.core.models import Role
from riskward.lib.errors import NotFound, PermissionDenied


class Cap(StrEnum):
    VIEW_RECORDS = "view_records"  # every register and detail page
    EDIT_RECORDS = "edit_records"  # create, change, delete any record of the organization
    EDIT_OWN = "edit_own"  # change records the user owns (risks, treatment actions)
    VIEW_AUDIT = "view_audit"  # read and export the audit trail
    VIEW_DASHBOARD = "view_dashboard"  # dashboard and board reports
    IMPORT = "import"  # bulk imports
    MANAGE_ORG = "manage_org"  # organization profile, users
    VIEW_DISCLOSURE = "view_disclosure"  # read SEC disclosures, their evidence and outputs
    APPROVE_DISCLOSURE = "approve_disclosure"  # approve an SEC disclosure and mark it filed


ROLE_CAPS: dict[str, frozenset[Cap]] = {
    Role.ADMIN: frozenset(Cap),
    Role.SECURITY_MANAGER: frozenset(
        {
            Cap.VIEW_RECORDS,
            Cap.EDIT_RECORDS,
            Cap.EDIT_OWN,
            Cap.VIEW_AUDIT,
            Cap.VIEW_DASHBOARD,
            Cap.IMPORT,
            Cap.VIEW_DISCLOSURE,
        }
    ),
    Role.RISK_OWNER: frozenset({Cap.VIEW_RECORDS, Cap.EDIT_OWN, Cap.VIEW_DASHBOARD}),
    Role.AUDITOR: frozenset(
        {Cap.VIEW_RECORDS, Cap.VIEW_AUDIT, Cap.VIEW_DASHBOARD, Cap.VIEW_DISCLOSURE}
    ),
    Role.BOARD_MEMBER: frozenset({Cap.VIEW_DASHBOARD, Cap.VIEW_DISCLOSURE}),
}


def has_cap(user: Any, cap: Cap) -> bool:
    if not getattr(user, "is_authenticated", False) or user.organization_id is None:
        return False
    return cap in ROLE_CAPS.get(user.role, frozenset())


def owns(user: Any, obj: Any) -> bool:
    """True when the record says this user's person owns it (`is_owned_by` on the model)."""
    check = getattr(obj, "is_owned_by", None)
    return bool(check and check(user))


def can_edit(user: Any, obj: Any | None = None) -> bool:
    """Edit any record with EDIT_RECORDS; a risk owner edits only what they own."""
    if has_cap(user, Cap.EDIT_RECORDS):
        return True
    return obj is not None and has_cap(user, Cap.EDIT_OWN) and owns(user, obj)


def require(user: Any, cap: Cap) -> None:
    if not has_cap(user, cap):
        raise PermissionDenied("Your role does not allow this.")


def require_edit(user: Any, obj: Any | None = None) -> None:
    if not can_edit(user, obj):
        raise PermissionDenied("Your role does not allow changing this record.")


def require_same_org(user: Any, obj: Any) -> None:
    """Another organization's record is reported as missing, never as forbidden."""
    if getattr(obj, "organization_id", None) != user.organization_id:
        raise NotFound("No such record.")
