"""The disclosure workflow's steps, in one table for the pages and the API: which service a
step calls, which capability it needs, and what the page says once it is done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from riskward.core import rbac
from riskward.core.models import Organization
from riskward.disclosure import outputs, services
from riskward.disclosure.models import DisclosureVersion
from riskward.lib.errors import InvalidInput


@dataclass(frozen=True)
class Step:
    call: Callable[[Organization, Any, DisclosureVersion], Any]
    cap: rbac.Cap
    done: str  # the message a page shows after the step


STEPS: dict[str, Step] = {
    "refresh": Step(
        services.refresh_from_record, rbac.Cap.EDIT_RECORDS, "Recomputed from the record."
    ),
    "check": Step(services.check_version, rbac.Cap.EDIT_RECORDS, "Checked the claims."),
    "submit": Step(services.submit_for_review, rbac.Cap.EDIT_RECORDS, "Sent for review."),
    "approve": Step(services.approve, rbac.Cap.APPROVE_DISCLOSURE, "Approved and frozen."),
    "new-version": Step(
        services.new_version, rbac.Cap.EDIT_RECORDS, "Started a new draft version."
    ),
    "validate": Step(outputs.validate, rbac.Cap.EDIT_RECORDS, "Validated with Arelle."),
}


def step_named(name: str) -> Step:
    """The step called `name`, or an error that lists the steps there are."""
    found = STEPS.get(name)
    if found is None:
        raise InvalidInput(f"step: expected one of {', '.join(STEPS)}, not {name!r}", "step")
    return found
