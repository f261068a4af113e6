"""The `riskward` console script: friendly names, and clear errors instead of tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from riskward import cli


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RISKWARD_DATABASE_URL"}
    env |= {"RISKWARD_DATA_DIR": str(data_dir), "RISKWARD_ENV": "development"}
    code = "import sys; from riskward.cli import main; main(sys.argv[1:])"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )


def test_a_missing_data_directory_is_named_without_a_traceback(tmp_path):
    missing = tmp_path / "nowhere" / "var"
    done = run_cli("migrate", data_dir=missing)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"SQLite database {missing / 'riskward.sqlite3'}" in done.stderr
    assert "RISKWARD_DATA_DIR exists" in done.stderr


def test_the_hint_for_a_server_database_names_the_url():
    server = {"ENGINE": "django.db.backends.postgresql", "NAME": "grc", "HOST": "db.internal"}
    text = cli.database_problem(Exception("connection refused"), server)
    assert text.startswith("database grc on db.internal: connection refused.")
    assert "RISKWARD_DATABASE_URL" in text
