"""`riskward backup [-o FILE]`: a consistent copy of the database, plus the uploads folder.

SQLite uses its online backup API (safe while the server runs); PostgreSQL uses pg_dump -Fc.
Without -o the backup goes to RISKWARD_DATA_DIR/backups/ under a timestamped name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from riskward.core import backup
from riskward.lib.errors import DomainError


class Command(BaseCommand):
    help = "Back up the database (and uploaded files) to RISKWARD_DATA_DIR/backups or -o FILE."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("-o", "--output", help="the database backup file to write")

    def handle(self, *args: Any, **opts: Any) -> None:
        db = backup.database_settings()
        try:
            target = (
                Path(opts["output"])
                if opts["output"]
                else backup.default_target(Path(settings.DATA_DIR), db, timezone.now())
            )
            made = backup.create_backup(db, target, Path(settings.MEDIA_ROOT))
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"database backed up to {made.database}")
        if made.uploads is not None:
            self.stdout.write(f"uploads archived to {made.uploads}")
