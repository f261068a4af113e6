"""The training chart's geometry: a bar per quarter, gaps drawn and described."""

from __future__ import annotations

from datetime import date

from riskward.dashboard.charts import HEIGHT, MARKER, training_chart
from riskward.program.models import TrainingSession
from riskward.program.queries import QuarterTraining


def quarter(n, state, sessions=()):
    return QuarterTraining(
        2025, n, date(2025, 3 * n - 2, 1), date(2025, 3 * n, 28), state, list(sessions)
    )


def session(invited, completed):
    return TrainingSession(
        held_on=date(2025, 1, 10), topic="T", invited=invited, completed=completed
    )


def test_bar_height_follows_completion_and_a_gap_is_a_stub():
    chart = training_chart(
        [
            quarter(1, "trained", [session(100, 100)]),
            quarter(2, "trained", [session(100, 40), session(100, 60)]),
            quarter(3, "gap"),
            quarter(4, "future"),
        ]
    )
    full, half, gap, future = chart.bars
    assert full.height == chart.baseline - 12  # the whole plot: 100% completed
    assert half.height == full.height / 2
    assert full.y + full.height == half.y + half.height == chart.baseline
    assert (gap.height, gap.state, gap.value) == (MARKER, "gap", "no training")
    assert (future.height, future.value) == (0, "not started")
    assert half.value == "2 sessions, 50% completed"
    assert chart.summary.startswith("Q1 2025: 1 session, 100% completed; Q2 2025:")
    assert all(bar.x + bar.width < chart.width for bar in chart.bars)
    assert chart.height == HEIGHT


def test_session_without_invitation_numbers_still_shows_as_trained():
    (bar,) = training_chart([quarter(1, "trained", [session(0, 0)])]).bars
    assert (bar.height, bar.value) == (MARKER, "1 session, completion not recorded")


def test_grid_lines_are_labelled_0_50_and_100_percent():
    chart = training_chart([quarter(1, "open")])
    assert [label for _y, label in chart.grid] == ["0%", "50%", "100%"]
    assert chart.grid[0][0] == chart.baseline
