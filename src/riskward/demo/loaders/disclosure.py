"""The FY2024 annual disclosure, drafted from the demo's record, approved and filed; and a
draft report for each material incident.

Created once: after that they move only through their own workflow (a user may start version 2),
so a later load never forces them back.
"""

from __future__ import annotations

from datetime import date, datetime

from riskward.demo.data import disclosure as data
from riskward.demo.loaders.context import Demo
from riskward.disclosure import services
from riskward.disclosure.models import Disclosure
from riskward.incidents.models import Incident

FISCAL_YEAR = 2024


def load(demo: Demo) -> None:
    load_fy2024(demo)
    load_incident_reports(demo)


def load_incident_reports(demo: Demo) -> None:
    """A draft report for each material incident that has none (the security manager's)."""
    reports = Disclosure.objects.for_org(demo.org).filter(incident__isnull=False)
    pending = (
        Incident.objects.for_org(demo.org)
        .filter(material=True)
        .exclude(pk__in=reports.values("incident"))
    )
    for incident in pending:
        services.start_incident_report(demo.org, demo.users["secmgr"], incident)
        demo.created += 2


def load_fy2024(demo: Demo) -> None:
    annual = Disclosure.objects.for_org(demo.org).filter(incident__isnull=True)
    if annual.filter(fiscal_year=FISCAL_YEAR).exists():
        return
    preparer, approver = demo.users["secmgr"], demo.users["admin"]
    version = services.start_annual(demo.org, preparer, FISCAL_YEAR, data.FY2024_RISK_FACTORS)
    version = services.submit_for_review(demo.org, preparer, version)
    approved_at = datetime.fromisoformat(data.FY2024_APPROVED_AT)
    version = services.approve(demo.org, approver, version, approved_at)
    filed = data.FY2024_FILED
    services.mark_filed(
        demo.org,
        approver,
        version,
        date.fromisoformat(filed["filed_on"]),
        filed["accession_number"],
    )
    demo.created += 2
