"""Read helpers: the requirement tree, framework overview, certifications due, engagements."""

from __future__ import annotations

from datetime import date

import pytest

from riskward.controls import queries, services
from riskward.controls.models import AssessorEngagement, Certification, Requirement


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.children)


def test_tree_nests_functions_categories_subcategories(nist, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        tree = queries.requirement_tree(nist)
    assert [n.requirement.ref_id for n in tree] == ["GV", "ID", "PR", "DE", "RS", "RC"]
    govern = tree[0]
    assert [c.requirement.ref_id for c in govern.children][:2] == ["GV.OC", "GV.RM"]
    assert govern.children[0].children[0].requirement.ref_id == "GV.OC-01"
    nodes = list(walk(tree))
    assert len(nodes) == 6 + 22 + 106  # withdrawn ones hidden
    assert len(list(walk(queries.requirement_tree(nist, include_withdrawn=True)))) == 225


def test_tree_shows_mapped_controls_and_latest_assessed_result(org, users, iso, control):
    target = Requirement.objects.get(framework=iso, ref_id="A.8.16")
    control.requirements.add(target)
    older = services.create_assessment(
        org, users["admin"], {"framework": iso, "title": "2023", "started_on": date(2023, 5, 1)}
    )
    newer = services.create_assessment(
        org, users["admin"], {"framework": iso, "title": "2024", "started_on": date(2024, 5, 1)}
    )
    services.record_result(
        org, users["admin"], older.results.get(requirement=target), {"result": "partial"}
    )
    services.record_result(
        org, users["admin"], newer.results.get(requirement=target), {"result": "compliant"}
    )
    services.record_result(
        org,
        users["admin"],
        older.results.get(requirement__ref_id="A.8.15"),
        {"result": "non_compliant"},
    )
    nodes = {n.requirement.ref_id: n for n in walk(queries.requirement_tree(iso))}
    assert (nodes["A.8.16"].result_label, nodes["A.8.16"].result_badge) == ("Compliant", "ok")
    assert nodes["A.8.16"].requirement.latest_assessment_id == newer.pk
    assert [c.reference for c in nodes["A.8.16"].requirement.controls.all()] == ["CTL-001"]
    # A newer assessment that has not reached A.8.15 yet does not hide the older finding.
    assert nodes["A.8.15"].result_label == "Non-compliant"
    assert nodes["A.8.14"].result_label == ""


def test_framework_overview_counts(org, users, nist, iso):
    services.create_assessment(org, users["admin"], {"framework": iso, "title": "A"})
    rows = {f.key: f for f in queries.framework_overview(org)}
    assert (rows["nist-csf-2.0"].active_count, rows["nist-csf-2.0"].assessment_count) == (134, 0)
    assert (rows["iso-27001-2022"].active_count, rows["iso-27001-2022"].assessment_count) == (97, 1)


@pytest.fixture
def schedule(org):
    def make(scheme, obtained, passed_on=None, active=True):
        certification = Certification.objects.create(
            organization=org, scheme=scheme, obtained_on=obtained, is_active=active
        )
        if passed_on:
            AssessorEngagement.objects.create(
                organization=org,
                certification=certification,
                firm="Assessor Co.",
                started_on=passed_on,
                ended_on=passed_on,
                result="passed",
            )
        return certification

    return make


def test_certifications_due_lists_overdue_and_soon_due_only(org, other_org, schedule):
    overdue = schedule("Overdue", date(2022, 1, 10), passed_on=date(2024, 1, 10))
    soon = schedule("Soon", date(2022, 3, 1), passed_on=date(2024, 3, 1))
    schedule("Later", date(2022, 3, 1), passed_on=date(2024, 6, 1))
    schedule("Surrendered", date(2020, 1, 1), active=False)
    Certification.objects.create(
        organization=other_org, scheme="Theirs", obtained_on=date(2020, 1, 1)
    )

    due = queries.certifications_due(org, today=date(2025, 2, 1), within_days=30)

    assert [d.certification for d in due] == [overdue, soon]
    assert (due[0].due_on, due[0].overdue, due[0].days_left) == (date(2025, 1, 10), True, -22)
    assert (due[1].due_on, due[1].overdue, due[1].last_assessed_on) == (
        date(2025, 3, 1),
        False,
        date(2024, 3, 1),
    )


def test_certifications_due_is_one_query(org, schedule, django_assert_num_queries):
    for n in range(5):
        schedule(f"C{n}", date(2020, 1, 1), passed_on=date(2024, 1, n + 1))
    with django_assert_num_queries(1):
        assert len(queries.certifications_due(org, today=date(2025, 6, 1))) == 5


def test_fiscal_year_bounds_follow_the_organization(org):
    assert queries.fiscal_year_bounds(org, 2024) == (date(2024, 1, 1), date(2024, 12, 31))
    org.fiscal_year_end_month, org.fiscal_year_end_day = 3, 31
    assert queries.fiscal_year_bounds(org, 2024) == (date(2023, 4, 1), date(2024, 3, 31))
    org.fiscal_year_end_month, org.fiscal_year_end_day = 2, 29
    assert queries.fiscal_year_bounds(org, 2025) == (date(2024, 3, 1), date(2025, 2, 28))


def test_engagements_in_year_include_those_overlapping_it(org, other_org):
    def engage(firm, start, end, organization=org):
        return AssessorEngagement.objects.create(
            organization=organization, firm=firm, started_on=start, ended_on=end
        )

    inside = engage("Inside", date(2024, 9, 2), date(2024, 9, 13))
    across = engage("Across", date(2023, 12, 15), date(2024, 1, 20))
    ongoing = engage("Ongoing", date(2024, 12, 1), None)
    engage("Before", date(2023, 3, 1), date(2023, 3, 9))
    engage("After", date(2025, 1, 2), date(2025, 1, 9))
    engage("Theirs", date(2024, 5, 1), date(2024, 5, 9), organization=other_org)
    assert list(queries.engagements_in_year(org, 2024)) == [across, inside, ongoing]
