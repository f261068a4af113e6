"""Read helpers of the disclosure pages and API."""

from __future__ import annotations

import pytest

from riskward.disclosure import queries, services, workflow
from riskward.lib.errors import InvalidInput


def test_list_rows_carry_their_newest_version_in_two_queries(org, users, django_assert_num_queries):
    actor = users["security_manager"]
    older = services.start_annual(org, actor, 2023)
    services.submit_for_review(org, actor, older)
    services.approve(org, users["admin"], older)
    newer = services.new_version(org, actor, older)  # v2, a draft
    current = services.submit_for_review(org, actor, services.start_annual(org, actor, 2024))
    services.approve(org, users["admin"], current)
    with django_assert_num_queries(2):
        rows = queries.disclosures_with_latest(org)
        by_year = {row.fiscal_year: row for row in rows}
        assert by_year[2023].latest.number == by_year[2023].latest_number == newer.number == 2
        assert by_year[2023].latest.approved_by is None  # v2 is a draft
        assert by_year[2024].latest.number == 1
        assert by_year[2024].latest.approved_by.username == users["admin"].username
    assert "facts" in by_year[2023].latest.get_deferred_fields()  # the JSON stays unread


def test_an_unknown_workflow_step_names_those_there_are():
    assert workflow.step_named("approve").call is services.approve
    with pytest.raises(InvalidInput, match="expected one of refresh, check, submit"):
        workflow.step_named("publish")
