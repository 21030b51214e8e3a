"""The one settings module. Configure with QUARTERDECK_* environment variables (see README)."""

from __future__ import annotations

from pathlib import Path

from django.utils.csp import CSP

from quarterdeck.lib.env import (
    data_dir,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    mailer_from_url,
    secret_key,
)
from quarterdeck.metrics.warehouse import warehouse_config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir("QUARTERDECK_DATA_DIR")

DEBUG = env_bool("QUARTERDECK_DEBUG", False)
SECRET_KEY = secret_key("QUARTERDECK_SECRET_KEY", DATA_DIR)
ALLOWED_HOSTS = env_list("QUARTERDECK_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("QUARTERDECK_CSRF_TRUSTED_ORIGINS", [])
TIME_ZONE = env_time_zone("QUARTERDECK_TIME_ZONE", "UTC")
# Revenue figures are reported in this currency; others are converted with admin-set rates.
REVENUE_CURRENCY = (env_str("QUARTERDECK_REVENUE_CURRENCY") or "USD").upper()
USE_TZ = True
USE_I18N = False
LANGUAGE_CODE = "en-us"

DATABASES = {
    "default": database_from_url(
        "QUARTERDECK_DATABASE_URL",
        env_str("QUARTERDECK_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'quarterdeck.sqlite3'}",
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    # Only for its bundled Swagger UI files (served from /static/, no CDN): see lib/api_docs.py.
    "ninja",
    "quarterdeck.accounts",
    "quarterdeck.audit",
    "quarterdeck.people",
    "quarterdeck.portfolio",
    "quarterdeck.metrics",
    "quarterdeck.kpis",
    "quarterdeck.analytics",
    "quarterdeck.surveys",
    "quarterdeck.revenue",
    "quarterdeck.strategy",
    "quarterdeck.feedback",
    "quarterdeck.roadmap",
    "quarterdeck.launches",
    "quarterdeck.transfer",
    "quarterdeck.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "quarterdeck.web.middleware.LoginRequired",
    "quarterdeck.web.middleware.DomainErrorPages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "quarterdeck.urls"
WSGI_APPLICATION = "quarterdeck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "quarterdeck.web.context.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins per e-mail address and per client address, counted over LOGIN_THROTTLE_WINDOW.
LOGIN_THROTTLE_LIMIT = 5
LOGIN_THROTTLE_WINDOW = 15 * 60

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder, even with finders
# Serve straight from the apps' static folders: no collectstatic step before `quarterdeck start`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Security. Secure cookies work on http://localhost too (browsers treat it as a secure context);
# behind a TLS-terminating proxy set QUARTERDECK_HTTPS=true for redirects and HSTS.
HTTPS = env_bool("QUARTERDECK_HTTPS", False)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"quarterdeck": {"level": "INFO"}},
}

MAILERS = {"default": mailer_from_url("QUARTERDECK_SMTP_URL", env_str("QUARTERDECK_SMTP_URL"))}
DEFAULT_FROM_EMAIL = env_str("QUARTERDECK_FROM_EMAIL") or "quarterdeck@localhost"

# Product analytics (docs/analytics.md): where events are kept, and the ingestion limits.
EVENTS_DIR = DATA_DIR / "events"
# Answer 429 (Retry-After) while more than this many MB of received events wait for compaction.
INGEST_MAX_BACKLOG_MB = env_int("QUARTERDECK_INGEST_MAX_BACKLOG_MB", 1024, minimum=1)
# Events older than this many days (event time) are refused.
INGEST_MAX_PAST_DAYS = env_int("QUARTERDECK_INGEST_MAX_PAST_DAYS", 5 * 365, minimum=1)
# Received events are compacted into Parquet at most this many seconds after they arrive.
INGEST_COMPACT_SECONDS = env_int("QUARTERDECK_INGEST_COMPACT_SECONDS", 60, minimum=1)
# Warehouse mode (docs/warehouse.md): metrics read the company's own events table instead of the
# embedded store. Each value may come from a file (NAME_FILE), e.g. a URL with a password.
EVENTS_WAREHOUSE = warehouse_config(
    url=env_str("QUARTERDECK_EVENTS_WAREHOUSE"),
    table=env_str("QUARTERDECK_EVENTS_TABLE"),
    mapping=env_str("QUARTERDECK_EVENTS_MAPPING"),
    spark_conf=env_str("QUARTERDECK_EVENTS_SPARK_CONF"),
    spark_init=env_str("QUARTERDECK_EVENTS_SPARK_INIT"),
)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
