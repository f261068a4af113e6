"""Importing estimates for many risks: a good file, bad rows named by row and column, and
all or nothing."""

from __future__ import annotations

import pytest

from riskward.audit.models import AuditEvent
from riskward.core.tabular import read_rows
from riskward.lib.errors import ImportRejected, InvalidInput
from riskward.risks.models import RiskQuantification
from riskward.risks.quant_import import import_estimates, template_csv
from tests.risks.quant_support import linked_control, quantify

HEADER = "risk,factor,distribution,low,most_likely,high,shape,control,target\n"


def sheet(body: str, header: str = HEADER):
    return read_rows((header + body).encode(), "estimates.csv")


def load(org, users, body, header=HEADER):
    return import_estimates(org, users["admin"], sheet(body, header), "estimates.csv")


def problems(org, users, body, header=HEADER):
    with pytest.raises(ImportRejected) as raised:
        load(org, users, body, header)
    return raised.value.problems


def test_a_good_file_sets_every_risks_estimates(org, users, own_risk, others_risk):
    control = linked_control(org, own_risk)
    result = load(
        org,
        users,
        "RSK-001,tef,pert,0.5,2,6,,,\n"
        "RSK-001,vulnerability,pert,10%,30%,60%,,,\n"
        'RSK-001,primary,lognormal,"50,000",,4000000,,,\n'
        "RSK-001,control,pert,0.2,0.4,0.6,,ctl-001,Frequency\n"
        "rsk-002,Loss event frequency,pert,0.1,0.3,1,6,,\n"
        "RSK-002,primary.reputation,triangular,1000,5000,90000,,,\n"
        "RSK-002,primary.response,uniform,1000,,20000,,,\n",
    )
    assert str(result) == "7 estimate(s) for 2 risk(s)"
    own = RiskQuantification.objects.get(risk=own_risk)
    assert own.vulnerability == {"kind": "pert", "low": 0.1, "mode": 0.3, "high": 0.6, "shape": 4.0}
    assert own.primary == {"kind": "lognormal", "low": 50_000.0, "high": 4_000_000.0}
    effect = own.effects.get()
    assert (effect.control, effect.target) == (control, "frequency")
    other = RiskQuantification.objects.get(risk=others_risk)
    assert other.lef["shape"] == 6.0
    assert set(other.primary_forms) == {"reputation", "response"}
    assert AuditEvent.objects.filter(action="import", after__table="quant-estimates").count() == 1


def test_a_file_changes_only_the_factors_it_names(org, users, own_risk):
    control = linked_control(org, own_risk)
    quantify(org, users["admin"], own_risk, control)
    load(org, users, "RSK-001,tef,constant,3,,,,,\n")
    quant = RiskQuantification.objects.get()
    assert quant.tef == {"kind": "constant", "low": 3.0}
    assert quant.vulnerability["kind"] == "pert" and quant.effects.count() == 1


def test_none_clears_a_factor_and_an_effect(org, users, own_risk):
    control = linked_control(org, own_risk)
    quantify(org, users["admin"], own_risk, control)
    load(
        org,
        users,
        "RSK-001,secondary_probability,none,,,,,,\n"
        "RSK-001,secondary,none,,,,,,\n"
        "RSK-001,control,none,,,,,CTL-001,\n",
    )
    quant = RiskQuantification.objects.get()
    assert quant.secondary is None and quant.secondary_probability is None
    assert not quant.effects.exists()


def test_bad_rows_are_named_by_row_and_column(org, users, own_risk, others_risk):
    found = problems(
        org,
        users,
        "RSK-001,tef,pert,0.5,2,6,,,\n"
        "RSK-404,tef,pert,0.5,2,6,,,\n"
        "RSK-001,frequency,pert,1,2,3,,,\n"
        "RSK-001,vulnerability,beta,1,2,3,,,\n"
        "RSK-001,primary,pert,,,,,,\n"
        "RSK-001,tef,pert,1,2,3,,,\n"
        "RSK-002,lef,pert,1,2,lots,,,\n"
        "RSK-001,control,pert,0.1,0.2,0.3,,CTL-404,frequency\n",
    )
    assert found == [
        (3, "risk", "no risk with the reference “RSK-404”"),
        (4, "factor", found[1][2]),
        (
            5,
            "distribution",
            "“beta” is not one of: pert, lognormal, triangular, uniform, constant, none",
        ),
        (6, "low", "is required"),
        (7, "factor", "tef of RSK-001 is already in row 2"),
        (8, "high", "“lots” is not a number"),
        (9, "control", "CTL-404 is not a control of RSK-001"),
    ]
    assert found[1][2].startswith("“frequency” is not a factor; use lef, tef")
    assert not RiskQuantification.objects.exists()


def test_the_engines_errors_point_at_their_row_and_column(org, users, own_risk, others_risk):
    found = problems(
        org,
        users,
        "RSK-001,tef,pert,0.5,2,6,,,\n"
        "RSK-001,vulnerability,pert,0.1,0.3,1.5,,,\n"
        "RSK-001,primary,constant,1000,,,,,\n"
        "RSK-002,lef,pert,1,2,3,,,\n",  # no loss magnitude
    )
    assert found == [
        (3, "high", "a probability cannot exceed 1"),
        (5, "factor", "give the primary loss, as a total or as forms of loss"),
    ]


def test_one_bad_risk_keeps_the_good_ones_out_too(org, users, own_risk, others_risk):
    with pytest.raises(ImportRejected):
        load(
            org,
            users,
            "RSK-001,lef,constant,1,,,,,\nRSK-001,primary,constant,1000,,,,,\n"
            "RSK-002,lef,pert,3,2,1,,,\nRSK-002,primary,constant,1000,,,,,\n",
        )
    assert not RiskQuantification.objects.exists()
    assert not AuditEvent.objects.filter(object_type="risks.RiskQuantification").exists()


def test_headers_are_checked_first(org, users, own_risk):
    found = problems(org, users, "RSK-001,lef,pert,1\n", header="risk,factor,low,colour\n")
    assert (1, "colour", found[0][2]) in found and "unknown column" in found[0][2]
    assert (1, "distribution", "this column is required but missing") in found


def test_a_file_without_rows_is_refused(org, users):
    with pytest.raises(InvalidInput, match="no data rows"):
        import_estimates(org, users["admin"], read_rows(HEADER.encode(), "e.csv"))


def test_the_template_imports_once_its_risks_exist(org, users, make_risk):
    first, second = make_risk(title="One"), make_risk(title="Two")
    linked_control(org, first)
    result = import_estimates(org, users["admin"], read_rows(template_csv().encode(), "t.csv"))
    assert result.risks == 2
    assert RiskQuantification.objects.get(risk=second).primary_forms["response"]["kind"] == "pert"


def test_every_problem_is_listed_at_once(org, users, own_risk, others_risk):
    found = problems(
        org,
        users,
        "RSK-001,lef,pert,1,2,x,,,\n"  # a bad cell
        "RSK-002,lef,pert,1,2,3,,,\n",  # a good row, but no loss: the engine's problem
    )
    assert [(row, column) for row, column, _ in found] == [(2, "high"), (3, "factor")]
