"""`riskward filing-deadline`: the due date, each day counted and each day skipped."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from riskward.cli import main


def run(*args):
    out = StringIO()
    call_command("filing_deadline", *args, stdout=out)
    return out.getvalue()


def test_prints_due_date_days_counted_and_skipped():
    out = run("--determined", "2024-12-20", "--time", "16:30")
    assert "Determined: Fri 2024-12-20 16:30 (the time of day does not change the count)" in out
    assert "Due: Mon 2024-12-30" in out
    assert "business day 1: Mon 2024-12-23" in out and "business day 4: Mon 2024-12-30" in out
    assert "skipped: Tue 2024-12-24 Federal closure: Christmas Eve" in out
    assert "skipped: Wed 2024-12-25 Christmas Day" in out


def test_json_output():
    data = json.loads(run("--determined", "2025-01-04", "--json"))
    assert data["due"] == "2025-01-10" and data["starts_on"] == "2025-01-06"
    assert data["determined_time"] is None
    assert {"day": "2025-01-04", "reason": "Saturday"} in data["skipped"]
    assert data["business_days"] == ["2025-01-06", "2025-01-07", "2025-01-08", "2025-01-10"]


def test_6k_has_no_fixed_date():
    out = run("--determined", "2025-03-14", "--form", "6-K")
    assert "Due: no fixed date" in out and "promptly" in out
    assert json.loads(run("--determined", "2025-03-14", "--form", "6-K", "--json"))["due"] is None


def test_8ka_counts_from_the_information_date():
    assert "Due: Fri 2025-01-10" in run("--determined", "2025-01-04", "--form", "8-K/A")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--determined", "2025-02-30"], "--determined: '2025-02-30' is not a valid date"),
        (["--determined", "14/03/2025"], "--determined"),
        (["--determined", "2025-03-14", "--time", "4pm"], "--time: '4pm' is not a valid time"),
    ],
)
def test_bad_input_names_the_option(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("filing_deadline", *args)


def test_the_console_script_name(capsys):
    main(["filing-deadline", "--determined", "2024-12-20"])
    assert "Due: Mon 2024-12-30" in capsys.readouterr().out
