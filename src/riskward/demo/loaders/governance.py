"""The board and audit committee, their yearly reports, policies and responsibilities."""

from __future__ import annotations

from datetime import date
from typing import Any

from riskward.controls.models import Evidence
from riskward.demo.data import governance as data
from riskward.demo.loaders.context import Demo
from riskward.demo.loaders.controls import link
from riskward.governance import services
from riskward.governance.models import (
    Committee,
    CommitteeMembership,
    CommitteeReport,
    Meeting,
    Policy,
    ResponsibilityAssignment,
)


def load_committees(demo: Demo) -> None:
    for spec in data.COMMITTEES:
        values = dict(spec)
        name, parent = values.pop("name"), values.pop("parent")
        values["parent"] = demo.committees[parent] if parent else None
        demo.committees[name] = demo.upsert(
            Committee, {"name": name}, values, services.create_committee, services.update_committee
        )
    for committee, person, role in data.MEMBERS:
        demo.upsert(
            CommitteeMembership,
            {"committee": demo.committees[committee], "person": demo.people[person]},
            {"role": role},
            services.create_membership,
            services.update_membership,
        )


def report_days(today: date) -> list[tuple[int, Any]]:
    """(year, report spec) for every yearly report whose date has come."""
    return [
        (year, spec)
        for year in range(data.FIRST_REPORT_YEAR, today.year + 1)
        for spec in data.YEARLY_REPORTS
        if date(year, *spec[0]) <= today
    ]


def load_reports(demo: Demo) -> None:
    """Each report is presented at a meeting of the committee on that day."""
    for year, (month_day, committee_name, department, person, title, topics) in report_days(
        demo.today
    ):
        committee, held_on = demo.committees[committee_name], date(year, *month_day)
        meeting = demo.upsert(
            Meeting,
            {"committee": committee, "held_on": held_on},
            {"agenda": "Cybersecurity oversight: reports from management and assurance."},
            services.create_meeting,
            services.update_meeting,
        )
        demo.upsert(
            CommitteeReport,
            {"committee": committee, "title": title.format(year=year)},
            {
                "presented_on": held_on,
                "from_department": demo.departments[department] if department else None,
                "from_person": demo.people[person],
                "topics": topics,
                "meeting": meeting,
            },
            services.create_committee_report,
            services.update_committee_report,
        )


def load_policies(demo: Demo) -> None:
    for title, owner, version, approved_days_ago, months, path in data.POLICIES:
        approved_on = demo.days_ago(approved_days_ago)
        document: Evidence = link(demo, f"{title} v{version}", path, approved_on, None)
        demo.upsert(
            Policy,
            {"title": title},
            {
                "owner": demo.people[owner],
                "version": version,
                "status": Policy.Status.APPROVED,
                "approved_on": approved_on,
                "approved_by": demo.committees[data.AUDIT_COMMITTEE],
                "review_interval_months": months,
                "document": document,
            },
            services.create_policy,
            services.update_policy,
        )


def load_responsibilities(demo: Demo) -> None:
    for spec in data.RESPONSIBILITIES:
        values: dict[str, Any] = dict(spec)
        person = demo.people[values.pop("person")]
        if "reports_to_committee" in values:
            values["reports_to_committee"] = demo.committees[values["reports_to_committee"]]
        if "reports_to_person" in values:
            values["reports_to_person"] = demo.people[values["reports_to_person"]]
        demo.upsert(
            ResponsibilityAssignment,
            {"person": person, "title": values.pop("title")},
            values,
            services.create_responsibility,
            services.update_responsibility,
        )


def load(demo: Demo) -> None:
    load_committees(demo)
    load_reports(demo)
    load_policies(demo)
    load_responsibilities(demo)
