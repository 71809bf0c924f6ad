"""The drills' private stack: one PostgreSQL and one Redis for the whole run (migrated once), emptied between
drills; each drill starts its own SMTP sink, web processes and workers, and stops them after."""

import http.cookiejar
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from celery import Celery

from tests.drills.stack import PORT_BASE, PostgreSQL, Processes, Redis, SMTPSink

MOMENT = "2030-03-03T09:00:00+01:00"


@pytest.fixture(scope="session")
def private_stack():
    folder = Path(tempfile.mkdtemp(prefix="gmg-drill-"))
    folder.chmod(0o755)  # the PostgreSQL server runs as its own account
    pg, broker = PostgreSQL(folder / "pg"), Redis(folder / "redis")
    try:
        pg.init()
        broker.start()
        Processes(pg, broker, folder, PORT_BASE + 1).manage("migrate", "--noinput")
        yield pg, broker, folder
    finally:
        broker.stop()
        pg.destroy()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def stack(private_stack):
    """(pg, redis, sink, processes, client): an empty database, an empty broker, a fresh SMTP sink."""
    pg, broker, folder = private_stack
    if not broker.answers():
        broker.start()
    pg.reset()
    broker.flush()
    sink = SMTPSink()
    processes = Processes(pg, broker, folder, sink.port)
    # Not the current app: the portal's own (gmg_portal.celery) stays the one its tasks and their callers use.
    client = Celery("drill-client", broker=broker.url, set_as_current=False)
    try:
        yield pg, broker, sink, processes, client
    finally:
        processes.stop_all()
        sink.stop()
        if not broker.answers():
            broker.start()
        client.close()


def sweep(client, now: str = MOMENT):
    return client.send_task("reminders.tasks.sweep_reminders", kwargs={"now": now}, queue="reminders")


def relay(client):
    return client.send_task("reminders.tasks.relay_outbox", queue="reminders")


class Browser:
    """A signed-in visitor of one web process, with urllib (cookies and the CSRF token as a browser keeps them)."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as error:  # not listening (yet), or the connection dropped
            return 0, str(error)

    def sign_in(self, username: str, password: str) -> None:
        status, page = self.get("/accounts/login/")
        assert status == 200, page[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data, headers={"Referer": self.base})
        with self.opener.open(request, timeout=10) as response:
            assert "/accounts/login/" not in response.url, "signing in failed"
