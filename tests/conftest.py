"""Suite-wide setup: the tests run on PostgreSQL, and say so plainly when it cannot be reached."""

import psycopg2
import pytest
from django.conf import settings


def pytest_configure(config):
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.exit(
            f"The tests run on PostgreSQL, but DATABASE_URL points to {db['ENGINE']}. "
            "Set DATABASE_URL=postgres://USER@HOST:PORT/NAME (make test defaults to the local server).",
            returncode=1,
        )
    host, port = db.get("HOST") or "localhost", db.get("PORT") or 5432
    try:
        # The server's maintenance database: the test database itself is created by the run.
        psycopg2.connect(
            host=host,
            port=port,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg2.OperationalError as error:
        pytest.exit(
            f"PostgreSQL is unreachable at {host}:{port}: {str(error).strip()}. "
            "Start it or set DATABASE_URL; the tests do not fall back to SQLite.",
            returncode=1,
        )
