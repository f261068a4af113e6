"""Heat maps, top risks, overdue reviews and actions due: what the dashboard reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from riskward.risks import queries, services
from riskward.risks.models import RiskMatrix


def rated(make_risk, lik, imp, res=None, **data):
    if res is not None:
        data.update(residual_likelihood=res[0], residual_impact=res[1])
    return make_risk(inherent_likelihood=lik, inherent_impact=imp, **data)


def test_heatmap_counts_open_rated_risks_per_cell_in_one_query(
    org, users, make_risk, other_org, django_assert_num_queries
):
    rated(make_risk, 5, 5)
    rated(make_risk, 5, 5, res=(2, 3))
    rated(make_risk, 1, 2)
    make_risk()  # unrated: not on the map
    closed = rated(make_risk, 3, 3)
    services.update_risk(org, users["admin"], closed, {"status": "closed"})
    services.create_risk(
        other_org,
        None,
        {"title": "T", "threat_source": "internal", "inherent_likelihood": 5, "inherent_impact": 5},
    )
    matrix = services.default_matrix(org)
    with django_assert_num_queries(1):
        grid = queries.heatmap(org, "inherent", matrix)
    assert len(grid.cells) == 5 and all(len(row) == 5 for row in grid.cells)
    assert grid.cells[4][4].count == 2
    assert (grid.cells[4][4].level, grid.cells[4][4].band) == (5, "Very high")
    assert grid.cells[0][1].count == 1
    assert grid.cells[2][2].count == 0
    assert grid.total == 3


def test_residual_heatmap_places_unrated_residuals_at_their_inherent_cell(make_risk, org):
    rated(make_risk, 5, 5)
    rated(make_risk, 5, 5, res=(2, 3))
    grid = queries.heatmap(org, "residual")
    assert (grid.cells[4][4].count, grid.cells[1][2].count, grid.total) == (1, 1, 2)


def test_heatmap_rows_are_drawn_most_likely_first(make_risk, org):
    rated(make_risk, 5, 1)
    grid = queries.heatmap(org, "inherent")
    label, cells = grid.rows[0]
    assert label == "Almost certain"
    assert [c.count for c in cells] == [1, 0, 0, 0, 0]
    assert grid.impact_labels[-1] == "Severe"


def test_heatmap_of_a_custom_matrix(org, users, make_risk):
    small = services.create_matrix(
        org,
        users["admin"],
        {
            "name": "3x4",
            "likelihood_labels": ["L", "M", "H"],
            "impact_labels": ["a", "b", "c", "d"],
            "levels": [[1, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5]],
        },
    )
    rated(make_risk, 3, 4, matrix=small.pk)
    grid = queries.heatmap(org, "inherent", small)
    assert (len(grid.cells), len(grid.cells[0])) == (3, 4)
    assert (grid.cells[2][3].count, grid.cells[2][3].level) == (1, 5)


def test_heatmap_for_an_organization_without_matrices_writes_nothing(org):
    grid = queries.heatmap(org, "residual")
    assert grid.total == 0 and len(grid.cells) == 5
    assert not RiskMatrix.objects.exists()


def test_heatmap_refuses_an_unknown_kind(org):
    with pytest.raises(ValueError, match="kind"):
        queries.heatmap(org, "current")


def test_risk_cell_marks_the_risks_own_cell(make_risk):
    risk = rated(make_risk, 4, 2, res=(1, 2))
    inherent, residual = queries.risk_cell(risk, "inherent"), queries.risk_cell(risk, "residual")
    assert inherent.cells[3][1].count == 1 and inherent.total == 1
    assert residual.cells[0][1].count == 1 and residual.total == 1
    assert queries.risk_cell(make_risk(), "residual").total == 0


def test_top_risks_rank_by_residual_falling_back_to_inherent(org, users, make_risk):
    low_residual = rated(make_risk, 5, 5, res=(1, 1), title="Treated")
    high_inherent = rated(make_risk, 4, 4, title="Untreated")
    mid = rated(make_risk, 3, 5, res=(3, 3), title="Partly treated")
    make_risk(title="Unrated")
    closed = rated(make_risk, 5, 5, title="Closed")
    services.update_risk(org, users["admin"], closed, {"status": "closed"})
    top = queries.top_risks(org, 10)
    assert [r.title for r in top] == ["Untreated", "Partly treated", "Treated"]
    assert [r.current for r in top] == [16, 9, 1]
    assert [r.pk for r in queries.top_risks(org, 2)] == [high_inherent.pk, mid.pk]
    assert low_residual.current_score == 1


def test_overdue_reviews_are_open_risks_past_their_date(org, users, make_risk, today):
    old = make_risk(title="Old", last_reviewed_on=today - timedelta(days=400))
    older = make_risk(title="Older", last_reviewed_on=today - timedelta(days=500))
    make_risk(title="Fresh", last_reviewed_on=today)
    gone = make_risk(title="Closed", last_reviewed_on=today - timedelta(days=400))
    services.update_risk(org, users["admin"], gone, {"status": "closed"})
    assert list(queries.overdue_reviews(org, today)) == [older, old]
    assert old.review_overdue
    assert list(queries.overdue_reviews(org, today - timedelta(days=330))) == []


def test_actions_due_within_the_window_include_overdue_ones(org, users, own_risk, today):
    def plan(title, days, status="open"):
        return services.create_action(
            org,
            users["admin"],
            {"risk": own_risk, "title": title, "due_on": today + timedelta(days), "status": status},
        )

    late, soon = plan("Late", -3), plan("Soon", 10)
    plan("Later", 45)
    plan("Done", 1, status="done")
    assert list(queries.actions_due(org, today, within_days=30)) == [late, soon]
    assert late.overdue and not soon.overdue
    assert len(queries.actions_due(org, today, within_days=60)) == 3
