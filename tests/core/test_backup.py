"""`riskward backup` / `riskward restore`: SQLite through its backup API, PostgreSQL through
pg_dump and pg_restore. The SQLite tests work on real database files in a temporary folder
(the suite's own database is in memory); the PostgreSQL round trip uses a scratch database.
"""

from __future__ import annotations

import io
import sqlite3
import tarfile
import uuid
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from riskward.core import backup
from riskward.lib.errors import DomainError, InvalidInput, NotFound

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
SQLITE = "django.db.backends.sqlite3"
ON_POSTGRES = connection.vendor == "postgresql"


def make_database(path: Path, *names: str) -> dict[str, object]:
    """A small Riskward-shaped SQLite file in WAL mode, as the server runs it."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE core_organization (id INTEGER PRIMARY KEY, legal_name TEXT)")
        db.executemany(
            "INSERT INTO core_organization (legal_name) VALUES (?)", [(n,) for n in names]
        )
        db.commit()
    return {"ENGINE": SQLITE, "NAME": str(path)}


def names_in(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [r[0] for r in db.execute("SELECT legal_name FROM core_organization ORDER BY id")]


@pytest.fixture
def site(tmp_path):
    """A data folder with a live database and an uploads folder holding one evidence file."""
    media = tmp_path / "uploads"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "report.pdf").write_bytes(b"%PDF-1.7 original")
    return {
        "db": make_database(tmp_path / "riskward.sqlite3", "Example Holdings Ltd."),
        "data": tmp_path,
        "media": media,
    }


def test_backup_copies_database_and_uploads(site, tmp_path):
    target = tmp_path / "backups" / "b.sqlite3"
    made = backup.create_backup(site["db"], target, site["media"])
    assert made.database == target
    assert names_in(target) == ["Example Holdings Ltd."]
    assert target.stat().st_mode & 0o777 == 0o600
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one plain file
    assert made.uploads == tmp_path / "backups" / "b-uploads.tar.gz"
    with tarfile.open(made.uploads) as tar:
        assert "uploads/evidence/report.pdf" in tar.getnames()
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_backup_is_consistent_while_another_connection_writes(site, tmp_path):
    with closing(sqlite3.connect(site["db"]["NAME"], isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO core_organization (legal_name) VALUES ('Uncommitted')")
        backup.create_backup(site["db"], tmp_path / "b.sqlite3", site["media"])
        writer.execute("ROLLBACK")
    assert names_in(tmp_path / "b.sqlite3") == ["Example Holdings Ltd."]


def test_backup_never_overwrites(site, tmp_path):
    target = tmp_path / "b.sqlite3"
    target.write_bytes(b"keep me")
    with pytest.raises(DomainError, match="already exists"):
        backup.create_backup(site["db"], target, site["media"])
    assert target.read_bytes() == b"keep me"


def test_backup_without_uploads_folder_archives_nothing(site, tmp_path):
    made = backup.create_backup(site["db"], tmp_path / "b.sqlite3", tmp_path / "missing")
    assert made.uploads is None


def test_default_target_is_timestamped_under_the_data_folder(site):
    target = backup.default_target(site["data"], site["db"], NOW)
    assert target == site["data"] / "backups" / "riskward-20250301-093000.sqlite3"
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "riskward"}
    assert backup.default_target(site["data"], pg, NOW).name == "riskward-20250301-093000.dump"


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ({"ENGINE": SQLITE, "NAME": ":memory:"}, "in memory"),
        ({"ENGINE": SQLITE, "NAME": "file:memorydb_default?mode=memory&cache=shared"}, "in memory"),
        ({"ENGINE": SQLITE, "NAME": "/nonexistent/riskward.sqlite3"}, "No SQLite database"),
        ({"ENGINE": "django.db.backends.mysql", "NAME": "x"}, "SQLite and PostgreSQL"),
    ],
)
def test_backup_refuses_what_it_cannot_copy(db, message, tmp_path):
    with pytest.raises(DomainError, match=message):
        backup.create_backup(db, tmp_path / "b.sqlite3", tmp_path)
    assert not (tmp_path / "b.sqlite3").exists()


def test_restore_brings_back_database_and_uploads_and_keeps_what_it_replaced(site, tmp_path):
    saved = backup.create_backup(site["db"], tmp_path / "b.sqlite3", site["media"])
    live = Path(site["db"]["NAME"])
    with closing(sqlite3.connect(live)) as db:
        db.execute("UPDATE core_organization SET legal_name = 'Changed'")
        db.execute("INSERT INTO core_organization (legal_name) VALUES ('Added later')")
        db.commit()
    (site["media"] / "evidence" / "report.pdf").write_bytes(b"tampered")
    done = backup.restore_backup(site["db"], saved.database, site["media"], site["data"], NOW)
    assert names_in(live) == ["Example Holdings Ltd."]
    assert (site["media"] / "evidence" / "report.pdf").read_bytes() == b"%PDF-1.7 original"
    assert done.safety_copy == site["data"] / "backups" / "pre-restore-20250301-093000.sqlite3"
    assert names_in(done.safety_copy) == ["Changed", "Added later"]
    assert done.uploads is True
    assert (done.previous_uploads / "evidence" / "report.pdf").read_bytes() == b"tampered"


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (None, NotFound, "No backup file"),
        (b"Name,Kind\n", InvalidInput, "not a Riskward backup"),
        (
            b"PGDMP\x01\x0e\x00",
            InvalidInput,
            "is a PostgreSQL backup, but this installation runs SQLite",
        ),
    ],
)
def test_restore_refuses_missing_and_foreign_files(site, tmp_path, content, error, message):
    path = tmp_path / "candidate"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error, match=message):
        backup.restore_backup(site["db"], path, site["media"], site["data"], NOW)
    assert names_in(Path(site["db"]["NAME"])) == ["Example Holdings Ltd."]


def test_restore_refuses_an_sqlite_file_that_is_not_riskward(site, tmp_path):
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(InvalidInput, match="not a Riskward one"):
        backup.restore_backup(site["db"], other, site["media"], site["data"], NOW)


def test_sqlite_backup_is_refused_on_postgresql(site, tmp_path):
    saved = backup.create_backup(site["db"], tmp_path / "b.sqlite3", site["media"])
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "riskward"}
    with pytest.raises(InvalidInput, match="is a SQLite backup, but this installation runs Post"):
        backup.restore_backup(pg, saved.database, site["media"], site["data"], NOW)


def test_uploads_archive_escaping_its_folder_is_refused_before_the_database_changes(site, tmp_path):
    saved = backup.create_backup(site["db"], tmp_path / "b.sqlite3", site["media"])
    saved.uploads.unlink()
    with tarfile.open(saved.uploads, "w:gz") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with closing(sqlite3.connect(site["db"]["NAME"])) as db:
        db.execute("UPDATE core_organization SET legal_name = 'Current'")
        db.commit()
    with pytest.raises(InvalidInput, match="not a usable uploads archive"):
        backup.restore_backup(site["db"], saved.database, site["media"], site["data"], NOW)
    assert names_in(Path(site["db"]["NAME"])) == ["Current"]
    assert not list(tmp_path.rglob("escaped.txt"))


def test_postgresql_tools_get_the_password_from_the_environment_only(monkeypatch, tmp_path):
    calls = []

    class Done:
        returncode = 0
        stderr = ""

    def fake_run(args, env, **kwargs):
        calls.append((args, env))
        Path(next(a for a in args if a.startswith("--file=")).removeprefix("--file=")).touch()
        return Done()

    monkeypatch.setattr(backup.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    db = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "riskward",
        "USER": "grc",
        "PASSWORD": "s3cret-pw",
        "HOST": "db.internal",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require"},
    }
    backup.create_backup(db, tmp_path / "b.dump", tmp_path / "no-uploads")
    args, env = calls[0]
    assert args[:2] == ["/usr/bin/pg_dump", "--no-password"]
    assert {"--host=db.internal", "--port=5433", "--username=grc", "--dbname=riskward"} <= set(args)
    assert "--format=custom" in args
    assert not any("s3cret-pw" in a for a in args)
    assert (env["PGPASSWORD"], env["PGSSLMODE"]) == ("s3cret-pw", "require")


def test_failing_postgresql_tool_reports_its_error(monkeypatch, tmp_path):
    class Failed:
        returncode = 1
        stderr = 'pg_dump: error: connection to server failed: FATAL: role "grc" does not exist\n'

    monkeypatch.setattr(backup.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(backup.subprocess, "run", lambda args, **kw: Failed())
    db = {"ENGINE": "django.db.backends.postgresql", "NAME": "riskward", "PASSWORD": "pw"}
    with pytest.raises(DomainError, match=r'pg_dump failed: .*role "grc" does not exist'):
        backup.create_backup(db, tmp_path / "b.dump", tmp_path)
    assert not list(tmp_path.glob("b.dump*"))


# The commands ----------------------------------------------------------------------------


@pytest.fixture
def commands_on(site, monkeypatch):
    """Point the commands at the temporary site instead of the suite's in-memory database."""
    monkeypatch.setattr(backup, "database_settings", lambda: dict(site["db"]))
    with override_settings(DATA_DIR=site["data"], MEDIA_ROOT=site["media"]):
        yield site


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_backup_command_writes_to_the_backups_folder(commands_on):
    out = run("backup")
    made = sorted((commands_on["data"] / "backups").glob("riskward-*.sqlite3"))
    assert len(made) == 1
    assert out.splitlines() == [
        f"database backed up to {made[0]}",
        f"uploads archived to {made[0].with_name(made[0].stem + '-uploads.tar.gz')}",
    ]


def test_restore_command_needs_confirmation_then_restores(commands_on, tmp_path, monkeypatch):
    run("backup", "-o", str(tmp_path / "saved.sqlite3"))
    with closing(sqlite3.connect(commands_on["db"]["NAME"])) as db:
        db.execute("DELETE FROM core_organization")
        db.commit()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no one to ask
    with pytest.raises(CommandError, match="confirm with --yes"):
        run("restore", str(tmp_path / "saved.sqlite3"))
    assert names_in(Path(commands_on["db"]["NAME"])) == []
    out = run("restore", str(tmp_path / "saved.sqlite3"), "--yes")
    assert names_in(Path(commands_on["db"]["NAME"])) == ["Example Holdings Ltd."]
    assert f"restored the database from {tmp_path / 'saved.sqlite3'}" in out
    assert "the database as it was is saved at" in out


def test_restore_command_refuses_a_wrong_file_before_asking(commands_on, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match="is not a Riskward backup"):
        run("restore", str(tmp_path / "notes.txt"))
    with pytest.raises(CommandError, match="No backup file at"):
        run("restore", str(tmp_path / "missing.sqlite3"), "--yes")


# PostgreSQL, for real, when the suite runs on it -----------------------------------------


@pytest.fixture
def scratch_postgres():
    """An empty database on the suite's PostgreSQL server, dropped afterwards."""
    import psycopg

    params = connection.settings_dict
    name = f"riskward_backup_{uuid.uuid4().hex[:12]}"
    server = {
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(dbname=name, autocommit=True, **server) as db:
            yield {**params, "NAME": name}, db
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(not ON_POSTGRES, reason="the suite is running on SQLite")
def test_postgresql_backup_and_restore_round_trip(scratch_postgres, tmp_path):
    settings_dict, db = scratch_postgres
    db.execute("CREATE TABLE core_organization (id serial PRIMARY KEY, legal_name text)")
    db.execute("INSERT INTO core_organization (legal_name) VALUES ('Example Holdings Ltd.')")
    made = backup.create_backup(settings_dict, tmp_path / "b.dump", tmp_path / "uploads")
    assert made.database.read_bytes().startswith(b"PGDMP")
    db.execute("UPDATE core_organization SET legal_name = 'Changed'")
    db.execute("INSERT INTO core_organization (legal_name) VALUES ('Added later')")
    done = backup.restore_backup(settings_dict, made.database, tmp_path / "uploads", tmp_path, NOW)
    rows = db.execute("SELECT legal_name FROM core_organization ORDER BY id").fetchall()
    assert rows == [("Example Holdings Ltd.",)]
    assert done.safety_copy.read_bytes().startswith(b"PGDMP")
    with pytest.raises(InvalidInput, match="is a PostgreSQL backup, but this installation runs"):
        backup.restore_backup(
            {"ENGINE": SQLITE, "NAME": str(tmp_path / "x.sqlite3")},
            made.database,
            tmp_path / "uploads",
            tmp_path,
            NOW,
        )
