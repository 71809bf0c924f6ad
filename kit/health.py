"""/healthz: whether this web process can do its work, for a load balancer or a monitor.

Each check is a function returning None when its part answers, or the reason (no addresses, no secrets) when
not; `CHECKS` lists them in order and a new part of the portal adds its own with `@health_check("name")`.
The answer is 200 with every check "ok", or 503 naming each failing check and its reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

CHECKS: list[tuple[str, Callable[[], str | None]]] = []
BROKER_TIMEOUT_SECONDS = 2


def health_check(name: str):
    """Adds a check to /healthz: the function returns None when all is well, or the reason."""

    def register(function: Callable[[], str | None]):
        CHECKS[:] = [(n, f) for n, f in CHECKS if n != name] + [(name, function)]
        return function

    return register


@health_check("database")
def database_answers(connection=None) -> str | None:
    connection = connections["default"] if connection is None else connection
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return f"the database does not answer ({type(error).__name__})"
    return None


@health_check("broker")
def broker_answers(url: str | None = None) -> str | None:
    import redis

    url = settings.CELERY_BROKER_URL if url is None else url
    if not url:
        return None  # no broker configured: tasks run in-process
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return f"the broker (Redis) does not answer ({type(error).__name__})"
    return None


@never_cache
@require_GET
def healthz(request):
    results, failing = {}, False
    for name, check in CHECKS:
        started = time.monotonic()
        reason = check()
        results[name] = {
            "status": "ok" if reason is None else "failing",
            "ms": round((time.monotonic() - started) * 1000),
        }
        if reason is not None:
            results[name]["reason"] = reason
            failing = True
    return JsonResponse({"status": "failing" if failing else "ok", "checks": results}, status=503 if failing else 200)
