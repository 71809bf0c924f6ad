"""Settings for the GMG Portal, read from the environment.

Every value a deployment changes comes from an environment variable with a safe default for production;
a bad value stops the portal at start-up with a message naming the variable. `make run` sets the few
variables a laptop needs (debug on, the embedded SQLite database, no broker).
"""

from datetime import timedelta
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
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Before accounts: axes' sign-in receivers run first, so the security log sees the access log written.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The portal's own apps, floor by floor from the ground up (README: Where things are).
    "kit",
    "groups",
    "chairs",
    "workplans",
    "events",
    "meetings",
    "archive",
    "register",
    "reminders",
    "reports",
    "overview",
    "website",
    "record",
    "api",
    "accounts",
]

MIDDLEWARE = [
    "kit.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The page's language: the address's on the public website, the person's own in the portal (accounts/language.py).
    "accounts.language.LanguageMiddleware",
    # Before anything reads a body: refuses large ones from people not signed in.
    "accounts.security.AnonymousBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kit.as_of.AsOfLinksMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.security.SessionLifetimeMiddleware",
    "accounts.security.PermissionRefusedMiddleware",
    "accounts.two_factor.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "kit.as_of.context",
                "accounts.two_factor.context",
            ],
        },
    },
]

# Django's form rendering, with select boxes written out in Python (a template per option is the slowest part of a
# filter form).
FORM_RENDERER = "kit.form_renderer.PortalFormRenderer"

# The embedded default is SQLite in var/, so `make run` needs no service; tests and production use
# PostgreSQL through DATABASE_URL.
DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'gmg.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env("DATABASE_URL", DEFAULT_DATABASE_URL),
            conn_max_age=envint("GMG_DB_CONN_MAX_AGE", "60"),
            # A kept connection is checked before reuse, so a database restart costs no failed request.
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
elif not envbool("GMG_DB_JIT", "false"):
    # PostgreSQL's JIT compiles a plan that looks costly (a list over 20,000 activities) for longer than the
    # query then runs: the pages' short queries are faster without it.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c jit=off {options.get('options', '')}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "groups.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while the account or the address is locked out, before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.security.MaximumLengthValidator"},
]

LANGUAGE_CODE = "en-gb"
# The GMG's working languages (DOMAIN.md, Languages): English, French and Spanish. The portal's own words are in
# the catalogues of locale/ (glossary: locale/GLOSSARY.md); the record's words stay as written.
LANGUAGES = [("en-gb", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
FORMAT_MODULE_PATH = ["gmg_portal.formats"]
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
# Production serves static files itself (whitenoise): compressed, with hashed names cached for a year, from
# what `collectstatic` wrote. Without collectstatic (development, tests) the plain files are served. Either way a
# file's address is worked out once per process (kit.static_storage).
GMG_STATIC_MANIFEST = envbool("GMG_STATIC_MANIFEST", "false" if DEBUG else "true")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "kit.static_storage.ManifestStaticStorage"
        if GMG_STATIC_MANIFEST
        else "kit.static_storage.PlainStaticStorage"
    },
}
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

# Sign-in defences (django-axes): after this many failed sign-ins for one account, or from one address, sign-in
# is refused for the cool-down; staff unlock earlier by removing the "Access attempt" in the admin.
AXES_FAILURE_LIMIT = envint("GMG_SIGNIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("GMG_SIGNIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The support team's optional second sign-in step (accounts/two_factor.py): the name the authenticator app shows.
OTP_TOTP_ISSUER = env("GMG_TOTP_ISSUER", "GMG Portal")
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kit.security_log.client_address"
AXES_VERBOSE = False
# The typed password is never stored with a failed attempt.
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "new_password1", "new_password2"]
# At most this many password-reset requests an hour for one address or one e-mail.
GMG_PASSWORD_RESET_LIMIT = envint("GMG_PASSWORD_RESET_LIMIT", "5")
PASSWORD_RESET_TIMEOUT = envint("GMG_PASSWORD_RESET_HOURS", "24") * 3600

# A session ends after this long without a request, and after this long in any case.
GMG_SESSION_IDLE_MINUTES = envint("GMG_SESSION_IDLE_MINUTES", "60")
GMG_SESSION_MAX_HOURS = envint("GMG_SESSION_MAX_HOURS", "12")
SESSION_COOKIE_AGE = GMG_SESSION_MAX_HOURS * 3600

# What pages compute from the record alone (the dashboard's panels) is kept this long while the record does not
# change (kit.record_version); 0 turns it off.
GMG_RECORD_CACHE_SECONDS = envint("GMG_RECORD_CACHE_SECONDS", "600")
# The throttles' counters (password resets) and the kept parts of pages; Redis when several processes serve
# (GMG_CACHE_URL), else in memory.
GMG_CACHE_URL = env("GMG_CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": GMG_CACHE_URL}
    if GMG_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", "false" if DEBUG else "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "false")
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", "false")
# Behind a proxy that ends TLS and says so in X-Forwarded-Proto (and appends the client to X-Forwarded-For).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("DJANGO_BEHIND_PROXY", "false") else None
# The load balancer's health check may ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

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
# Redis re-delivers a task not acknowledged within the visibility timeout: every retry delay stays well under it.
CELERY_VISIBILITY_TIMEOUT_SECONDS = 3600
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS,
}
CELERY_TASK_PUBLISH_RETRY = False

# Logs: one JSON object a line with the request's id (kit/logs.py), or plain text (GMG_LOG_FORMAT=text,
# the default with debug on).
GMG_LOG_FORMAT = env("GMG_LOG_FORMAT", "text" if DEBUG else "json")
if GMG_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"GMG_LOG_FORMAT must be json or text, not {GMG_LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "kit.logs.RequestIdFilter"},
        # Secrets in addresses (calendar feed tokens, password-reset links) never reach a log line.
        "redact_secrets": {"()": "kit.logs.RedactSecretsFilter"},
    },
    "formatters": {
        "json": {"()": "kit.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": GMG_LOG_FORMAT,
            "filters": ["request_id", "redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Axes' own lines repeat the security log's (gmg_portal.security), less clearly.
        "axes": {"level": "ERROR"},
        # kit.logs writes one line per request, with its id, status and duration.
        "django.server": {"level": "WARNING"},
    },
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

# Request bodies. Django reads a form or JSON body into memory up to this size (files are streamed to disk and
# checked by their forms); someone not signed in may send at most GMG_ANONYMOUS_BODY_MAX_KB (sign-in, password
# reset), a larger body being refused with 413 before it is read (accounts.security). The limit leaves room
# for an over-long value in those forms (100,000 characters in two fields) to get the form's own reason.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("GMG_FORM_BODY_MAX_KB", "2048") * 1024
GMG_ANONYMOUS_BODY_MAX_KB = envint("GMG_ANONYMOUS_BODY_MAX_KB", "256")

# Progress updates: the largest file a focal point may attach (issue 5: files with type and size checks).
GMG_UPDATE_FILE_MAX_MB = envint("GMG_UPDATE_FILE_MAX_MB", "10")
# The archive reads a document's text in a separate process with these limits (archive/text.py): CPU seconds,
# memory in MB. A file that needs more is kept, and its page says its text could not be read.
GMG_TEXT_READ_SECONDS = envint("GMG_TEXT_READ_SECONDS", "20")
GMG_TEXT_READ_MB = envint("GMG_TEXT_READ_MB", "768")

# Reminders (issue 4): the sweep reads the deadline register and sends what fell due, exactly once.
# How often the sweep looks; which days reminders fall on (14, 7, 1 days before; weekly while overdue) is kept
# by the support team in the admin (reminders.ReminderSettings).
GMG_REMINDER_SWEEP_MINUTES = envint("GMG_REMINDER_SWEEP_MINUTES", "5")
# A delivery claimed this long ago and still not sent (its worker died) is taken over by the next sweep.
GMG_REMINDER_CLAIM_STALE_MINUTES = envint("GMG_REMINDER_CLAIM_STALE_MINUTES", "15")
# A failed send (SMTP down) is retried with exponential back-off (30 s, 60 s, ... up to the cap); after this many
# attempts in all, or at once when it can never go (a refused address, a title the calendar file refuses), the
# row is marked failed with its reason, shown to the support team, and not tried again.
GMG_REMINDER_MAX_ATTEMPTS = envint("GMG_REMINDER_MAX_ATTEMPTS", "8")
GMG_REMINDER_RETRY_BACKOFF_SECONDS = envint("GMG_REMINDER_RETRY_BACKOFF_SECONDS", "30")
GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS = envint("GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS", "600")
if GMG_REMINDER_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("GMG_REMINDER_MAX_ATTEMPTS must be at least 1.")
_BACKOFF_LIMIT = CELERY_VISIBILITY_TIMEOUT_SECONDS // 2
if not 0 < GMG_REMINDER_RETRY_BACKOFF_SECONDS <= GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS <= _BACKOFF_LIMIT:
    raise ImproperlyConfigured(
        "GMG_REMINDER_RETRY_BACKOFF_SECONDS and GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS must be at least 1, the first "
        "no more than the second, and the cap no more than half the broker's visibility timeout "
        f"({_BACKOFF_LIMIT} s): Redis re-delivers a task held longer, and it would go twice."
    )
# The sweep reads the register and writes its rows this many obligations at a time; a delivery task sends up to
# this many mails over one SMTP connection, and the workers share the tasks.
GMG_REMINDER_BATCH_SIZE = envint("GMG_REMINDER_BATCH_SIZE", "500")
GMG_REMINDER_MAILS_PER_TASK = envint("GMG_REMINDER_MAILS_PER_TASK", "50")
# A save never waits for the broker: what it must send is kept in the database (the outbox) and handed to the
# workers by a relay that runs this often (and by every sweep), as soon as the broker answers.
GMG_REMINDER_RELAY_SECONDS = envint("GMG_REMINDER_RELAY_SECONDS", "10")
# A reminder that should have gone (not one waiting for a digest) and is still unsent after this long is "stuck".
GMG_REMINDER_STUCK_MINUTES = envint("GMG_REMINDER_STUCK_MINUTES", "30")
if min(GMG_REMINDER_BATCH_SIZE, GMG_REMINDER_MAILS_PER_TASK, GMG_REMINDER_RELAY_SECONDS) < 1:
    raise ImproperlyConfigured(
        "GMG_REMINDER_BATCH_SIZE, GMG_REMINDER_MAILS_PER_TASK and GMG_REMINDER_RELAY_SECONDS must be at least 1."
    )
# The Celery queue of the reminder tasks (`make worker` consumes it next to the default queue).
GMG_REMINDER_QUEUE = env("GMG_REMINDER_QUEUE", "reminders")
if GMG_REMINDER_SWEEP_MINUTES < 1:
    raise ImproperlyConfigured("GMG_REMINDER_SWEEP_MINUTES must be at least 1.")
CELERY_TASK_ROUTES = {"reminders.tasks.*": {"queue": GMG_REMINDER_QUEUE}}
# The periodic jobs: the sweep and the outbox relay. Two beats started by mistake are harmless: the sweep takes a
# database lock and the sent-log's unique constraint refuses a second row for the same reminder.
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "reminders.tasks.sweep_reminders",
        "schedule": GMG_REMINDER_SWEEP_MINUTES * 60,
        "options": {"expires": GMG_REMINDER_SWEEP_MINUTES * 60},
    },
    "reminder-relay": {
        "task": "reminders.tasks.relay_outbox",
        "schedule": GMG_REMINDER_RELAY_SECONDS,
        "options": {"expires": GMG_REMINDER_RELAY_SECONDS},
    },
}

# The REST API (issue 11): the pages' permissions (api/permissions.py asks the apps' access.py), a person's own
# key or the signed-in session, pages of 50, django-filter, an OpenAPI schema, and rate limits per person.
GMG_API_RATE_PER_PERSON = env("GMG_API_RATE_PER_PERSON", "2000/hour")
GMG_API_RATE_ANONYMOUS = env("GMG_API_RATE_ANONYMOUS", "100/hour")
GMG_API_RATE_WRITES = env("GMG_API_RATE_WRITES", "200/hour")
for _name in ("GMG_API_RATE_PER_PERSON", "GMG_API_RATE_ANONYMOUS", "GMG_API_RATE_WRITES"):
    _count, _, _period = globals()[_name].partition("/")
    if not (_count.isdigit() and _period in {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}):
        raise ImproperlyConfigured(f"{_name} must read like 2000/hour (a number, then second, minute, hour or day).")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.SignedIn"],
    "DEFAULT_FILTER_BACKENDS": ["api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.PersonRateThrottle",
        "api.throttling.AnonymousRateThrottle",
        "api.throttling.WriteRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GMG Portal API",
    "DESCRIPTION": (
        "The Global Migration Group's record: agencies, chair terms and the troika, groups, work plans with their "
        "streams, outputs and activities, meetings, decisions and the register of deadlines; and progress updates "
        "on activities. Everyone signed in reads; writing follows the portal's own rules. Authenticate with your "
        "API key (`Authorization: Bearer <key>`, from your 'API key' page) or your signed-in session."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActivityStatusEnum": "workplans.models.Activity.Status",
        "WorkPlanStatusEnum": "workplans.models.WorkPlan.Status",
        "WorkPlanKindEnum": "workplans.models.WorkPlan.Kind",
        "WorkStreamKindEnum": "workplans.models.WorkStream.Kind",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "GroupStatusEnum": "groups.models.Group.Status",
        "GroupKindEnum": "groups.models.Group.Kind",
        "ChairTermKindEnum": "chairs.models.ChairTerm.Kind",
        "UpdateReviewEnum": "workplans.models.ActivityUpdate.Review",
    },
}

# Open data: the IATI organisation identifier and name the portal reports its work plans under. The GMG has no
# registered identifier: empty, each plan is reported by its chair agency under the chair's own identifier; set
# both to report under another agency's registered identifier (e.g. the support team's host agency).
GMG_IATI_ORGANISATION_REF = env("GMG_IATI_ORGANISATION_REF", "")
GMG_IATI_ORGANISATION_NAME = env("GMG_IATI_ORGANISATION_NAME", "Global Migration Group")
