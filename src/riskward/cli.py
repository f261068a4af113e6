"""The `riskward` console script: Django's management commands under friendlier names.

`riskward serve`, `riskward demo`, `riskward createuser`, `riskward import`, `riskward export`,
`riskward audit-verify`, `riskward backup`, `riskward restore`, `riskward disclosure`,
`riskward filing-deadline`, `riskward quant`, and every manage.py command.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

ALIASES = {
    "serve": "serve",
    "demo": "load_demo",
    "createuser": "create_user",
    "import": "import_records",
    "export": "export_records",
    "audit-verify": "audit_verify",
    "expire-acceptances": "expire_acceptances",
    "backup": "backup",
    "restore": "restore",
    "disclosure": "disclosure",
    "filing-deadline": "filing_deadline",
    "quant": "quant",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskward.settings")
    from django.db.utils import OperationalError

    from riskward.lib.env import ConfigurationError

    try:
        from django.core.management import execute_from_command_line

        if args and args[0] in ALIASES:
            args[0] = ALIASES[args[0]]
        execute_from_command_line(["riskward", *args])
    except ConfigurationError as error:
        sys.stderr.write(f"riskward: configuration error: {error}\n")
        raise SystemExit(2) from None
    except OperationalError as error:  # the database cannot be reached or lacks its tables
        from django.conf import settings

        sys.stderr.write(f"riskward: {database_problem(error, settings.DATABASES['default'])}\n")
        raise SystemExit(2) from None


def database_problem(error: Exception, db: Mapping[str, Any]) -> str:
    """What went wrong with the database `db` (a DATABASES entry), where it is, what to check."""
    if str(db["ENGINE"]).endswith("sqlite3"):
        where = f"SQLite database {db['NAME']}"
        check = "that RISKWARD_DATA_DIR exists and this user may write to it"
    else:
        where = f"database {db.get('NAME')} on {db.get('HOST') or 'the local socket'}"
        check = "RISKWARD_DATABASE_URL and that the server is running"
    return (
        f"{where}: {error}. Check {check}; `riskward migrate` creates the tables "
        "(`riskward demo` and `riskward serve` create the data directory)."
    )


if __name__ == "__main__":
    main()
