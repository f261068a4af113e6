"""Typed access to Riskward's environment variables.

Every variable the application reads is declared here, once, with its type, default and help
text; `.env.example` is generated from (and tested against) this registry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class ConfigurationError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Variable:
    name: str
    default: str | None
    help: str


VARIABLES: dict[str, Variable] = {}


def declare(name: str, default: str | None, help: str) -> Variable:
    variable = Variable(name, default, help)
    VARIABLES[name] = variable
    return variable


def _raw(variable: Variable) -> str | None:
    value = os.environ.get(variable.name)
    if value is None or value == "":
        return variable.default
    return value


def text(variable: Variable) -> str | None:
    return _raw(variable)


def boolean(variable: Variable) -> bool:
    value = (_raw(variable) or "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"", "0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{variable.name} must be true or false, not {value!r}")


def integer(variable: Variable, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(variable)
    try:
        number = int(value or "")
    except ValueError:
        raise ConfigurationError(f"{variable.name} must be a whole number, not {value!r}") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        low = "" if minimum is None else f" from {minimum:,}"
        high = "" if maximum is None else f" up to {maximum:,}"
        raise ConfigurationError(f"{variable.name} must be{low}{high}, not {value!r}")
    return number


def listing(variable: Variable) -> list[str]:
    return [item.strip() for item in (_raw(variable) or "").split(",") if item.strip()]


def path(variable: Variable) -> Path:
    return Path(_raw(variable) or ".").expanduser().resolve()


ENV = declare("RISKWARD_ENV", "development", "development, test or production")
SECRET_KEY = declare(
    "RISKWARD_SECRET_KEY", None, "Django secret key; required in production (50+ random chars)"
)
DEBUG = declare("RISKWARD_DEBUG", None, "Show Django debug pages; defaults to on in development")
DATA_DIR = declare("RISKWARD_DATA_DIR", "./var", "Where the SQLite database and uploads live")
DATABASE_URL = declare(
    "RISKWARD_DATABASE_URL",
    None,
    "postgres://user@host:5432/db to use PostgreSQL; SQLite under RISKWARD_DATA_DIR when unset",
)
ALLOWED_HOSTS = declare(
    "RISKWARD_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names served"
)
CSRF_TRUSTED_ORIGINS = declare(
    "RISKWARD_CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins (https://grc.example.com)"
)
UPLOAD_MAX_BYTES = declare(
    "RISKWARD_UPLOAD_MAX_BYTES", "26214400", "Largest evidence file accepted, in bytes"
)
LOGIN_MAX_FAILURES = declare(
    "RISKWARD_LOGIN_MAX_FAILURES", "5", "Failed logins in a row before an account is locked"
)
LOCKOUT_MINUTES = declare(
    "RISKWARD_LOCKOUT_MINUTES", "15", "How long a locked account stays locked, in minutes"
)
SEC_TAXONOMY = declare(
    "RISKWARD_SEC_TAXONOMY",
    None,
    "Directory or zip files of the official SEC cyd/dei taxonomies (verified by SHA-256)",
)
LOG_LEVEL = declare("RISKWARD_LOG_LEVEL", "INFO", "Python logging level for Riskward's loggers")
QUANT_SEED = declare(
    "RISKWARD_QUANT_SEED",
    "0",
    "Seed of quantification runs that choose none; the same inputs give the same figures",
)
QUANT_ITERATIONS = declare(
    "RISKWARD_QUANT_ITERATIONS",
    "100000",
    "Simulated years of a quantification run that chooses none (1000 to 2000000)",
)
