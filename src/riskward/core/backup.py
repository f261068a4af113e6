"""Backups of the database and the uploaded files, and restoring them.

SQLite is copied with its online backup API, a consistent snapshot taken while the server keeps
running; PostgreSQL is dumped with `pg_dump -Fc` and restored with `pg_restore --clean`. The
uploads folder (evidence files) is archived next to the database backup. A restore first saves
the current database beside the backups, so a restore by mistake can itself be undone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connections

from riskward.lib.errors import Conflict, DomainError, InvalidInput, NotFound

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
RISKWARD_TABLE = "core_organization"  # present in every Riskward database


@dataclass(frozen=True)
class BackupFiles:
    database: Path
    uploads: Path | None  # None when there was no uploads folder yet


@dataclass(frozen=True)
class Restored:
    safety_copy: Path | None  # the database as it was before the restore
    uploads: bool  # whether an uploads archive was restored too
    previous_uploads: Path | None  # where the uploads folder it replaced was moved


def database_settings() -> dict[str, Any]:
    """The default database's settings, as the running process uses them."""
    return dict(connections["default"].settings_dict)


def engine_of(db: Mapping[str, Any]) -> str:
    engine = ENGINES.get(str(db.get("ENGINE", "")))
    if engine is None:
        raise DomainError(f"Backups support SQLite and PostgreSQL, not {db.get('ENGINE')}.")
    return engine


def default_target(data_dir: Path, db: Mapping[str, Any], now: datetime) -> Path:
    return data_dir / "backups" / f"riskward-{now:%Y%m%d-%H%M%S}{SUFFIXES[engine_of(db)]}"


def uploads_archive(database_backup: Path) -> Path:
    return database_backup.with_name(f"{database_backup.stem}-uploads.tar.gz")


def create_backup(db: Mapping[str, Any], target: Path, media_root: Path) -> BackupFiles:
    """Back up the database to `target` and the uploads folder next to it; never overwrites."""
    engine = engine_of(db)
    for path in (target, uploads_archive(target)):
        if path.exists():
            raise Conflict(f"{path} already exists; choose another file name.")
    _copy_database(engine, db, target)
    uploads = None
    if media_root.is_dir():
        uploads = uploads_archive(target)
        with _written(uploads) as partial, tarfile.open(partial, "w:gz") as tar:
            tar.add(media_root, arcname="uploads")
    return BackupFiles(target, uploads)


def backup_engine(path: Path) -> str:
    """Which engine a backup file is for; refuses files that are not Riskward backups."""
    if not path.is_file():
        raise NotFound(f"No backup file at {path}.")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    if head != SQLITE_MAGIC:
        raise InvalidInput(f"{path} is not a Riskward backup (not SQLite, not a pg_dump file).")
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as source:
        found = source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (RISKWARD_TABLE,)
        ).fetchone()
    if found is None:
        raise InvalidInput(f"{path} is an SQLite database, but not a Riskward one.")
    return "sqlite"


def restore_backup(
    db: Mapping[str, Any], backup: Path, media_root: Path, data_dir: Path, now: datetime
) -> Restored:
    """Replace the database (and uploads, if archived alongside) with the backup's."""
    engine = engine_of(db)
    found = backup_engine(backup)
    if found != engine:
        raise InvalidInput(
            f"{backup} is a {LABELS[found]} backup, but this installation runs {LABELS[engine]}."
        )
    archive = uploads_archive(backup)
    # Unpack the uploads before touching the database, so a bad archive changes nothing.
    staging = _unpack_uploads(archive, media_root.parent) if archive.is_file() else None
    try:
        safety = _save_current(engine, db, data_dir, now)
        if engine == "sqlite":
            _sqlite_copy(backup, _sqlite_path(db), standalone=False)
        else:
            _pg_restore(db, backup)
        previous = _swap_uploads(staging, media_root, now) if staging else None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return Restored(safety, staging is not None, previous)


def _save_current(engine: str, db: Mapping[str, Any], data_dir: Path, now: datetime) -> Path | None:
    if engine == "sqlite" and not _sqlite_path(db).exists():
        return None  # a fresh installation: nothing to keep
    safety = data_dir / "backups" / f"pre-restore-{now:%Y%m%d-%H%M%S}{SUFFIXES[engine]}"
    _copy_database(engine, db, safety)
    return safety


def _copy_database(engine: str, db: Mapping[str, Any], target: Path) -> None:
    with _written(target) as partial:
        if engine == "sqlite":
            _sqlite_copy(_sqlite_path(db), partial)
        else:
            _run([*_pg_tool("pg_dump", db), "--format=custom", f"--file={partial}"], db)


def _pg_restore(db: Mapping[str, Any], backup: Path) -> None:
    """Drop and recreate what the dump holds, in one transaction: all of it or none."""
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _run([*_pg_tool("pg_restore", db), *options, str(backup)], db)


@contextmanager
def _written(target: Path) -> Iterator[Path]:
    """Write to `<name>.partial`, then rename: a backup file is either complete or absent."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.chmod(0o600)  # backups hold password hashes and the whole record
    partial.replace(target)


def _sqlite_path(db: Mapping[str, Any]) -> Path:
    name = str(db.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise DomainError("The database is in memory: there is no file to back up or restore.")
    return Path(name)


def _sqlite_copy(source: Path, target: Path, *, standalone: bool = True) -> None:
    """Copy page by page with SQLite's backup API; writers may keep working meanwhile.

    A standalone copy (a backup file) leaves WAL mode so it is one self-contained file.
    """
    if not source.is_file():
        raise NotFound(f"No SQLite database at {source}.")
    with (
        closing(sqlite3.connect(source, timeout=20)) as src,
        closing(sqlite3.connect(target, timeout=20)) as dst,
    ):
        src.backup(dst)
        if standalone:
            dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise DomainError(f"The copy at {target} failed SQLite's integrity check: {check}")


def _pg_tool(tool: str, db: Mapping[str, Any]) -> list[str]:
    executable = shutil.which(tool)
    if executable is None:
        raise DomainError(f"{tool} was not found; install the PostgreSQL client tools.")
    args = [executable, "--no-password"]  # never prompt: the password comes from PGPASSWORD
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    return [*args, f"--dbname={db['NAME']}"]


def _run(args: list[str], db: Mapping[str, Any]) -> None:
    environment = dict(os.environ)
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])  # kept off the command line and output
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    done = subprocess.run(  # noqa: S603 - an argument list from settings, no shell
        args, env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        tool = Path(args[0]).name
        raise DomainError(f"{tool} failed: {done.stderr.strip()[-2000:]}")


def _unpack_uploads(archive: Path, parent: Path) -> Path:
    """The archive unpacked into a staging folder beside the uploads folder."""
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=parent))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")  # refuses absolute paths, escaping links
        if not (staging / "uploads").is_dir():
            raise InvalidInput(f"{archive} holds no uploads folder.")
    except tarfile.TarError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise InvalidInput(f"{archive} is not a usable uploads archive: {error}") from None
    except InvalidInput:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _swap_uploads(staging: Path, media_root: Path, now: datetime) -> Path | None:
    """Move the unpacked uploads into place; the folder they replace is kept aside."""
    previous = None
    if media_root.exists():
        previous = media_root.with_name(f"{media_root.name}.pre-restore-{now:%Y%m%d-%H%M%S}")
        media_root.rename(previous)
    (staging / "uploads").rename(media_root)
    return previous
