"""Logs a machine can read: one JSON object a line, each with the id of the request it belongs to.

`RequestLogMiddleware` gives every request an id (the proxy's X-Request-ID when it sends a sane one, else a new
one), returns it in the X-Request-ID header, and writes one line per request (method, path, status, duration,
person). `RequestIdFilter` puts the id on every log record made while the request runs, and `JsonFormatter`
writes each record as JSON with the fields a caller passed in `extra` (e.g. the security log's).

Some addresses carry a secret in their path: a calendar feed's token (a calendar application cannot sign in),
the password-reset and invitation link (uidb64 and token), a workbook import's token. Whoever reads the logs must
not be able to use them: `redact` blanks them, the request line is written redacted, and `RedactSecretsFilter`,
on every handler of LOGGING, blanks them in every other line too (Django's "Not Found: <path>", the security
log, anything a library writes).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.utils.functional import empty

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
logger = logging.getLogger("gmg_portal.requests")

SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The attributes every LogRecord has; anything else on a record came from `extra` and is written out.
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


REDACTED = "[redacted]"
_PART = r"[^/\s?#\"'<>\\]+"
SECRETS_IN_URLS = [
    # A calendar feed's token: /calendar/feed/<token>.ics, /calendar/gmg/<token>.ics, .../groups/<slug>/<token>.ics
    (re.compile(rf"(/calendar/(?:feed|gmg|groups/{_PART})/){_PART}?(?=\.ics|[^\w.~-]|$)"), rf"\g<1>{REDACTED}"),
    # A password-reset or invitation link: /accounts/reset/<uidb64>/<token>/ (then .../<uidb64>/set-password/).
    (re.compile(rf"(/accounts/reset/)(?!done/){_PART}/(?!set-password/){_PART}"), rf"\g<1>{REDACTED}/{REDACTED}"),
    (re.compile(rf"(/accounts/reset/)(?!done/){_PART}(?=/set-password/)"), rf"\g<1>{REDACTED}"),
    # A workbook import waiting for its confirmation: /workplans/imports/<token>/apply/.
    (re.compile(rf"(/imports/){_PART}(?=/apply/)"), rf"\g<1>{REDACTED}"),
    # A secret in a query string, whatever the page (never meant to be there, but a link may carry one).
    (
        re.compile(r"([?&](?:token|key|api_key|secret|password|code|uidb64|signature)=)[^&\s#\"'<>]+", re.I),
        rf"\g<1>{REDACTED}",
    ),
]


# Each pattern above needs one of these (its literal part, matched case for case, or a query's "="): a text with
# none of them - most log lines - is left as it is without running the patterns.
SECRET_MARKS = ("/calendar/", "/accounts/reset/", "/imports/", "=")


def redact(text: str) -> str:
    """The text with every secret that an address can carry blanked out."""
    if not any(mark in text for mark in SECRET_MARKS):
        return text
    for pattern, replacement in SECRETS_IN_URLS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Blanks the secrets of addresses (`redact`) in a record's message and in the fields passed in `extra`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        for key, value in list(vars(record).items()):
            if key not in STANDARD_ATTRIBUTES and isinstance(value, str):
                setattr(record, key, redact(value))
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Whatever a field holds (Django's "Not Found" passes the request itself), no secret of an address.
        return redact(json.dumps(entry, ensure_ascii=False))


class RequestLogMiddleware:
    """First in the chain: every later line of the request carries its id; one line says how it went."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if SANE_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        request.request_id = rid
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            if getattr(user, "_wrapped", None) is empty:
                user = None  # not read by the page: reading it now would cost a query
            path = redact(request.path)
            logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "person": user.get_username() if user is not None and user.is_authenticated else "",
                },
            )
            return response
        finally:
            request_id.reset(token)
