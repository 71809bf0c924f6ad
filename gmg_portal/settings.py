"""Settings for the GMG Portal, read from the environment.

Every value a deployment changes comes from an environment variable with a safe default for production;
a bad value stops the portal at start-up with a message naming the variable. `make run` sets the few
variables a laptop needs (debug on, the embedded SQLite database, no broker).
"""

from os import environ
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def envint(name: str, default: str) -> int:
    value = environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", "false")

# Without a key, commands that sign nothing (migrations, checks) still run; serving refuses to start
# (gmg_portal/wsgi.py and asgi.py), and anything that signs fails loudly.
SECRET_KEY = env("DJANGO_SECRET_KEY")
MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set. Set it to a long random string (DJANGO_DEBUG=true allows a development key)."
)
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# The address people reach the portal at; used for links in e-mails and calendar feeds.
SITE_URL = env("GMG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "gmg_portal",
    "groups",
    "chairs",
    "workplans",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "gmg_portal.urls"
WSGI_APPLICATION = "gmg_portal.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

# The embedded default is SQLite in var/, so `make run` needs no service; tests and production use
# PostgreSQL through DATABASE_URL.
DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'gmg.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", DEFAULT_DATABASE_URL), conn_max_age=60)}
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "groups.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("GMG_TIME_ZONE", "Europe/Zurich")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"GMG_TIME_ZONE {TIME_ZONE!r} is not a known time zone (e.g. Europe/Zurich).") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / env("DJANGO_STATIC_ROOT", "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# No inline scripts or styles: every script and stylesheet is a vendored file served from here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", "false" if DEBUG else "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "false")
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", "0")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("DJANGO_BEHIND_PROXY", "false") else None

# E-mail: SMTP in production; `make run` writes mails to var/mail, tests use the locmem backend.
EMAIL_BACKEND_PATH = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", "25"),
        "username": env("EMAIL_HOST_USER") or None,
        "password": env("EMAIL_HOST_PASSWORD") or None,
        "use_tls": envbool("EMAIL_USE_TLS", "false"),
        "timeout": envint("EMAIL_TIMEOUT", "20"),
    }
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "GMG Portal <gmg-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production. With no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or env("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", "300")
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", "240")
CELERY_TIMEZONE = TIME_ZONE
# A web request that enqueues a task must not hang when Redis is down: fail fast, the sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The embedded SQLite database of `make run` lacks NULLS NOT DISTINCT; PostgreSQL enforces it.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# The GMG's rules (DOMAIN.md, seed 000): lead times and cadences the deadline register computes due dates from.
# Decision 1 of 3 July 2013: the incoming chair's letter of commitment comes "well in advance" of the term.
GMG_LETTER_OF_COMMITMENT_LEAD_DAYS = envint("GMG_LETTER_OF_COMMITMENT_LEAD_DAYS", "90")
# Annex I, working level ix: the annual report "no later than two months after the end of the chairmanship".
GMG_ANNUAL_REPORT_DUE_MONTHS = envint("GMG_ANNUAL_REPORT_DUE_MONTHS", "2")
# An obligation is "due" (rather than upcoming) this many days ahead of its due date.
GMG_DUE_SOON_DAYS = envint("GMG_DUE_SOON_DAYS", "14")
# The alphabetical rotation passes over agencies that chaired within this many terms before the proposed one.
GMG_ROTATION_SKIP_RECENT_TERMS = envint("GMG_ROTATION_SKIP_RECENT_TERMS", "3")
# A group whose chair rotates annually among its co-chairs (Annex IIIA, modality 5) hands over each 1 January,
# the first co-chair serving from establishment through the first full calendar year this many years later.
GMG_GROUP_CHAIR_FIRST_TURN_YEARS_AFTER_ESTABLISHMENT = envint(
    "GMG_GROUP_CHAIR_FIRST_TURN_YEARS_AFTER_ESTABLISHMENT", "1"
)

# Progress updates: the largest file a focal point may attach (issue 5: files with type and size checks).
GMG_UPDATE_FILE_MAX_MB = envint("GMG_UPDATE_FILE_MAX_MB", "10")

# Reminders (issue 4): the sweep reads the deadline register and sends what fell due, exactly once.
# How often the sweep looks; which days reminders fall on (14, 7, 1 days before; weekly while overdue) is kept
# by the support team in the admin (meetings.ReminderSettings).
GMG_REMINDER_SWEEP_MINUTES = envint("GMG_REMINDER_SWEEP_MINUTES", "5")
# A delivery claimed this long ago and still not sent (its worker died) is taken over by the next sweep.
GMG_REMINDER_CLAIM_STALE_MINUTES = envint("GMG_REMINDER_CLAIM_STALE_MINUTES", "15")
# A failed send (SMTP down) is retried with exponential back-off, up to this many times; the row stays unsent
# until it goes, and later sweeps pick it up again after that.
GMG_REMINDER_MAX_RETRIES = envint("GMG_REMINDER_MAX_RETRIES", "8")
GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS = envint("GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS", "3600")
# The Celery queue of the reminder tasks (`make worker` consumes it next to the default queue).
GMG_REMINDER_QUEUE = env("GMG_REMINDER_QUEUE", "reminders")
if GMG_REMINDER_SWEEP_MINUTES < 1:
    raise ImproperlyConfigured("GMG_REMINDER_SWEEP_MINUTES must be at least 1.")
CELERY_TASK_ROUTES = {"meetings.tasks.*": {"queue": GMG_REMINDER_QUEUE}}
# The one periodic job. Two beats started by mistake are harmless: the sweep takes a database lock and the
# sent-log's unique constraint refuses a second row for the same reminder.
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "meetings.tasks.sweep_reminders",
        "schedule": GMG_REMINDER_SWEEP_MINUTES * 60,
        "options": {"expires": GMG_REMINDER_SWEEP_MINUTES * 60},
    },
}
