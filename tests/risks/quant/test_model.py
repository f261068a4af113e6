"""Scenario validation (each error names its field) and storage."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from riskward.risks.quant.estimates import Estimate, QuantInputError
from riskward.risks.quant.model import FORMS_OF_LOSS, ControlEffect, Scenario

PRIMARY = Estimate.pert(10_000, 200_000, 5_000_000)


def scenario(**changes) -> Scenario:
    base = Scenario(
        key="RSK-1",
        tef=Estimate.pert(0.5, 2, 10),
        vulnerability=Estimate.pert(0.05, 0.2, 0.5),
        primary=PRIMARY,
        secondary_probability=Estimate.constant(0.3),
        secondary=Estimate.lognormal(50_000, 2_000_000),
        controls=(ControlEffect("mfa", "vulnerability", Estimate.pert(0.3, 0.5, 0.7)),),
    )
    return replace(base, **changes)


def test_forms_of_loss_are_the_six_open_fair_forms():
    assert FORMS_OF_LOSS == (
        "productivity",
        "response",
        "replacement",
        "fines_judgments",
        "competitive_advantage",
        "reputation",
    )


@pytest.mark.parametrize(
    "good",
    [
        scenario(),
        scenario(tef=None, vulnerability=None, lef=Estimate.pert(0.1, 0.5, 2)),
        scenario(
            vulnerability=None,
            threat_capability=Estimate.pert(0, 50, 100),
            resistance_strength=Estimate.pert(20, 60, 90),
        ),
        scenario(primary=None, primary_forms={"response": PRIMARY, "productivity": PRIMARY}),
        scenario(secondary=None, secondary_forms={"reputation": Estimate.constant(1e6)}),
        scenario(secondary_probability=None, secondary=None),
        scenario(controls=()),
    ],
)
def test_valid_scenarios_pass(good):
    good.validate()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"key": " "}, "key"),
        ({"tef": Estimate.pert(1, 5, 3)}, "tef.high"),
        (
            {"tef": Estimate.pert(100, 2_000, 5_000), "vulnerability": Estimate.constant(0.5)},
            "tef.high",
        ),
        ({"tef": None, "vulnerability": None, "lef": Estimate.lognormal(10, 500)}, "lef.high"),
        ({"tef": None, "vulnerability": None}, "lef"),
        ({"lef": Estimate.constant(1)}, "tef"),
        ({"vulnerability": None}, "vulnerability"),
        ({"vulnerability": Estimate.pert(0, 0.5, 1.5)}, "vulnerability.high"),
        ({"threat_capability": Estimate.constant(50)}, "threat_capability"),
        (
            {"vulnerability": None, "threat_capability": Estimate.uniform(0, 100)},
            "resistance_strength",
        ),
        ({"primary": None}, "primary"),
        ({"primary": Estimate.pert(-5, 1, 2)}, "primary.low"),
        ({"primary_forms": {"response": PRIMARY}}, "primary_forms"),
        (
            {"primary": None, "primary_forms": {"response": Estimate.uniform(1, 0.5)}},
            "primary_forms.response.high",
        ),
        (
            {"primary": None, "primary_forms": {"response": Estimate.pert(-1, 0, 1)}},
            "primary_forms.response.low",
        ),
        ({"primary": None, "primary_forms": {"legal": PRIMARY}}, "primary_forms.legal"),
        ({"secondary_probability": None}, "secondary_probability"),
        ({"secondary_probability": Estimate.constant(1.2)}, "secondary_probability.low"),
        ({"secondary": None}, "secondary"),
        (
            {"controls": (ControlEffect("", "magnitude", Estimate.constant(0.5)),)},
            "controls.0.name",
        ),
        (
            {"controls": (ControlEffect("edr", "likelihood", Estimate.constant(0.5)),)},
            "controls.0.target",
        ),
        (
            {"controls": (ControlEffect("edr", "magnitude", Estimate.pert(0.2, 0.5, 1.1)),)},
            "controls.0.reduction.high",
        ),
        (
            {
                "controls": (
                    ControlEffect("edr", "magnitude", Estimate.constant(0.1)),
                    ControlEffect("edr", "frequency", Estimate.constant(0.1)),
                )
            },
            "controls.1.name",
        ),
    ],
)
def test_invalid_scenarios_name_the_field(changes, field):
    with pytest.raises(QuantInputError) as raised:
        scenario(**changes).validate()
    assert raised.value.field == field
    assert raised.value.message.startswith(f"{field}:")


def test_frequent_threats_are_fine_when_few_become_losses():
    scenario(
        tef=Estimate.pert(100, 2_000, 5_000), vulnerability=Estimate.pert(0, 0.01, 0.1)
    ).validate()
    assert (
        scenario(tef=Estimate.constant(5_000), vulnerability=Estimate.constant(0.1)).max_rate == 500
    )


def test_json_round_trip():
    original = scenario(
        primary=None,
        primary_forms={"response": PRIMARY, "fines_judgments": Estimate.constant(1e5)},
        controls=(
            ControlEffect("mfa", "vulnerability", Estimate.pert(0.3, 0.5, 0.7)),
            ControlEffect("backup", "magnitude", Estimate.uniform(0.1, 0.3)),
        ),
    )
    data = json.loads(json.dumps(original.to_dict()))
    assert "lef" not in data and "secondary_forms" not in data and "single_event" not in data
    assert Scenario.from_dict(data) == original
    once = replace(original, single_event=True)
    assert Scenario.from_dict(json.loads(json.dumps(once.to_dict()))) == once
    with pytest.raises(QuantInputError, match="single_event: give true or false"):
        Scenario.from_dict({**data, "single_event": "yes"})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"key": "R", "tef": {"kind": "pert", "low": 1}}, "tef.mode"),
        ({"key": "R", "weather": {}}, "weather"),
        ({"key": "R", "primary_forms": {"response": {"kind": "?"}}}, "primary_forms.response.kind"),
        (
            {"key": "R", "controls": [{"name": "x", "target": "magnitude", "size": 1}]},
            "controls.0.size",
        ),
    ],
)
def test_from_dict_names_the_field(data, field):
    with pytest.raises(QuantInputError) as raised:
        Scenario.from_dict(data)
    assert raised.value.field == field


def test_without_control_and_inherent():
    s = scenario(
        controls=(
            ControlEffect("a", "frequency", Estimate.constant(0.5)),
            ControlEffect("b", "magnitude", Estimate.constant(0.5)),
        )
    )
    assert [c.name for c in s.without_control("a").controls] == ["b"]
    assert s.inherent().controls == () and s.inherent().tef == s.tef
