"""The risk register from `data/risks.csv` and `data/actions.csv`, and one approved acceptance."""

from __future__ import annotations

from typing import Any

from riskward.demo import tables
from riskward.demo.loaders.context import Demo
from riskward.risks import services
from riskward.risks.models import Risk, TreatmentAction

ACCEPTANCE_DAYS = 150  # the approved acceptance runs out about five months after the load
# Who asks to accept a risk and who approves it (never the same person).
REQUESTER, APPROVER = "riskowner", "secmgr"


def _ratings(row: dict[str, str]) -> dict[str, int | None]:
    names = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
    return {name: tables.optional_int(row[name]) for name in names}


def _risk_data(demo: Demo, row: dict[str, str]) -> dict[str, Any]:
    reviewed = tables.optional_int(row["last_reviewed_days_ago"])
    return {
        "title": row["title"],
        "description": row["description"],
        "threat_source": row["threat_source"],
        "threat": row["threat"],
        "emerging": tables.yes(row["emerging"]),
        "erm_category": demo.categories[row["erm_category"]],
        "owner": demo.people[row["owner"]],
        **_ratings(row),
        "treatment_plan": row["treatment_plan"],
        "review_interval_days": int(row["review_interval_days"]),
        "last_reviewed_on": demo.days_ago(reviewed) if reviewed is not None else None,
        "assets": [demo.assets[name] for name in tables.split(row["assets"])],
        "controls": [demo.controls[ref] for ref in tables.split(row["controls"])],
    }


def _accept(demo: Demo, risk: Risk, justification: str) -> None:
    """Request by the owner, approval by the head of R&D: the state machine, not a status."""
    if risk.acceptances.exists():
        return
    acceptance = services.request_acceptance(
        demo.org,
        demo.users[REQUESTER],
        risk,
        {"justification": justification, "expires_on": demo.days_ahead(ACCEPTANCE_DAYS)},
    )
    services.approve_acceptance(
        demo.org,
        demo.users[APPROVER],
        acceptance,
        {"decision_note": "Within appetite with the compensating controls; review at expiry."},
    )
    demo.created += 1


def load_risks(demo: Demo) -> None:
    for row in tables.read("risks"):
        accepted = row["status"] == Risk.Status.ACCEPTED
        data = _risk_data(demo, row)
        if not accepted:  # an accepted risk gets its treatment from the approval below
            data["treatment"] = row["treatment"]
        risk = demo.upsert(
            Risk,
            {"reference": row["reference"]},
            data,
            services.create_risk,
            services.update_risk,
            # A risk becomes accepted only through an approved acceptance.
            initial={"status": Risk.Status.ASSESSED if accepted else row["status"]},
        )
        demo.risks[row["reference"]] = risk
        if accepted:
            _accept(demo, risk, row["treatment_plan"])


def load_actions(demo: Demo) -> None:
    for row in tables.read("actions"):
        due_on = demo.days_ahead(int(row["due_in_days"]))
        done = row["status"] == TreatmentAction.Status.DONE
        demo.upsert(
            TreatmentAction,
            {"risk": demo.risks[row["risk"]], "title": row["title"]},
            {
                "owner": demo.people[row["owner"]],
                "due_on": due_on,
                "status": row["status"],
                "completed_on": min(due_on, demo.today) if done else None,
            },
            services.create_action,
            services.update_action,
        )


def load(demo: Demo) -> None:
    load_risks(demo)
    load_actions(demo)
