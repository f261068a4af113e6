"""Riskward's one settings module: every value comes from `lib.env` (see .env.example)."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url

from riskward.lib import env
from riskward.lib.env import ConfigurationError

BASE_DIR = Path(__file__).resolve().parent
RUNNING_TESTS = "pytest" in sys.modules
ENVIRONMENT = env.text(env.ENV) or "development"
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ConfigurationError(
        f"RISKWARD_ENV must be development, test or production, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

_secret = env.text(env.SECRET_KEY)
if PRODUCTION and not _secret:
    raise ConfigurationError(
        "RISKWARD_SECRET_KEY is not set. Production mode refuses to start without a secret key: "
        "set it to 50 or more random characters (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )
# Development and tests use a fixed, clearly insecure key so sessions survive restarts.
SECRET_KEY = _secret or "riskward-insecure-development-key-never-use-in-production"
DEBUG = env.boolean(env.DEBUG) if env.text(env.DEBUG) else ENVIRONMENT == "development"
ALLOWED_HOSTS = env.listing(env.ALLOWED_HOSTS)
CSRF_TRUSTED_ORIGINS = env.listing(env.CSRF_TRUSTED_ORIGINS)

DATA_DIR = env.path(env.DATA_DIR)
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/media/"
UPLOAD_MAX_BYTES = env.integer(env.UPLOAD_MAX_BYTES)
# Official SEC taxonomy files supplied by the operator; without them disclosures are validated
# against Riskward's unofficial test taxonomy and never reported as ready to file.
SEC_TAXONOMY = env.path(env.SEC_TAXONOMY) if env.text(env.SEC_TAXONOMY) else None
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGIN_MAX_FAILURES = env.integer(env.LOGIN_MAX_FAILURES)
LOCKOUT_MINUTES = env.integer(env.LOCKOUT_MINUTES)
# Defaults of quantification runs. The bounds are risks.quantification's MIN_ITERATIONS,
# MAX_ITERATIONS and MAX_SEED, repeated because settings cannot import an app (a test keeps
# them equal).
QUANT_SEED = env.integer(env.QUANT_SEED, minimum=0, maximum=2**63 - 1)
QUANT_ITERATIONS = env.integer(env.QUANT_ITERATIONS, minimum=1_000, maximum=2_000_000)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "riskward.audit",
    "riskward.core",
    "riskward.assets",
    "riskward.controls",
    "riskward.risks",
    "riskward.program",
    "riskward.governance",
    "riskward.incidents",
    "riskward.disclosure",
    "riskward.dashboard",
    "riskward.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "riskward.core.middleware.OrganizationMiddleware",
    "riskward.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "riskward.urls"
WSGI_APPLICATION = "riskward.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "dashboard:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "riskward.core.context_processors.navigation",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = env.text(env.DATABASE_URL)
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "riskward.sqlite3",
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (busy_timeout)
            # instead of failing mid-transaction; WAL lets readers run during writes.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if RUNNING_TESTS and not PRODUCTION:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; see base.html
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "riskward": {"handlers": ["console"], "level": env.text(env.LOG_LEVEL) or "INFO"},
        "django.request": {"handlers": ["console"], "level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
