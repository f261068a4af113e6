"""Quarterly training since 2023 and the drills with their follow-up actions."""

from __future__ import annotations

from datetime import date

from riskward.demo.data.program import DRILLS, TRAINING
from riskward.demo.loaders.context import Demo
from riskward.program import services
from riskward.program.models import Drill, DrillAction, TrainingSession

Session = tuple[date, str, str, int, int, str]


def training_sessions(today: date) -> list[Session]:
    """The table's sessions, then the last year's programme repeated each year; none ahead."""
    table: list[Session] = [
        (date.fromisoformat(day), topic, audience, invited, completed, by)
        for day, topic, audience, invited, completed, by in TRAINING
    ]
    last_year = table[-1][0].year
    template = [row for row in table if row[0].year == last_year]
    rows = list(table)
    for year in range(last_year + 1, today.year + 1):
        for held_on, topic, audience, invited, completed, by in template:
            rows.append((held_on.replace(year=year), topic, audience, invited, completed, by))
    return [row for row in rows if row[0] <= today]


def load_training(demo: Demo) -> None:
    for held_on, topic, audience, invited, completed, delivered_by in training_sessions(demo.today):
        demo.upsert(
            TrainingSession,
            {"held_on": held_on, "topic": topic},
            {
                "audience": audience,
                "invited": invited,
                "completed": completed,
                "delivered_by": delivered_by,
            },
            services.create_training_session,
            services.update_training_session,
        )


def load_drills(demo: Demo) -> None:
    for spec in DRILLS:
        drill = demo.upsert(
            Drill,
            {"title": spec["title"], "held_on": date.fromisoformat(spec["held_on"])},
            {
                "organizer_kind": spec["organizer_kind"],
                "organizer": spec["organizer"],
                "scenario": spec["scenario"],
                "participants": [demo.people[name] for name in spec["participants"]],
                "participant_count": spec["participant_count"],
                "findings": spec["findings"],
            },
            services.create_drill,
            services.update_drill,
        )
        for title, owner, due, status in spec["actions"]:
            due_on = date.fromisoformat(due)
            demo.upsert(
                DrillAction,
                {"drill": drill, "title": title},
                {
                    "owner": demo.people[owner],
                    "due_on": due_on,
                    "status": status,
                    "completed_on": due_on if status == DrillAction.Status.DONE else None,
                },
                services.create_drill_action,
                services.update_drill_action,
            )


def load(demo: Demo) -> None:
    load_training(demo)
    load_drills(demo)
