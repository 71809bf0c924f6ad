"""The security log: one line per security event (sign-ins, refusals, keys and links ended), with who, what and
from where, written to the `accounts.security` logger."""

from __future__ import annotations

import logging

from django.conf import settings

from kit.logs import redact

logger = logging.getLogger("gmg_portal.security")


def client_address(request) -> str:
    """The client's address: the proxy's last X-Forwarded-For entry behind a proxy, else the socket's peer."""
    if request is None:
        return ""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or ""


def person_name(person) -> str:
    if person is None or not getattr(person, "is_authenticated", False):
        return "anonymous"
    return person.get_username()


def security_event(event: str, request=None, *, level: int = logging.WARNING, **fields) -> None:
    """One line per security event, with who, what and where (the JSON formatter keeps the fields)."""
    fields.setdefault("address", client_address(request))
    if request is not None:
        fields.setdefault("path", redact(request.path))
    text = " ".join(f"{key}={value!r}" for key, value in fields.items())
    logger.log(level, "%s %s", event, text, extra={"security_event": event, **fields})
