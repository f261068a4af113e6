"""Exporting quantification: the estimates go out in the import's columns and come back the same
(round trip), the results go out as plain numbers for board packs; both per role, guarded against
spreadsheet formulas, recorded in the audit trail, and the same from the command line."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from riskward.audit.models import AuditEvent
from riskward.core.tabular import read_rows
from riskward.risks import quantification
from riskward.risks.models import RiskQuantification
from riskward.risks.quant import ENGINE_VERSION, numpy_version
from riskward.risks.quant_import import (
    HEADER,
    RESULT_COLUMNS,
    estimates_csv,
    export_estimates,
    import_estimates,
    results_csv,
)
from tests.conftest import ROLES
from tests.risks.quant_support import FAST, constant, linked_control, pert, quantify
from tests.roles import READERS

EXPORTS = ("estimates", "results")
MONEY = ("Inherent mean", "Residual mean", "Residual P90", "Residual expected shortfall")


def stored_inputs(org):
    """Everything the estimates file carries, per risk, as stored."""
    result = {}
    for quant in quantification.quantification_rows(org):
        inputs = {name: getattr(quant, name) for name in quantification.ESTIMATES}
        inputs["primary_forms"] = quant.primary_forms
        inputs["secondary_forms"] = quant.secondary_forms
        inputs["effects"] = [
            (e.control.reference, e.target, e.reduction) for e in quant.effects.all()
        ]
        result[quant.risk.reference] = inputs
    return result


@pytest.fixture
def two_quantified(org, users, own_risk, others_risk):
    """RSK-001 with primary loss by form, a PERT of another shape and a control's effect;
    RSK-002 with LEF, secondary loss by form and a number a decimal cannot write exactly."""
    admin = users["admin"]
    control = linked_control(org, own_risk)
    quantify(
        org,
        admin,
        own_risk,
        control,
        tef={**pert(0.5, 2, 6), "shape": 2.5},
        primary=None,
        primary_forms={"response": pert(20_000, 80_000, 400_000), "replacement": constant(15_000)},
    )
    quantify(
        org,
        admin,
        others_risk,
        tef=None,
        vulnerability=None,
        lef={"kind": "uniform", "low": 0.1, "high": 0.30000000000000004},
        secondary=None,
        secondary_forms={"reputation": {"kind": "lognormal", "low": 1e4, "high": 2.5e6}},
    )
    return control


def parsed(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_estimates_go_out_in_the_import_columns(org, two_quantified):
    rows = export_estimates(org)
    own = ["RSK-001"]
    assert [row for row in rows if row[0] == "RSK-001"] == [
        [*own, "tef", "pert", "0.5", "2", "6", "2.5", "", ""],
        [*own, "vulnerability", "pert", "0.1", "0.3", "0.6", "4", "", ""],
        [*own, "secondary_probability", "pert", "0.1", "0.2", "0.5", "4", "", ""],
        [*own, "secondary", "lognormal", "100000", "", "8000000", "", "", ""],
        [*own, "primary.response", "pert", "20000", "80000", "400000", "4", "", ""],
        [*own, "primary.replacement", "constant", "15000", "", "", "", "", ""],
        [*own, "control", "pert", "0.3", "0.5", "0.7", "4", "CTL-001", "magnitude"],
    ]
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert ["RSK-002", "lef", "uniform", "0.1", "", "0.30000000000000004", "", "", ""] in rows
    assert parsed(estimates_csv(org)) == [list(HEADER), *rows]


def test_exported_estimates_import_back_as_the_same_inputs(org, users, two_quantified):
    before = stored_inputs(org)
    assert before["RSK-001"]["effects"] and before["RSK-002"]["secondary_forms"]
    exported = estimates_csv(org).encode()
    RiskQuantification.objects.filter(organization=org).delete()
    result = import_estimates(
        org, users["admin"], read_rows(exported, "estimates.csv"), "estimates.csv"
    )
    assert (result.risks, result.estimates) == (2, len(export_estimates(org)))
    assert stored_inputs(org) == before


def test_importing_an_unchanged_download_leaves_the_results_current(
    client_as, org, users, own_risk, two_quantified
):
    quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)
    ran = RiskQuantification.objects.get(risk=own_risk)
    download = client_as("security_manager").get("/risks/quant/estimates.csv").content
    import_estimates(org, users["admin"], read_rows(download, "estimates.csv"))
    again = RiskQuantification.objects.get(risk=own_risk)
    assert again.inputs_changed_at == ran.inputs_changed_at and not again.is_stale


def test_a_control_reference_like_a_formula_is_guarded_and_still_imports(org, users, own_risk):
    control = linked_control(org, own_risk, reference="@SUM(A1)")
    quantify(org, users["admin"], own_risk, control)
    before = stored_inputs(org)
    text = estimates_csv(org)
    assert "'@SUM(A1)" in text and not any(c.startswith("@") for r in parsed(text) for c in r)
    import_estimates(org, users["admin"], read_rows(text.encode(), "estimates.csv"))
    assert stored_inputs(org) == before


def test_results_are_plain_numbers_per_risk(org, users, own_risk, others_risk, two_quantified):
    quantification.run_portfolio(org, users["admin"], iterations=FAST, seed=11)
    changed = {"lef": pert(0.2, 0.5, 1)}
    quantification.set_inputs(org, users["admin"], others_risk, changed)  # now out of date
    rows = list(csv.DictReader(io.StringIO(results_csv(org))))
    assert list(rows[0]) == list(RESULT_COLUMNS)
    own, other = rows
    quant = RiskQuantification.objects.get(risk=own_risk)
    assert (own["Reference"], own["Title"]) == ("RSK-001", "Rita's risk")
    assert datetime.fromisoformat(own["Last run"]) == quant.run_at.replace(microsecond=0)
    assert (own["Iterations"], own["Seed"]) == (str(FAST), "11")
    assert (own["Engine"], own["numpy"]) == (str(ENGINE_VERSION), numpy_version())
    assert float(own["Residual mean"]) == pytest.approx(quant.residual["mean"], abs=0.005)
    assert float(own["Residual value at risk"]) == pytest.approx(quant.residual["var"], abs=0.005)
    assert float(own["P(annual loss > threshold)"]) == pytest.approx(
        quant.residual["p_exceed_threshold"], abs=1e-6
    )
    for name in MONEY:
        assert own[name].replace(".", "", 1).isdigit(), (name, own[name])
    assert own["Threshold"] == "5000000.00"
    assert (own["Out of date"], other["Out of date"]) == ("no", "yes")


def test_a_title_like_a_formula_is_neutralised_in_the_results(client_as, org, users, make_risk):
    for title in ('=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0"):
        quantify(org, users["admin"], make_risk(title=title))
    response = client_as("admin").get("/risks/quant/results.csv")
    titles = [row[1] for row in parsed(response.content.decode())[1:]]
    assert titles == ['\'=HYPERLINK("http://x")', "'+1+cmd|' /C calc'!A0"]


@pytest.mark.parametrize("what", EXPORTS)
@pytest.mark.parametrize("role", ROLES)
def test_exports_per_role(client_as, org, two_quantified, role, what):
    response = client_as(role).get(f"/risks/quant/{what}.csv")
    if role in READERS:
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        today = timezone.localdate()
        assert response["Content-Disposition"] == (
            f'attachment; filename="quant-{what}-{today:%Y-%m-%d}.csv"'
        )
        assert "RSK-001" in response.content.decode()
    elif role == "outsider":  # their own organization's (empty) file: nothing of ours
        assert response.status_code == 200
        assert len(parsed(response.content.decode())) == 1
    else:
        assert response.status_code == 403
    exported = AuditEvent.objects.filter(action="export", after__table=f"quant-{what}")
    assert exported.filter(organization=org).exists() == (role in READERS)


@pytest.mark.parametrize("role", ROLES)
def test_portfolio_links_the_exports_for_those_allowed(client_as, two_quantified, role):
    page = client_as(role).get("/risks/quant/").content.decode()
    for what in EXPORTS:
        shown = f'href="/risks/quant/{what}.csv"' in page
        assert shown == (role in READERS or role == "outsider"), (role, what)


def test_exports_are_read_only(client_as, two_quantified):
    assert client_as("admin").post("/risks/quant/estimates.csv").status_code == 405


def test_an_export_is_recorded_in_the_audit_trail(client_as, org, users, two_quantified):
    client_as("auditor").get("/risks/quant/estimates.csv")
    event = AuditEvent.objects.get(action="export")
    assert (event.organization, event.actor) == (org, users["auditor"])
    assert event.object_type == "risks.RiskQuantification"
    rows = len(export_estimates(org))
    assert event.after == {"table": "quant-estimates", "format": "csv", "rows": rows, "filters": {}}


def command(*args):
    out = StringIO()
    call_command("quant", "export", "--org", "Example", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("what", EXPORTS)
def test_the_command_writes_what_the_page_downloads(
    client_as, org, users, own_risk, two_quantified, tmp_path, what
):
    quantification.run_risk(org, users["admin"], own_risk, iterations=FAST)
    download = client_as("admin").get(f"/risks/quant/{what}.csv").content
    path = tmp_path / f"{what}.csv"
    assert str(path) in command("--what", what, "--output", str(path), "--as", "auditor")
    assert path.read_bytes() == download
    assert command("--what", what) == download.decode().removeprefix("\ufeff")
    events = AuditEvent.objects.filter(action="export", after__table=f"quant-{what}")
    assert sorted(e.actor_label for e in events) == ["admin", "auditor", "system"]


def test_the_command_exports_estimates_by_default_and_checks_the_user(org, two_quantified):
    assert command().startswith(",".join(HEADER))
    with pytest.raises(CommandError, match="may not do this"):
        command("--as", "board_member")
