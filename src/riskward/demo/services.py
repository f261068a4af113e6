"""Loading the demo program: Demo Holdings Ltd., the company the seed disclosure describes.

Every record goes through its app's service (validated, audited, the admin login as actor) and is
found again by its natural key, so loading twice changes nothing and duplicates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from riskward.core.models import Organization
from riskward.demo.data.organization import DEMO_PASSWORD, LOGINS
from riskward.demo.loaders import (
    assets,
    controls,
    disclosure,
    governance,
    incidents,
    program,
    quantification,
    risks,
)
from riskward.demo.loaders import organization as org_loader
from riskward.demo.loaders.context import Demo


@dataclass(frozen=True)
class Loaded:
    """What a load did, for the command to print."""

    organization: Organization
    new: bool
    created: int
    updated: int
    logins: list[tuple[str, str]]  # (username, role label)
    password: str


@transaction.atomic
def load_demo() -> Loaded:
    """Create or refresh the demo program; the dates of running work are relative to today.

    Today, not a given day: the apps' services refuse reviews and completions in the future.
    """
    org, new = org_loader.organization()
    users = org_loader.logins(org)
    demo = Demo(org=org, actor=users["admin"], today=timezone.localdate(), users=users)
    org_loader.load(demo, users)
    assets.load(demo)
    controls.load(demo)
    risks.load(demo)
    governance.load(demo)
    program.load(demo)
    incidents.load(demo)
    quantification.load(demo)
    disclosure.load(demo)
    return Loaded(
        organization=org,
        new=new,
        created=demo.created,
        updated=demo.updated,
        logins=[(name, users[name].get_role_display()) for name, _role, _person in LOGINS],
        password=DEMO_PASSWORD,
    )
