"""Quantification pages per role: the risk's section (inputs, run), the portfolio page, its run
and the estimates upload; the page's query count and its loss exceedance curve."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskward.audit.models import AuditEvent
from riskward.risks import quantification, services
from riskward.risks.models import QuantStudy, RiskQuantification
from riskward.risks.quant import ENGINE_VERSION, numpy_version
from tests.conftest import ROLES
from tests.risks.quant_support import FAST, SVG, linked_control, quantify, svg_of
from tests.roles import DASHBOARD, EDITORS, READERS

CHANGE_OWN = EDITORS | {"risk_owner"}
IMPORTERS = {"admin", "security_manager"}
# The portfolio page reads a fixed number of queries, whatever the number of risks.
PORTFOLIO_QUERIES = 7


def denied(role):
    return 404 if role == "outsider" else 403


def form_data(control=None, **changes):
    """The estimates form as a browser posts it: TEF x vulnerability, primary and secondary."""
    data = {
        "q-tef-kind": "pert",
        "q-tef-low": "0.5",
        "q-tef-mode": "2",
        "q-tef-high": "6",
        "q-vulnerability-kind": "pert",
        "q-vulnerability-low": "0.1",
        "q-vulnerability-mode": "0.3",
        "q-vulnerability-high": "0.6",
        "q-primary-kind": "lognormal",
        "q-primary-low": "50,000",
        "q-primary-high": "4,000,000",
        "q-rationale": "Insurer's claims data",
    }
    if control is not None:
        prefix = f"q-control--{control.pk}"
        data.update(
            {
                f"{prefix}-target": "magnitude",
                f"{prefix}-kind": "pert",
                f"{prefix}-low": "0.3",
                f"{prefix}-mode": "0.5",
                f"{prefix}-high": "0.7",
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def ran(org, users, own_risk):
    control = linked_control(org, own_risk)
    quantify(org, users["admin"], own_risk, control)
    quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)
    return control


@pytest.mark.parametrize("role", ROLES)
def test_risk_section_per_role(client_as, own_risk, others_risk, ran, role):
    client = client_as(role)
    own = client.get(f"/risks/risk/{own_risk.pk}/")
    other = client.get(f"/risks/risk/{others_risk.pk}/")
    if role in READERS:
        page = own.content.decode()
        assert "Quantified risk (Open FAIR)" in page
        assert "Mean annual loss" in page and "Value of each control" in page
        assert "CTL-001 Backups" in page
        assert ("Edit the estimates" in page) == (role in CHANGE_OWN)
        assert ("Edit the estimates" in other.content.decode()) == (role in EDITORS)
    else:
        assert (own.status_code, other.status_code) == (denied(role), denied(role))


@pytest.mark.parametrize("role", ROLES)
def test_saving_estimates_per_role(client_as, org, own_risk, others_risk, role):
    client = client_as(role)
    own = client.post(f"/risks/risk/{own_risk.pk}/quant/", form_data())
    other = client.post(f"/risks/risk/{others_risk.pk}/quant/", form_data())
    saved = set(RiskQuantification.objects.values_list("risk__reference", flat=True))
    assert ("RSK-001" in saved) == (role in CHANGE_OWN)
    assert ("RSK-002" in saved) == (role in EDITORS)
    if role in CHANGE_OWN:
        assert own.status_code == 302 and own["Location"].endswith("#quant")
        quant = RiskQuantification.objects.get(risk=own_risk)
        assert quant.primary == {"kind": "lognormal", "low": 50_000.0, "high": 4_000_000.0}
        assert quant.rationale == "Insurer's claims data"
    else:
        assert own.status_code == denied(role)
    if role not in EDITORS:
        assert other.status_code == denied(role)


def test_a_bad_estimate_is_shown_next_to_its_field(client_as, own_risk):
    response = client_as("risk_owner").post(
        f"/risks/risk/{own_risk.pk}/quant/", form_data(**{"q-tef-high": "1"})
    )
    assert response.status_code == 400
    form = response.context["quant_form"]
    tef = next(f for f in form.estimates if f.name == "tef")
    assert "the maximum must be at least 2" in tef.errors["high"][0]
    assert 'id="id_q-tef-high_error"' in response.content.decode()
    assert not RiskQuantification.objects.exists()


def test_a_control_effect_is_saved_from_the_form(client_as, org, own_risk):
    control = linked_control(org, own_risk)
    response = client_as("admin").post(f"/risks/risk/{own_risk.pk}/quant/", form_data(control))
    assert response.status_code == 302
    effect = RiskQuantification.objects.get().effects.get()
    assert (effect.control, effect.target) == (control, "magnitude")


def test_a_control_effect_needs_its_target(client_as, org, own_risk):
    control = linked_control(org, own_risk)
    data = form_data(control, **{f"q-control--{control.pk}-target": ""})
    response = client_as("admin").post(f"/risks/risk/{own_risk.pk}/quant/", data)
    assert response.status_code == 400
    assert "Say what the control reduces." in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_running_a_risk_per_role(client_as, org, users, own_risk, role):
    quantify(org, users["admin"], own_risk)
    response = client_as(role).post(
        f"/risks/risk/{own_risk.pk}/quant/run/", {"run-iterations": FAST, "run-seed": 4}
    )
    quant = RiskQuantification.objects.get()
    assert quant.has_run == (role in CHANGE_OWN)
    if role in CHANGE_OWN:
        assert response.status_code == 302 and quant.seed == 4 and quant.iterations == FAST
    else:
        assert response.status_code == denied(role)


def test_risk_curve_is_well_formed_with_the_threshold_marked(client_as, own_risk, ran):
    page = client_as("auditor").get(f"/risks/risk/{own_risk.pk}/").content.decode()
    svg = svg_of(page)
    assert svg.find(f"{SVG}title").text == "Loss exceedance curve of RSK-001"
    assert "materiality threshold of USD 5M" in svg.find(f"{SVG}desc").text
    assert {line.get("class") for line in svg.iter(f"{SVG}polyline")} == {
        "curve inherent",
        "curve residual",
    }
    assert len(svg.findall(f"{SVG}line[@class='threshold']")) == 1
    assert "The curve as a table" in page


@pytest.mark.parametrize("role", ROLES)
def test_portfolio_page_per_role(client_as, org, users, own_risk, ran, role):
    quantification.run_portfolio(org, users["admin"], iterations=FAST)
    response = client_as(role).get("/risks/quant/")
    if role in DASHBOARD:
        page = response.content.decode()
        assert response.status_code == 200
        assert "Top contributors" in page and "RSK-001" in page
        assert f"engine v{ENGINE_VERSION} on numpy {numpy_version()}," in page
        assert ("Run the portfolio" in page) == (role in EDITORS)
        assert ("Import estimates" in page) == (role in IMPORTERS)
        assert (f'href="/risks/risk/{own_risk.pk}/#quant"' in page) == (role in READERS)
    elif role == "outsider":  # their own organization's page: nothing of ours
        assert response.status_code == 200 and "RSK-001" not in response.content.decode()
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_running_the_portfolio_per_role(client_as, org, users, own_risk, role):
    quantify(org, users["admin"], own_risk)
    response = client_as(role).post(
        "/risks/quant/run/", {"run-iterations": FAST, "run-risks": [own_risk.pk]}
    )
    assert QuantStudy.objects.filter(organization=org).exists() == (role in EDITORS)
    expected = 302 if role in EDITORS else (403 if role != "outsider" else 400)
    assert response.status_code == expected


def test_a_bad_portfolio_run_is_shown_with_its_errors(client_as, org, users, own_risk):
    quantify(org, users["admin"], own_risk)
    response = client_as("admin").post("/risks/quant/run/", {"run-iterations": 5})
    assert response.status_code == 400
    assert "iterations" in response.context["run_form"].errors


ESTIMATES_CSV = (
    b"risk,factor,distribution,low,most_likely,high\n"
    b"RSK-001,lef,pert,0.1,0.5,2\n"
    b"RSK-001,primary,lognormal,10000,,900000\n"
)


@pytest.mark.parametrize("role", ROLES)
def test_importing_estimates_per_role(client_as, org, own_risk, role):
    upload = SimpleUploadedFile("estimates.csv", ESTIMATES_CSV, content_type="text/csv")
    response = client_as(role).post("/risks/quant/import/", {"estimates-file": upload})
    stored = RiskQuantification.objects.filter(organization=org).first()
    assert (stored is not None) == (role in IMPORTERS)
    if role in IMPORTERS:
        assert response.status_code == 302
        assert stored.lef == {"kind": "pert", "low": 0.1, "mode": 0.5, "high": 2.0, "shape": 4.0}
    elif role == "outsider":  # imports into their own organization, which has no RSK-001
        assert response.status_code == 422
        assert (2, "risk", "no risk with the reference “RSK-001”") in response.context["problems"]
    else:
        assert response.status_code == 403


def test_a_bad_upload_lists_every_problem_and_imports_nothing(client_as, own_risk):
    body = ESTIMATES_CSV + b"RSK-404,tef,pert,1,2,3\nRSK-001,vulnerability,pert,0.1,0.2,x\n"
    upload = SimpleUploadedFile("estimates.csv", body, content_type="text/csv")
    response = client_as("admin").post("/risks/quant/import/", {"estimates-file": upload})
    assert response.status_code == 422
    assert response.context["problems"] == [
        (4, "risk", "no risk with the reference “RSK-404”"),
        (5, "high", "“x” is not a number"),
    ]
    assert "Nothing was imported: 2 problems found" in response.content.decode()
    assert not RiskQuantification.objects.exists()


def test_the_template_gives_the_import_columns(client_as):
    response = client_as("security_manager").get("/risks/quant/template.csv")
    assert response.status_code == 200
    assert response.content.decode().startswith("risk,factor,distribution,low,most_likely,high")


def _page_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/risks/quant/").status_code == 200
    return len(captured)


def test_portfolio_page_queries_do_not_grow_with_risks(client_as, org, users, make_risk):
    for number in range(3):
        quantify(org, users["admin"], make_risk(title=f"Risk {number}"))
    quantification.run_portfolio(org, users["admin"], iterations=FAST)
    client = client_as("admin")
    few = _page_queries(client)
    for number in range(3, 9):
        quantify(org, users["admin"], make_risk(title=f"Risk {number}"))
    quantification.run_portfolio(org, users["admin"], iterations=FAST)
    assert _page_queries(client) == few
    assert few == PORTFOLIO_QUERIES


def test_portfolio_curve_marks_the_threshold_only_when_set(client_as, org, users, own_risk, ran):
    quantification.run_portfolio(org, users["admin"], iterations=FAST)
    client = client_as("board_member")
    page = client.get("/risks/quant/").content.decode()
    assert len(svg_of(page).findall(f"{SVG}line[@class='threshold']")) == 1
    assert "P(loss &gt; USD 5M)" in page
    org.materiality_threshold = None
    org.save()
    quantification.run_portfolio(org, users["admin"], iterations=FAST)
    page = client.get("/risks/quant/").content.decode()
    assert svg_of(page).findall(f"{SVG}line[@class='threshold']") == []
    assert "P(loss &gt; USD" not in page


def test_closed_risks_stay_out_of_the_default_portfolio(
    client_as, org, users, own_risk, others_risk
):
    quantify(org, users["admin"], own_risk)
    quantify(org, users["admin"], others_risk)
    services.update_risk(org, users["admin"], others_risk, {"status": "closed"})
    client_as("admin").post("/risks/quant/run/", {"run-iterations": FAST})
    assert list(QuantStudy.objects.get().risks.all()) == [own_risk]


def _risk_page_queries(client, risk):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/risks/risk/{risk.pk}/").status_code == 200
    return len(captured)


def test_risk_page_queries_do_not_grow_with_control_effects(client_as, org, users, own_risk):
    def quantify_with(count):
        for number in range(own_risk.controls.count(), count):
            linked_control(org, own_risk, f"CTL-{number:03}", f"Control {number}")
        effects = [
            {"control": c, "target": "magnitude", "reduction": {"kind": "constant", "low": 0.1}}
            for c in own_risk.controls.all()
        ]
        quantify(org, users["admin"], own_risk, controls=effects)
        quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)

    client = client_as("admin")
    quantify_with(2)
    few = _risk_page_queries(client, own_risk)
    quantify_with(6)
    assert _risk_page_queries(client, own_risk) == few


def test_the_form_shows_the_stored_estimates_so_saving_again_changes_nothing(
    client_as, org, users, own_risk
):
    control = linked_control(org, own_risk)
    quantify(org, users["admin"], own_risk, control, primary={"kind": "constant", "low": 4e6})
    response = client_as("admin").get(f"/risks/risk/{own_risk.pk}/")
    form = response.context["quant_form"]
    data = {}
    for sub in [*form.estimates, *form.controls, form.settings]:
        for field in sub:
            value = sub.initial.get(field.name)
            if value not in (None, "", False):
                data[field.html_name] = value
    assert data["q-primary-low"] == "4,000,000" and data["q-tef-mode"] == "2"
    before = AuditEvent.objects.count()
    saved = client_as("admin").post(f"/risks/risk/{own_risk.pk}/quant/", data)
    assert saved.status_code == 302
    assert AuditEvent.objects.count() == before


def test_results_say_their_engine_and_numpy_and_an_earlier_engine_is_marked(
    client_as, api_as, own_risk, ran
):
    page = client_as("admin").get(f"/risks/risk/{own_risk.pk}/").content.decode()
    assert f"engine v{ENGINE_VERSION} on numpy {numpy_version()}," in page
    assert "Earlier engine" not in page
    result = api_as("admin").get(f"/api/v1/risks/risks/{own_risk.pk}/quantification").json()
    assert (result["result"]["engine"], result["result"]["older_engine"]) == (ENGINE_VERSION, False)
    assert result["result"]["numpy"] == numpy_version()
    RiskQuantification.objects.filter(risk=own_risk).update(engine=None, numpy="")  # before both
    page = client_as("admin").get(f"/risks/risk/{own_risk.pk}/").content.decode()
    assert "an unversioned engine," in page and "Earlier engine" in page
    result = api_as("admin").get(f"/api/v1/risks/risks/{own_risk.pk}/quantification").json()
    assert (result["result"]["engine"], result["result"]["older_engine"]) == (None, True)
    assert result["result"]["numpy"] == ""
