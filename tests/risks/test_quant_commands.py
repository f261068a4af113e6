"""`riskward quant run|import`: the progress bar, the printed portfolio, all-or-nothing import."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from riskward.risks.models import QuantStudy, RiskQuantification
from tests.risks.quant_support import FAST, linked_control, quantify


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("quant", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_run_shows_progress_and_prints_the_portfolio(org, users, own_risk, others_risk):
    quantify(org, users["admin"], own_risk, linked_control(org, own_risk))
    quantify(org, users["admin"], others_risk)
    out, err = run("run", "--org", "Example", "--iterations", str(FAST), "--seed", "9")
    assert "Simulating [" in err and "[##############################] 100%" in err
    assert " 50%" in err  # one of the two risks done
    study = QuantStudy.objects.get()
    assert (study.iterations, study.seed, study.run_by) == (FAST, 9, None)
    assert f"Portfolio of 2 risk(s): {FAST:,} simulated years, seed 9" in out
    for text in ("Mean annual loss", "P99", "Expected shortfall", "P(loss > USD 5M)"):
        assert text in out
    assert "Top contributors" in out
    assert out.index("RSK-00") > out.index("Top contributors")
    assert {line.split()[0] for line in out.splitlines()[-2:]} == {"RSK-001", "RSK-002"}


def test_run_of_chosen_risks_as_a_user(org, users, own_risk, others_risk):
    quantify(org, users["admin"], own_risk)
    quantify(org, users["admin"], others_risk)
    out, _ = run(
        "run", "--org", "Example", "--iterations", str(FAST), "--risk", "RSK-002", "--as", "admin"
    )
    study = QuantStudy.objects.get()
    assert list(study.risks.all()) == [others_risk] and study.run_by == users["admin"]
    assert "Portfolio of 1 risk(s)" in out


def test_run_refuses_a_user_who_may_not_run(org, users, own_risk):
    quantify(org, users["admin"], own_risk)
    with pytest.raises(CommandError, match="may not do this"):
        run("run", "--org", "Example", "--as", "auditor")


def test_run_errors_are_one_line(org, users):
    with pytest.raises(CommandError, match="No risk has quantification inputs"):
        run("run", "--org", "Example", "--iterations", str(FAST))
    with pytest.raises(CommandError, match="no organization named 'Nobody'"):
        run("run", "--org", "Nobody")


def test_import_stores_the_estimates(org, users, own_risk, tmp_path):
    path = tmp_path / "estimates.csv"
    path.write_text(
        "risk,factor,distribution,low,most_likely,high\nRSK-001,lef,pert,0.1,0.5,2\nRSK-001,primary,constant,90000,,\n"
    )
    out, _ = run("import", str(path), "--org", "Example", "--as", "security_manager")
    assert out.strip() == "Imported 2 estimate(s) for 1 risk(s)."
    assert RiskQuantification.objects.get().primary == {"kind": "constant", "low": 90000.0}


def test_import_lists_every_problem_and_writes_nothing(org, users, own_risk, tmp_path):
    path = tmp_path / "estimates.csv"
    path.write_text(
        "risk,factor,distribution,low\nRSK-001,lef,constant,1\nRSK-001,frequency,pert,1\n"
    )
    out = StringIO()
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("quant", "import", str(path), "--org", "Example", stdout=out, stderr=err)
    assert "row 3, column factor: “frequency” is not a factor" in err.getvalue()
    assert not RiskQuantification.objects.exists()
