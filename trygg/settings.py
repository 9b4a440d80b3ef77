"""Django settings for Trygg.

Everything a deployment changes comes from the environment, so the same code runs as an embedded
SQLite instance on one server and as several app processes against PostgreSQL.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from trygg.core import oidc_config as _oidc_config

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("TRYGG_DATA_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    """A whole number from the environment; a typo stops the start instead of being guessed."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} måste vara ett heltal, inte {raw!r} / {name} must be a whole number, not {raw!r}"
        ) from None
    if value < minimum:
        raise ImproperlyConfigured(
            f"{name} måste vara minst {minimum}, inte {value} / {name} must be at least {minimum}, not {value}"
        )
    return value


DEBUG = _env_bool("TRYGG_DEBUG", False)
# Demo mode: `make demo`, `make test` and the test suite (conftest.py) set TRYGG_DEMO=1. Only then may
# Trygg run with the published demo secret key; a deployment sets TRYGG_SECRET_KEY, or Trygg refuses to start.
TRYGG_DEMO = _env_bool("TRYGG_DEMO", False)
DEMO_SECRET_KEY = "trygg-demo-key-not-for-production"  # noqa: S105 - public on purpose, refused outside the demo
SECRET_KEY = os.environ.get("TRYGG_SECRET_KEY", "").strip() or DEMO_SECRET_KEY
if SECRET_KEY == DEMO_SECRET_KEY and not TRYGG_DEMO:
    raise ImproperlyConfigured(
        "Trygg startar inte med demons hemliga nyckel utanför demoläget: sätt TRYGG_SECRET_KEY till en lång "
        "slumpad nyckel (eller TRYGG_DEMO=1 för demo och utveckling). / Trygg does not start with the demo "
        "secret key outside demo mode: set TRYGG_SECRET_KEY to a long random key (or TRYGG_DEMO=1 for the demo "
        "and development)."
    )
ALLOWED_HOSTS = [h for h in os.environ.get("TRYGG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "trygg.core.admin_site.TryggAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "trygg.core",
    "trygg.sites",
    "trygg.programme",
    "trygg.cameras",
    "trygg.compliance",
    "trygg.incidents",
    "trygg.reports",
    "trygg.notifications",
    "trygg.ogc",
    "trygg.evaluation",
    "trygg.api",
    "trygg.opendata",
    "trygg.demo",
    "trygg.jobs",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trygg.core.middleware.SessionTouchMiddleware",
    "trygg.core.middleware.RequestIdMiddleware",
    "trygg.core.middleware.SwedishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trygg.core.audit.AuditContextMiddleware",
    "trygg.core.access.AccessMiddleware",
    # After the access rule, so a refused user learns nothing more; before any view reads the input.
    "trygg.core.middleware.InputLimitsMiddleware",
    "trygg.core.middleware.BusyDatabaseMiddleware",
    # Last, so it turns a refused login (too many failures) into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a login while the account or the address is locked out, even with the right password.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trygg.core.context_processors.trygg",
            ],
        },
    },
]

# SQLite by default (WAL, immediate transactions so concurrent writers wait instead of failing);
# PostgreSQL or anything else through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # Lets two test runs share one PostgreSQL server without fighting over the test database.
    if os.environ.get("TRYGG_TEST_DB_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["TRYGG_TEST_DB_NAME"]}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "trygg.sqlite3",
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): after TRYGG_LOGIN_FAILURE_LIMIT failed logins for one user name, or from
# one address, logins are refused for TRYGG_LOGIN_LOCKOUT_MINUTES (counted from the last attempt), even with
# the right password. A successful login clears the count. `trygg axes_reset` lifts every lockout.
AXES_FAILURE_LIMIT = _env_int("TRYGG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _dt.timedelta(minutes=_env_int("TRYGG_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "trygg.core.login_throttle.lockout_response"
# Lockouts are lifted with the commands above; the admin does not list the attempts.
AXES_ENABLE_ADMIN = False
# Successful logins are not stored a second time (the session table and the server log have them).
AXES_DISABLE_ACCESS_LOG = True

# Behind a reverse proxy every request comes from the proxy's address, so the lockout per address above would
# lock out everyone at once. TRYGG_TRUSTED_PROXIES lists the proxies' addresses or networks; only for a request
# from one of them is the client's address read from X-Forwarded-For (trygg.core.login_throttle.client_ip).
try:
    TRYGG_TRUSTED_PROXIES = _oidc_config.parse_networks(os.environ.get("TRYGG_TRUSTED_PROXIES", ""))
except _oidc_config.ConfigError as error:
    raise ImproperlyConfigured(str(error)) from None
AXES_CLIENT_IP_CALLABLE = "trygg.core.login_throttle.client_ip"
# The password reset form sends at most TRYGG_PASSWORD_RESET_LIMIT e-mails per address and per e-mail
# address per hour (trygg.core.login_throttle.reset_allowed; counted in the cache).
TRYGG_PASSWORD_RESET_LIMIT = _env_int("TRYGG_PASSWORD_RESET_LIMIT", 5)

# Single sign-on with the municipality's identity provider (OIDC), off unless TRYGG_OIDC_CLIENT_ID is set;
# see trygg.core.oidc_config and the README ("Inloggning med kommunens konto").
try:
    _oidc = _oidc_config.settings_from_env(os.environ)
except _oidc_config.ConfigError as error:
    raise ImproperlyConfigured(str(error)) from None
globals().update(_oidc)
if _oidc:
    AUTHENTICATION_BACKENDS.append("trygg.core.oidc.TryggOIDCBackend")
    OIDC_STORE_ID_TOKEN = True  # for the provider's logout (id_token_hint)
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
    OIDC_EXEMPT_URLS: list[str] = []

# Sessions end after TRYGG_SESSION_IDLE_MINUTES without a request: a request moves the expiry on, but
# writes the session at most once a minute (trygg.core.middleware.SessionTouchMiddleware). Saving it on
# every request made every page a database write, so on SQLite no page opened while an import wrote.
SESSION_COOKIE_AGE = _env_int("TRYGG_SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60

# The default cache holds small counters (the password reset limit). "exports" keeps whole-programme
# exports per state of the data (trygg.core.export_cache), at most EXPORTS_KEPT of them per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "trygg"},
    "exports": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "trygg-exports",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("TRYGG_EXPORTS_KEPT", "16")), "CULL_FREQUENCY": 2},
    },
}

LANGUAGE_CODE = "sv"
# Each language is named in itself, so a visitor finds their own in the menu.
LANGUAGES = [("sv", "svenska"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True
FORMAT_MODULE_PATH = ["trygg.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("TRYGG_STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Front-end libraries come from npm (package-lock.json) into node_modules and are served from there.
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS += [
    (f"vendor/{name}", NODE_MODULES / path)
    for name, path in {
        "leaflet": "leaflet/dist",
        "leaflet-geoman": "@geoman-io/leaflet-geoman-free/dist",
        "htmx": "htmx.org/dist",
        "swagger-ui": "swagger-ui-dist",
    }.items()
    if (NODE_MODULES / path).is_dir()
]
MEDIA_ROOT = Path(os.environ.get("TRYGG_MEDIA_ROOT", DATA_DIR / "media"))
# Uploaded files (attachments) are served only by the view that checks access, never from MEDIA_URL.
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Base map tiles: a URL template such as https://tiles.example.se/{z}/{x}/{y}.png. Empty means
# no tiles: the maps still show every vector layer on a plain background.
TRYGG_TILE_URL = os.environ.get("TRYGG_TILE_URL", "")
TRYGG_TILE_ATTRIBUTION = os.environ.get("TRYGG_TILE_ATTRIBUTION", "")


def _tile_origin(url: str) -> list[str]:
    """The origin the tiles load from, for the CSP: {s} subdomains become a wildcard."""
    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def _provider_origins() -> list[str]:
    """The identity provider's origins (issuer, explicit endpoints) for the CSP's form-action."""
    urls = [globals().get(n, "") for n in ("TRYGG_OIDC_ISSUER", "OIDC_OP_LOGOUT_ENDPOINT")]
    origins = []
    for url in urls:
        parts = urlsplit(str(url))
        if parts.scheme and parts.netloc and f"{parts.scheme}://{parts.netloc}" not in origins:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


# Content-Security-Policy (django-csp): scripts only from Trygg's own static files, so a name that
# slips into HTML cannot run. Styles allow inline because Leaflet and htmx set them on elements.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_tile_origin(TRYGG_TILE_URL)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The logout form is redirected to the identity provider's logout (when single sign-on is on).
        "form-action": [SELF, *_provider_origins()],
        "frame-ancestors": [NONE],
    }
}
# The municipality's own projection for exports to GIS tools, e.g. SWEREF 99 18 00 around Stockholm.
TRYGG_LOCAL_CRS = os.environ.get("TRYGG_LOCAL_CRS", "EPSG:3011").upper()
# The Word template of the board report (tjänsteutlåtande); empty means Trygg's own template.
TRYGG_REPORT_TEMPLATE = os.environ.get("TRYGG_REPORT_TEMPLATE", "")
# Incident and camera imports: false (default) checks and imports a file inside the request that asks for it;
# true queues it as a background job for the worker `trygg db_worker` (several app processes, big files).
TRYGG_IMPORT_IN_WORKER = _env_bool("TRYGG_IMPORT_IN_WORKER", False)

# Background jobs (trygg.jobs) on django-tasks: tasks are stored in the database and run by the worker
# `trygg db_worker` (started beside the server by `make demo`; a systemd unit in production, see README).
# The same backend runs on SQLite and PostgreSQL. The tests use the immediate backend (trygg/test_settings.py).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TRYGG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Files made by background jobs (reports, the register PDF) are removed this many days after the job
# finished, by `trygg prune_jobs` (run daily; README, *Bakgrundsjobb*). The job record stays.
TRYGG_JOB_FILES_DAYS = _env_int("TRYGG_JOB_FILES_DAYS", 7, minimum=0)
# A running job or import pass with no sign of life for this many minutes lost its process (killed worker,
# power cut): it is undone and marked failed when a worker starts, by `trygg prune_jobs`, or when its page opens.
TRYGG_JOB_STALE_MINUTES = _env_int("TRYGG_JOB_STALE_MINUTES", 10, minimum=2)

# The largest attachment accepted, in megabytes (signed decisions, photos, installer documents).
TRYGG_ATTACHMENT_MAX_MB = float(os.environ.get("TRYGG_ATTACHMENT_MAX_MB", "20"))
if TRYGG_ATTACHMENT_MAX_MB <= 0:
    raise ValueError("TRYGG_ATTACHMENT_MAX_MB must be a positive number of megabytes")

# E-mail (the reminders of `trygg send_reminders`). Without TRYGG_EMAIL_HOST, as in the demo, e-mails
# are written to the console instead of being sent.
EMAIL_HOST = os.environ.get("TRYGG_EMAIL_HOST", "").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("TRYGG_EMAIL_PORT") or 587)
EMAIL_HOST_USER = os.environ.get("TRYGG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRYGG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("TRYGG_EMAIL_USE_TLS", True)
# A slow mail server must not hold the reminder run's database transaction for long.
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("TRYGG_EMAIL_FROM", "trygg@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address users reach Trygg at, for links in e-mails (no request to read it from).
TRYGG_BASE_URL = os.environ.get("TRYGG_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Error pages in Trygg's layout (trygg.core.errors; handler403/404/500 are set in trygg.urls).
CSRF_FAILURE_VIEW = "trygg.core.errors.csrf_failure"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Production over HTTPS: TRYGG_SECURE=1 redirects http to https, sends cookies only over https and
# tells browsers to use https only (HSTS) for TRYGG_HSTS_SECONDS. Behind a reverse proxy that ends TLS,
# TRYGG_PROXY_SSL_HEADER=1 trusts its X-Forwarded-Proto header (the proxy must set it, never pass it on).
TRYGG_SECURE = _env_bool("TRYGG_SECURE", False)
if TRYGG_SECURE:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("TRYGG_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("TRYGG_HSTS_INCLUDE_SUBDOMAINS", True)
    # Only allows submitting the domain to the browsers' preload list (hstspreload.org); does nothing by itself.
    SECURE_HSTS_PRELOAD = _env_bool("TRYGG_HSTS_PRELOAD", True)
if _env_bool("TRYGG_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The REST API (trygg.api, README "REST-API"): API keys or the session, the roles' rules, one error shape.
REST_FRAMEWORK = {
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "trygg.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["trygg.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "trygg.api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "trygg.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trygg REST-API",
    "DESCRIPTION": "Platser, kameror, projekteringar, händelser, bedömningar, förteckningen enligt 10 § "
    "kamerabevakningslagen, indikatorn och budgeten. Felsvar har formen Error.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "LifecycleStateEnum": "trygg.cameras.choices.LifecycleState",
        "DocumentStatusEnum": "trygg.compliance.choices.DocumentStatus",
        "ProjectStatusEnum": "trygg.programme.choices.ProjectStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "trygg.api.schema.add_error_responses",
    ],
}

# Log lines carry the request id (trygg.core.middleware.RequestIdMiddleware), which the 500 page shows, so
# an error a user reports can be found. Server errors (django.request) go to the console with the traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "trygg.core.middleware.RequestIdLogFilter"}},
    "formatters": {"trygg": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "trygg"},
    },
    "loggers": {
        "trygg": {"handlers": ["console"], "level": os.environ.get("TRYGG_LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
