"""`riskward restore FILE [--yes]`: replace the database (and uploads) with a backup's.

The current database is first saved under RISKWARD_DATA_DIR/backups/pre-restore-*, so a
restore can be undone by restoring that file. Stop the server while restoring.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from riskward.core import backup
from riskward.lib.errors import DomainError


class Command(BaseCommand):
    help = "Restore a backup made by `riskward backup`; asks first unless --yes is given."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the database backup file (.sqlite3 or .dump)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **opts: Any) -> None:
        db = backup.database_settings()
        path = Path(opts["file"])
        try:
            backup.backup_engine(path)  # refuse a wrong file before asking anything
            if not opts["yes"]:
                self._confirm(path, db)
            connections.close_all()  # our own connections must not hold locks meanwhile
            done = backup.restore_backup(
                db, path, Path(settings.MEDIA_ROOT), Path(settings.DATA_DIR), timezone.now()
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        if done.safety_copy is not None:
            self.stdout.write(f"the database as it was is saved at {done.safety_copy}")
        self.stdout.write(f"restored the database from {path}")
        if done.uploads:
            self.stdout.write(f"restored uploads to {settings.MEDIA_ROOT}")
        if done.previous_uploads is not None:
            self.stdout.write(f"the uploads folder it replaced is at {done.previous_uploads}")

    def _confirm(self, path: Path, db: dict[str, Any]) -> None:
        if not sys.stdin.isatty():
            raise CommandError("restore replaces every record; confirm with --yes")
        self.stdout.write(f"This replaces every record in {db.get('NAME')} with {path}.")
        if input("Type yes to restore: ").strip().lower() != "yes":
            raise CommandError("restore cancelled; nothing was changed")
