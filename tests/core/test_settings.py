"""Configuration: .env.example is complete, production refuses to start without a key, and
numbers are typed and checked at start."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from riskward import settings as settings_module
from riskward.lib import env
from riskward.risks import quantification

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_variable_the_code_reads():
    listed = set(re.findall(r"^(RISKWARD_[A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert listed == set(env.VARIABLES)


def test_every_env_read_in_source_goes_through_lib_env():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src").rglob("*.py")
        if path.name != "env.py"
        and re.search(r"os\.environ(\.get|\[)\s*\(?\s*['\"]RISKWARD_", path.read_text())
    ]
    assert offenders == []


def _check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RISKWARD_")}
    return subprocess.run(
        [sys.executable, "-m", "riskward", "check"],
        env={**clean, "RISKWARD_DATA_DIR": "/tmp/riskward-settings-test", **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_secret_key_refuses_with_clear_message():
    result = _check({"RISKWARD_ENV": "production"})
    assert result.returncode == 2
    assert "RISKWARD_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_with_secret_key_starts():
    result = _check({"RISKWARD_ENV": "production", "RISKWARD_SECRET_KEY": "x" * 60})
    assert result.returncode == 0, result.stderr


def test_malformed_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("RISKWARD_UPLOAD_MAX_BYTES", "lots")
    with pytest.raises(env.ConfigurationError, match="RISKWARD_UPLOAD_MAX_BYTES"):
        env.integer(env.UPLOAD_MAX_BYTES)


def _settings_with(monkeypatch: pytest.MonkeyPatch, **variables: str) -> dict[str, object]:
    """The settings module run afresh under these variables (the loaded settings untouched)."""
    for name in ("RISKWARD_QUANT_SEED", "RISKWARD_QUANT_ITERATIONS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(settings_module.__file__)


def test_quantification_defaults_are_seed_zero_and_100000_years(monkeypatch):
    loaded = _settings_with(monkeypatch)
    assert (loaded["QUANT_SEED"], loaded["QUANT_ITERATIONS"]) == (0, 100_000)


def test_quantification_variables_are_read_as_numbers(monkeypatch):
    loaded = _settings_with(
        monkeypatch, RISKWARD_QUANT_SEED="42", RISKWARD_QUANT_ITERATIONS="250000"
    )
    assert (loaded["QUANT_SEED"], loaded["QUANT_ITERATIONS"]) == (42, 250_000)


@pytest.mark.parametrize(
    ("name", "accepted", "refused"),
    [
        (
            "RISKWARD_QUANT_ITERATIONS",
            [quantification.MIN_ITERATIONS, quantification.MAX_ITERATIONS],
            [quantification.MIN_ITERATIONS - 1, quantification.MAX_ITERATIONS + 1],
        ),
        ("RISKWARD_QUANT_SEED", [0, quantification.MAX_SEED], [-1, quantification.MAX_SEED + 1]),
    ],
)
def test_quantification_bounds_are_the_engines(monkeypatch, name, accepted, refused):
    for value in accepted:
        _settings_with(monkeypatch, **{name: str(value)})
    for value in refused:
        with pytest.raises(env.ConfigurationError, match=rf"^{name} must be from .*'{value}'"):
            _settings_with(monkeypatch, **{name: str(value)})


@pytest.mark.parametrize("name", ["RISKWARD_QUANT_SEED", "RISKWARD_QUANT_ITERATIONS"])
def test_quantification_variable_not_a_whole_number_names_it(monkeypatch, name):
    with pytest.raises(env.ConfigurationError, match=f"^{name} must be a whole number"):
        _settings_with(monkeypatch, **{name: "1e5"})


def test_out_of_range_iterations_refuse_to_start_with_clear_message():
    result = _check({"RISKWARD_QUANT_ITERATIONS": "10"})
    assert result.returncode == 2
    assert "RISKWARD_QUANT_ITERATIONS must be from 1,000 up to 2,000,000" in result.stderr
    assert "Traceback" not in result.stderr
