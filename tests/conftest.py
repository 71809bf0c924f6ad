"""Suite-wide setup: the tests run on PostgreSQL, and say so plainly when it cannot be reached."""

import psycopg2
import pytest
from django.conf import settings

# Which URLs each test requests, for the table of write URLs (tests/test_write_urls.py); the suite on several
# cores (make test), with the tests that must share a process grouped; transactional tests' tables emptied by
# DELETE.
pytest_plugins = ["tests.url_record", "tests.parallel", "tests.flush"]


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


@pytest.fixture(autouse=True)
def tasks_in_process(request):
    """Outside the tests that run a real worker (marked `celery`), tasks run in-process, as with no broker, so
    a test's outcome does not depend on whether REDIS_URL is set."""
    if request.node.get_closest_marker("celery"):
        yield
        return
    from gmg_portal.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing kept from another (the dashboard's panels, the throttles' counters)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign in many people; the production hasher's deliberate slowness proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def gmg_record_snapshot(django_db_setup, django_db_blocker):
    """The GMG's real record as `load_gmg_data` loads it from data/gmg/, loaded once for the session and kept as
    the rows it wrote (tests/record_snapshot.py)."""
    from tests import record_snapshot

    with django_db_blocker.unblock():
        return record_snapshot.take()


@pytest.fixture
def gmg_record(db, gmg_record_snapshot):
    """The GMG's real record, as `load_gmg_data` loads it from data/gmg/: the session's load copied into this
    test's database, rolled back (or flushed) after the test like the rest of what it writes."""
    from tests import record_snapshot

    return record_snapshot.restore(gmg_record_snapshot)


# Headless Chromium from Debian, driven by pytest-playwright (its own browser download is not used here).
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def sign_in(page, live_server):
    """Sign a person in through the login page, as they would; returns the page."""
    from tests.factories import PASSWORD

    def _sign_in(person, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mail address").fill(person.email or person.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return _sign_in
