"""The `riskward` console script: Django's management commands under friendlier names.

`riskward serve`, `riskward demo`, `riskward createuser`, `riskward import`, `riskward export`,
`riskward audit-verify`, `riskward backup`, `riskward restore`, `riskward disclosure`,
`riskward filing-deadline`, `riskward quant`, and every manage.py command.
"""

from __future__ import annotations

import os
import sys

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
    from riskward.lib.env import ConfigurationError

    try:
        from django.core.management import execute_from_command_line

        if args and args[0] in ALIASES:
            args[0] = ALIASES[args[0]]
        execute_from_command_line(["riskward", *args])
    except ConfigurationError as error:
        sys.stderr.write(f"riskward: configuration error: {error}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
