"""The demo's running history: yearly and quarterly records up to the load date, none ahead."""

from __future__ import annotations

from datetime import date

from riskward.demo.data.controls import CERTIFICATIONS
from riskward.demo.loaders.controls import engagement_dates
from riskward.demo.loaders.governance import report_days
from riskward.demo.loaders.program import training_sessions


def test_training_is_quarterly_from_2023_and_never_ahead_of_the_load_date():
    early = training_sessions(date(2024, 6, 30))
    assert [s[0].year for s in early].count(2024) == 2
    assert max(s[0] for s in early) <= date(2024, 6, 30)
    later = [s[0] for s in training_sessions(date(2027, 12, 31))]
    for year in range(2023, 2028):
        assert sorted({(d.month - 1) // 3 + 1 for d in later if d.year == year}) == [1, 2, 3, 4]


def test_each_certification_has_one_engagement_a_year_once_ended():
    issp = CERTIFICATIONS[0]
    dates = engagement_dates(issp, date(2026, 9, 1))  # this year's starts on Sept 4
    assert [start.year for start, _end in dates] == list(range(2017, 2026))
    assert dates[0][1] == date(2017, 9, 15)  # the first one led to the certification
    assert all(end <= date(2026, 9, 1) for _start, end in dates)
    assert len(engagement_dates(issp, date(2026, 12, 1))) == 10


def test_reports_reach_the_audit_committee_every_year_since_2022():
    days = report_days(date(2024, 3, 20))
    audit = [year for year, spec in days if spec[1] == "Audit Committee"]
    assert audit == [2022, 2022, 2023, 2023, 2024, 2024]
    assert [year for year, spec in days if spec[1] == "Board of Directors"] == [2022, 2023]
