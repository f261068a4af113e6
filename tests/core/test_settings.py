"""Configuration: .env.example is complete and production refuses to start without a key."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from riskward.lib import env

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
