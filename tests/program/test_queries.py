from __future__ import annotations

from datetime import date

import pytest

from riskward.program import queries
from riskward.program.models import DrillAction, TrainingSession


def _train(org, held_on, invited=10, completed=5, topic="Awareness"):
    return TrainingSession.objects.create(
        organization=org, held_on=held_on, topic=topic, invited=invited, completed=completed
    )


def test_quarter_bounds():
    assert queries.quarter_bounds(2024, 1) == (date(2024, 1, 1), date(2024, 3, 31))
    assert queries.quarter_bounds(2024, 2) == (date(2024, 4, 1), date(2024, 6, 30))
    assert queries.quarter_bounds(2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))


def test_quarters_sum_sessions_and_flag_past_gaps(org):
    _train(org, date(2024, 1, 15), invited=100, completed=90)
    _train(org, date(2024, 3, 31), invited=20, completed=10)  # last day of Q1
    _train(org, date(2024, 10, 1), invited=50, completed=50)  # first day of Q4
    quarters = queries.training_by_quarter(org, 2024, today=date(2025, 2, 1))
    q1, q2, _, q4 = quarters
    assert [q.label for q in quarters] == ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"]
    assert (len(q1.sessions), q1.invited, q1.completed) == (2, 120, 100)
    assert q1.completion_rate == pytest.approx(100 / 120)
    assert [q.state for q in quarters] == ["trained", "gap", "gap", "trained"]
    assert [q.gap for q in quarters] == [False, True, True, False]
    assert q2.completion_rate is None
    assert q4.completion_rate == 1.0


def test_future_quarters_are_not_gaps_and_the_current_one_is_still_open(org):
    _train(org, date(2024, 2, 1))
    quarters = queries.training_by_quarter(org, 2024, today=date(2024, 5, 10))
    assert [q.state for q in quarters] == ["trained", "open", "future", "future"]
    assert not any(q.gap for q in quarters)


def test_the_quarter_becomes_a_gap_the_day_after_it_ends(org):
    on_last_day = queries.training_by_quarter(org, 2024, today=date(2024, 6, 30))
    day_after = queries.training_by_quarter(org, 2024, today=date(2024, 7, 1))
    assert (on_last_day[1].state, day_after[1].state) == ("open", "gap")
    assert on_last_day[0].gap and day_after[0].gap


def test_a_whole_future_year_has_no_gaps(org):
    quarters = queries.training_by_quarter(org, 2030, today=date(2024, 5, 10))
    assert {q.state for q in quarters} == {"future"}


def test_other_years_and_organizations_are_left_out(org, other_org):
    _train(org, date(2023, 12, 31))
    _train(org, date(2025, 1, 1))
    _train(other_org, date(2024, 5, 1))
    quarters = queries.training_by_quarter(org, 2024, today=date(2025, 6, 1))
    assert all(q.gap for q in quarters)


def test_training_by_quarter_is_one_query(org, django_assert_num_queries):
    for month in range(1, 13):
        _train(org, date(2024, month, 10))
    with django_assert_num_queries(1):
        quarters = queries.training_by_quarter(org, 2024, today=date(2025, 1, 1))
        assert sum(len(q.sessions) for q in quarters) == 12


def test_training_years_include_the_current_year(org, other_org):
    _train(org, date(2022, 5, 1))
    _train(org, date(2022, 9, 1))
    _train(other_org, date(2019, 1, 1))
    assert queries.training_years(org, date(2024, 1, 1)) == [2024, 2022]


def test_drill_actions_due_within_the_window(org, drill, rita):
    def make(title, due_on, status="open", completed_on=None):
        return DrillAction.objects.create(
            organization=org,
            drill=drill,
            title=title,
            due_on=due_on,
            status=status,
            completed_on=completed_on,
            owner=rita,
        )

    late = make("late", date(2024, 6, 1))
    soon = make("soon", date(2024, 7, 30))
    make("later", date(2024, 8, 1))
    make("done", date(2024, 6, 1), "done", date(2024, 6, 2))
    make("undated", None)
    due = queries.drill_actions_due(org, date(2024, 7, 1), within_days=29)
    assert due == [late, soon]
