"""The FY2024 annual disclosure, drafted from the demo's record, approved and filed.

Created once: after that it moves only through its own workflow (a user may start version 2),
so a later load never forces it back.
"""

from __future__ import annotations

from datetime import date, datetime

from riskward.demo.data import disclosure as data
from riskward.demo.loaders.context import Demo
from riskward.disclosure import services
from riskward.disclosure.models import Disclosure

FISCAL_YEAR = 2024


def load(demo: Demo) -> None:
    if Disclosure.objects.for_org(demo.org).filter(fiscal_year=FISCAL_YEAR).exists():
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
