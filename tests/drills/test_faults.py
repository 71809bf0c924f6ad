"""Fault drills on a private PostgreSQL, Redis and SMTP server: Redis stopped, PostgreSQL restarted, the SMTP
server down (and refusing an address). Each drill runs the portal's real processes (Celery workers, a web
process) and checks the outcome in the database and in what the SMTP server received: every reminder exactly
once, nothing stuck, failures visible with their reason. (A worker killed mid-send: tests/meetings/
test_celery_reminders.py, SIGKILL.)
"""

import re
import threading
import time

import pytest

from tests.drills.conftest import Browser, relay, sweep
from tests.drills.stack import PORT_BASE, wait_until

pytestmark = pytest.mark.drill

PEOPLE = 3


def rows(pg) -> dict:
    ((total, sent, unsent, failed, held),) = pg.query(
        "SELECT count(*), count(sent_at), count(*) FILTER (WHERE sent_at IS NULL AND dropped_at IS NULL"
        " AND failed_at IS NULL), count(failed_at), count(*) FILTER (WHERE claimed_by IS NOT NULL"
        " AND sent_at IS NULL) FROM meetings_reminder WHERE dropped_at IS NULL"
    )
    return {"total": total, "sent": sent, "unsent": unsent, "failed": failed, "held": held}


def items_in(mails) -> int:
    """Reminders carried by the mails: one for a single reminder, N for '[GMG] N reminders'."""
    found = 0
    for mail in mails:
        many = re.match(r"\[GMG\] (\d+) reminders", mail.subject)
        found += int(many.group(1)) if many else 1
    return found


def assert_each_once(pg, sink, *, people: int) -> None:
    state = rows(pg)
    assert state["unsent"] == 0 and state["held"] == 0, state
    mails = sink.received()
    assert items_in(mails) == state["sent"], [m.subject for m in mails]
    per_person = {}
    for mail in mails:
        for address in mail.to:
            per_person.setdefault(address, []).append(mail.subject)
    assert len(per_person) == people, per_person


def test_redis_stopped_saves_return_at_once_and_what_was_due_goes_once_when_it_is_back(stack):
    pg, broker, sink, processes, client = stack
    sink.start()
    worker = processes.worker("worker-1")
    web = processes.web("web-1", PORT_BASE + 2)
    seeded = processes.driver("seed", str(PEOPLE))
    browser = Browser(PORT_BASE + 2)
    wait_until(lambda: web.poll() is not None or browser.get("/accounts/login/")[0] == 200, 60, "the web")
    processes.assert_running()
    browser.sign_in("support", seeded["password"])

    broker.stop()
    saves = processes.driver("save", str(seeded["meeting"]), "5")["seconds"]
    assert max(saves) < 1.5, f"a save waited for the broker (its connect timeout is 2 s): {saves}"
    started = time.monotonic()
    for path in ("/meetings/", f"/meetings/{seeded['meeting']}/", "/calendar/notices/"):
        status, _ = browser.get(path)
        assert status == 200, path
    assert time.monotonic() - started < 5
    # The outbox: the latest change waits for each invitee, the five before it are superseded.
    ((waiting,),) = pg.query(
        "SELECT count(*) FROM meetings_reminder WHERE occasion = 'update:6' AND sent_at IS NULL AND dropped_at IS NULL"
    )
    assert waiting == PEOPLE
    assert sink.received() == []

    broker.start()  # the worker reconnects by itself
    sweep(client)
    relay(client)
    wait_until(lambda: rows(pg)["unsent"] == 0, 60, f"delivery after Redis came back\n{processes.log('worker-1')}")
    sweep(client)  # a second sweep (a second beat) sends nothing more
    relay(client)
    time.sleep(3)
    processes.assert_running()
    assert_each_once(pg, sink, people=PEOPLE)
    changed = [m for m in sink.received() if "Room 5" in m.text]
    assert len(changed) == PEOPLE and not [m for m in sink.received() if "Room 4" in m.text]
    assert worker.poll() is None


def test_postgresql_restarted_right_after_a_mail_left_records_it_once_and_web_and_workers_recover(stack):
    pg, broker, sink, processes, client = stack
    restarted, stopped = threading.Event(), threading.Event()

    def restart_the_database_once(mail):
        # The mail has arrived; before the worker can record it, PostgreSQL goes down, and is back 3 s later.
        if not restarted.is_set():
            restarted.set()
            pg.stop()
            stopped.set()
            threading.Timer(3, pg.start).start()

    sink.on_message = restart_the_database_once
    sink.start()
    processes.worker("worker-1", EMAIL_TIMEOUT="60")  # the server answers once the database is down
    processes.web("web-1", PORT_BASE + 2)
    seeded = processes.driver("seed", str(PEOPLE))
    browser = Browser(PORT_BASE + 2)
    wait_until(lambda: browser.get("/accounts/login/")[0] == 200, 60, "the web")
    browser.sign_in("support", seeded["password"])
    assert browser.get("/calendar/notices/")[0] == 200  # the web process holds a persistent connection now

    sweep(client)
    # Wait for the server to be down, not only for the mail: on a busy machine a fast stop takes a while, and a
    # database that still answers would be taken for one that is back.
    wait_until(stopped.is_set, 90, "the first mail and PostgreSQL stopped")

    def database_back():
        try:
            return pg.query("SELECT 1")
        except Exception:
            return False

    wait_until(database_back, 60, "PostgreSQL back")
    # Pages answer at once after the restart: the dead persistent connection is replaced (CONN_HEALTH_CHECKS).
    statuses = [browser.get("/calendar/notices/")[0] for _ in range(5)]
    assert statuses == [200] * 5, processes.log("web-1")
    wait_until(lambda: rows(pg)["unsent"] == 0, 90, f"delivery after the restart\n{processes.log('worker-1')}")
    processes.assert_running()
    assert_each_once(pg, sink, people=PEOPLE)
    assert len(sink.received()) == PEOPLE  # one mail each, none sent twice
    assert "retrying on a fresh one" in processes.log("worker-1", whole=True)  # the record was retried, not the send
    # The worker goes on with no manual step: the next day's reminders go too.
    sweep(client, "2030-03-09T09:00:00+01:00")
    wait_until(lambda: rows(pg)["sent"] == 6 * PEOPLE, 60, f"the next sweep\n{processes.log('worker-1')}")
    assert rows(pg)["held"] == 0


def test_the_smtp_server_down_for_a_while_is_retried_then_each_goes_once_and_a_refused_address_fails_visibly(stack):
    pg, broker, sink, processes, client = stack
    sink.refuse = {"fp000@example.org"}
    processes.worker("worker-1", GMG_REMINDER_MAX_ATTEMPTS="40", GMG_REMINDER_STUCK_MINUTES="0")
    processes.web("web-1", PORT_BASE + 2, GMG_REMINDER_STUCK_MINUTES="0")
    seeded = processes.driver("seed", str(PEOPLE))
    sweep(client)  # the SMTP server is down: nothing goes, each try is recorded with its reason

    def retried():
        ((attempts, errors),) = pg.query(
            "SELECT min(attempts), count(*) FILTER (WHERE last_error LIKE '%%Connection%%') FROM meetings_reminder"
        )
        return attempts and attempts >= 2 and errors == 3 * PEOPLE

    wait_until(retried, 60, f"retries while the SMTP server is down\n{processes.log('worker-1')}")
    browser = Browser(PORT_BASE + 2)
    wait_until(lambda: browser.get("/accounts/login/")[0] == 200, 60, "the web")
    browser.sign_in("support", seeded["password"])
    status, page = browser.get("/calendar/delivery/")
    assert status == 200 and "ConnectionRefusedError" in page  # staff see why

    sink.start()  # the mail server is back
    wait_until(lambda: rows(pg)["unsent"] == 0, 60, f"delivery once SMTP is back\n{processes.log('worker-1')}")
    state = rows(pg)
    assert state["failed"] == 3 and state["sent"] == 3 * (PEOPLE - 1)
    mails = sink.received()
    assert sorted(a for m in mails for a in m.to) == ["fp001@example.org", "fp002@example.org"]
    assert items_in(mails) == state["sent"]
    status, page = browser.get("/calendar/delivery/")
    assert 'id="failed-count">3<' in page and "550" in page and "fp000@example.org" in page
    health = processes.driver("health")
    assert health["failed"] == 3 and health["stuck"] == 0
