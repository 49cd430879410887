"""Tend settings: one module, configured by environment variables (see README)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("TEND_DEBUG", False)
DATA_DIR = Path(os.environ.get("TEND_DATA_DIR", BASE_DIR / "var"))
SECRET_KEY = os.environ.get("TEND_SECRET_KEY", "")
if not SECRET_KEY:
    # A fixed development key is acceptable only on a machine serving itself; `tend serve`
    # refuses to start without TEND_SECRET_KEY (see tend/core/management/commands/serve.py).
    SECRET_KEY = "tend-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("TEND_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("TEND_CSRF_TRUSTED_ORIGINS")
HTTPS = env_bool("TEND_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "pgtrigger",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "tend.core",
    "tend.accounts",
    "tend.audit",
    "tend.clients",
    "tend.assessments",
    "tend.measures",
    "tend.plans",
    "tend.care",
    "tend.coordination",
    "tend.supervision",
    "tend.licensure",
    "tend.careers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tend.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tend.core.middleware.SessionRenewalMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tend.core.middleware.MembershipMiddleware",
    "tend.core.middleware.MfaRequiredMiddleware",
]

FORM_RENDERER = "tend.core.forms.FormRenderer"

ROOT_URLCONF = "tend.urls"
WSGI_APPLICATION = "tend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "tend.core.context_processors.tend",
            ],
        },
    },
]


def database_config() -> dict[str, object]:
    """DATABASE_URL wins; then the standard libpq PG* variables; else embedded SQLite."""
    if os.environ.get("DATABASE_URL"):
        return dict(dj_database_url.config(conn_max_age=60, conn_health_checks=True))
    if os.environ.get("PGDATABASE") or os.environ.get("PGHOST"):
        # libpq reads PGHOST/PGPORT/PGUSER/PGPASSWORD itself; Django only needs the name.
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "tend"),
            "USER": os.environ.get("PGUSER", ""),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", ""),
            "PORT": os.environ.get("PGPORT", ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    sqlite_path = Path(os.environ.get("TEND_SQLITE_PATH", DATA_DIR / "tend.sqlite3"))
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(sqlite_path),
        "OPTIONS": {
            # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at BEGIN
            # so two writers queue on busy_timeout instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 10,
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        # A database cache is shared by every app process, so login rate limits (lockout)
        # hold across workers; the table is created by a core migration.
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tend_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "tend.accounts.adapter.TendAccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
LOGIN_FAILURES_ALLOWED = int(os.environ.get("TEND_LOGIN_FAILURES_ALLOWED", "5"))
LOCKOUT_MINUTES = int(os.environ.get("TEND_LOCKOUT_MINUTES", "15"))
ACCOUNT_RATE_LIMITS = {
    # Lockout: after N failed logins for one account the form refuses that account, even with
    # the right password, until the window passes.
    "login_failed": f"{LOGIN_FAILURES_ALLOWED * 4}/{LOCKOUT_MINUTES}m/ip,"
    f"{LOGIN_FAILURES_ALLOWED}/{LOCKOUT_MINUTES}m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tend"
TEND_ENFORCE_MFA = env_bool("TEND_ENFORCE_MFA", True)

IDLE_TIMEOUT_MINUTES = int(os.environ.get("TEND_IDLE_TIMEOUT_MINUTES", "15"))
# The session expires IDLE_TIMEOUT_MINUTES after it was last renewed; requests renew it at
# most once a minute (tend.core.middleware.SessionRenewalMiddleware), not on every page view.
SESSION_COOKIE_AGE = IDLE_TIMEOUT_MINUTES * 60
TEND_SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("TEND_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TEND_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("TEND_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "TEND_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

_EMAIL_BACKEND = os.environ.get(
    "TEND_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("TEND_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("TEND_EMAIL_PORT", "587")),
            "username": os.environ.get("TEND_EMAIL_USER", ""),
            "password": os.environ.get("TEND_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("TEND_EMAIL_TLS", True),
        }
        if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("TEND_FROM_EMAIL", "Tend <no-reply@tend.invalid>")

TEND_DEMO = env_bool("TEND_DEMO", False)
TEND_API_TOKEN_MAX_DAYS = int(os.environ.get("TEND_API_TOKEN_MAX_DAYS", "365"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TEND_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry paths only; client data never appears in a path or query string.
        "django.request": {"level": "ERROR"},
    },
}
