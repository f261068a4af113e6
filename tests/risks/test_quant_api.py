"""The quantification endpoints of the risks API per role: inputs, runs and the portfolio."""

from __future__ import annotations

import pytest

from riskward.risks import quantification
from riskward.risks.models import QuantStudy, RiskQuantification
from riskward.risks.quant import ENGINE_VERSION, numpy_version
from tests.conftest import ROLES
from tests.risks.quant_support import FAST, linked_control, pert, quantify
from tests.roles import DASHBOARD, EDITORS, READERS

BASE = "/api/v1/risks"
CHANGE_OWN = EDITORS | {"risk_owner"}


def denied(role):
    return 404 if role == "outsider" else 403


def payload(control=None, **changes):
    body = {
        "tef": pert(0.5, 2, 6),
        "vulnerability": pert(0.1, 0.3, 0.6),
        "primary_forms": {
            "response": {"kind": "lognormal", "low": 20_000, "high": 600_000},
            "productivity": pert(10_000, 100_000, 2_000_000),
        },
        "rationale": "Claims data",
    }
    if control is not None:
        body["controls"] = [
            {"control": control.pk, "target": "frequency", "reduction": pert(0.2, 0.4, 0.6)}
        ]
    return {**body, **changes}


def put(api, path, body):
    return api.client.put(path, body, content_type="application/json", headers=api.headers)


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_quantification_per_role(api_as, org, users, own_risk, role):
    control = linked_control(org, own_risk)
    quantify(org, users["admin"], own_risk, control)
    quantification.run_risk(org, users["admin"], own_risk, iterations=FAST, seed=8)
    response = api_as(role).get(f"{BASE}/risks/{own_risk.pk}/quantification")
    if role in READERS:
        body = response.json()
        assert response.status_code == 200
        assert body["reference"] == "RSK-001"
        assert body["tef"] == {"kind": "pert", "low": 0.5, "mode": 2, "high": 6, "shape": 4}
        assert body["primary"]["kind"] == "lognormal" and body["primary"]["shape"] is None
        assert body["controls"][0]["reference"] == "CTL-001"
        assert body["controls"][0]["value"] > 0
        result = body["result"]
        assert (result["seed"], result["iterations"], result["stale"]) == (8, FAST, False)
        assert result["residual"]["mean"] < result["inherent"]["mean"]
        assert result["threshold"] == "5000000.00"
        assert len(result["inherent"]["curve"][0]) == 2
    else:
        assert response.status_code == denied(role)


def test_an_unquantified_risk_reads_as_empty(api_as, own_risk):
    body = api_as("auditor").get(f"{BASE}/risks/{own_risk.pk}/quantification").json()
    assert (body["tef"], body["controls"], body["result"]) == (None, [], None)


@pytest.mark.parametrize("role", ROLES)
def test_setting_inputs_per_role(api_as, org, own_risk, others_risk, role):
    control = linked_control(org, own_risk)
    api = api_as(role)
    own = put(api, f"{BASE}/risks/{own_risk.pk}/quantification", payload(control))
    other = put(api, f"{BASE}/risks/{others_risk.pk}/quantification", payload())
    assert RiskQuantification.objects.filter(risk=own_risk).exists() == (role in CHANGE_OWN)
    assert RiskQuantification.objects.filter(risk=others_risk).exists() == (role in EDITORS)
    if role in CHANGE_OWN:
        body = own.json()
        assert own.status_code == 200
        assert set(body["primary_forms"]) == {"response", "productivity"}
        assert body["controls"][0]["target"] == "frequency"
        assert body["result"] is None and body["inputs_changed_at"]
    else:
        assert own.status_code == denied(role)
    if role not in EDITORS:
        assert other.status_code == denied(role)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (payload(tef=pert(3, 2, 6)), "tef.mode"),
        (payload(primary_forms={"goodwill": pert(1, 2, 3)}), "primary_forms.goodwill"),
        (
            payload(controls=[{"control": 999, "target": "frequency", "reduction": pert(0, 0, 1)}]),
            "controls.0",
        ),
    ],
)
def test_bad_inputs_name_the_field(api_as, own_risk, body, field):
    response = put(api_as("admin"), f"{BASE}/risks/{own_risk.pk}/quantification", body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not RiskQuantification.objects.exists()


def test_unknown_fields_are_refused(api_as, own_risk):
    api = api_as("admin")
    response = put(api, f"{BASE}/risks/{own_risk.pk}/quantification", payload(lef_guess=3))
    assert response.status_code == 422 and "lef_guess" in response.json()["fields"]
    nested = payload(tef={"kind": "pert", "low": 1, "mode": 2, "high": 3, "peak": 2})
    response = put(api, f"{BASE}/risks/{own_risk.pk}/quantification", nested)
    assert response.status_code == 422 and "tef.peak" in response.json()["fields"]


@pytest.mark.parametrize("role", ROLES)
def test_running_a_risk_per_role(api_as, org, users, own_risk, role):
    quantify(org, users["admin"], own_risk)
    response = api_as(role).post(
        f"{BASE}/risks/{own_risk.pk}/quantification/run", {"iterations": FAST, "seed": 2}
    )
    quant = RiskQuantification.objects.get()
    assert quant.has_run == (role in CHANGE_OWN)
    if role in CHANGE_OWN:
        assert response.status_code == 200
        assert response.json()["result"]["seed"] == 2
    else:
        assert response.status_code == denied(role)


def test_running_without_inputs_is_a_conflict(api_as, own_risk):
    response = api_as("admin").post(f"{BASE}/risks/{own_risk.pk}/quantification/run", {})
    assert response.status_code == 409


@pytest.mark.parametrize("role", ROLES)
def test_running_the_portfolio_per_role(api_as, org, users, own_risk, others_risk, role):
    quantify(org, users["admin"], own_risk)
    quantify(org, users["admin"], others_risk)
    response = api_as(role).post(
        f"{BASE}/quant/run", {"iterations": FAST, "risks": [own_risk.pk], "seed": 1}
    )
    ours = QuantStudy.objects.filter(organization=org)
    assert ours.exists() == (role in EDITORS)
    if role in EDITORS:
        body = response.json()
        assert response.status_code == 201
        assert body["risks"] == [own_risk.pk] and body["run_by"] == users[role].pk
        assert body["contributors"][0]["reference"] == "RSK-001"
        assert body["inherent"]["mean"] >= body["residual"]["mean"]
    elif role == "outsider":  # our risk is not one of theirs
        assert response.status_code == 422 and response.json()["field"] == "risks"
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_reading_the_portfolio_per_role(api_as, org, users, own_risk, role):
    quantify(org, users["admin"], own_risk)
    study = quantification.run_portfolio(org, users["admin"], iterations=FAST)
    response = api_as(role).get(f"{BASE}/quant/portfolio")
    if role in DASHBOARD:
        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["engine"], body["numpy"]) == (
            study.pk,
            ENGINE_VERSION,
            numpy_version(),
        )
    elif role == "outsider":  # their organization has never run one
        assert response.status_code == 404
    else:
        assert response.status_code == 403
