"""A real Celery worker on the real Redis delivers the reminders once; with the broker down nothing hangs.

The worker is a subprocess on the pytest-created test database (transaction=True tests commit, so it sees the
rows); it writes its mails with the file-based backend into a temporary folder. Redis is REDIS_URL, by default
redis://127.0.0.1:6379/15; if it cannot be reached the tests fail and say so.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.db.models import F

from gmg_portal.celery import app as portal_app
from groups.models import Person
from meetings.services import meeting_update
from reminders.models import Notice, Reminder
from tests.factories import make_agency, make_meeting, make_person

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
MOMENT = datetime.combine(date(2030, 3, 3), clock(9), tzinfo=ZoneInfo("Europe/Zurich"))
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(
            f"Redis is unreachable at {REDIS_URL} ({error}): start it or set REDIS_URL; the Celery tests need it."
        )
    return REDIS_URL


@pytest.fixture
def meeting():
    ilo, undp = make_agency("ILO"), make_agency("UNDP")
    make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo)
    make_person("undp_fp", role=Person.Role.FOCAL_POINT, agency=undp)
    meeting = make_meeting(date(2030, 3, 10), title="Working level meeting")
    meeting.attendees.add(ilo, undp)
    return meeting


@pytest.fixture
def workers(redis_url, tmp_path):
    """Start workers on a queue of their own; yields (queue, mail folder, start) where start() runs one more."""
    queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "GMG_REMINDER_QUEUE": queue,
        "DJANGO_SECRET_KEY": "test-only-secret",
        "DJANGO_DEBUG": "false",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    command = [
        str(Path(sys.executable).parent / "celery"),
        *("-A", "gmg_portal", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO"),
        *("--without-heartbeat", "--without-gossip", "--without-mingle"),
    ]
    started = []

    def start(mail: dict | None = None):
        """One more worker; `mail` sends its mails over SMTP (EMAIL_HOST, EMAIL_PORT) instead of into the folder."""
        smtp = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", **mail} if mail else {}
        process = subprocess.Popen(
            command, cwd=ROOT, env={**env, **smtp}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        started.append(process)
        return process

    yield queue, mail_dir, start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    redis.Redis.from_url(redis_url).delete(queue)


def client(redis_url) -> Celery:
    # Not the current app: the portal's own (gmg_portal.celery) stays the one its tasks and their callers use.
    return Celery("gmg-test-client", broker=redis_url, set_as_current=False)


def wait_for(condition, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"The worker stopped:\n{process.stdout.read()}")
        time.sleep(0.25)
    process.terminate()
    pytest.fail(f"Timed out waiting for the worker:\n{process.communicate(timeout=20)[0][-5000:]}")


def mails_in(folder: Path) -> list[str]:
    text = "".join(path.read_text() for path in sorted(folder.glob("*.log")))
    return [part for part in text.split("-" * 79) if "Subject:" in part]


def test_a_real_worker_on_redis_delivers_the_due_reminders_once(meeting, workers, redis_url):
    queue, mail_dir, start = workers
    process = start()
    sweeper = client(redis_url)
    sweeper.send_task("reminders.tasks.sweep_reminders", kwargs={"now": MOMENT.isoformat()}, queue=queue)
    wait_for(lambda: Reminder.objects.count() == 2 and not Reminder.objects.unsent().exists(), process)
    assert sorted(Reminder.objects.values_list("occasion", flat=True)) == ["before:7", "before:7"]
    assert Notice.objects.count() == 2
    # A second sweep (a second beat by mistake) finds nothing new to send.
    second = sweeper.send_task("reminders.tasks.sweep_reminders", kwargs={"now": MOMENT.isoformat()}, queue=queue)
    backend = redis.Redis.from_url(redis_url)
    wait_for(lambda: backend.llen(queue) == 0, process)
    time.sleep(2)  # the worker finishes the second sweep it took from the queue
    assert second.id
    sent = mails_in(mail_dir)
    assert len(sent) == 2, sent
    assert sum("To: ilo_fp@example.org" in m for m in sent) == 1
    assert all("invitation.ics" in m and "SEQUENCE:0" in m for m in sent)
    assert Reminder.objects.count() == 2


def test_with_the_broker_down_a_meeting_change_saves_at_once_and_goes_out_once_it_is_back(meeting, workers, redis_url):
    queue, mail_dir, start = workers
    support = make_person("support", role=Person.Role.SUPPORT)
    conf = portal_app.conf
    saved = (conf.broker_url, conf.task_always_eager, portal_app._pool)
    conf.broker_url, conf.task_always_eager, portal_app._pool = "redis://127.0.0.1:1/15", False, None
    try:
        started = time.monotonic()
        for venue in ("Geneva", "New York", "Vienna"):  # three saves while the broker is down
            meeting_update(meeting=meeting, by=support, venue=venue)
        elapsed = time.monotonic() - started
    finally:
        conf.broker_url, conf.task_always_eager, portal_app._pool = saved
    assert elapsed < 1, f"three saves took {elapsed:.1f}s with the broker down"
    # The outbox: only the latest change waits, the earlier ones are superseded; nothing was handed over.
    assert sorted(Reminder.objects.unsent().values_list("occasion", flat=True)) == ["update:3", "update:3"]
    assert Reminder.objects.filter(occasion__in=["update:1", "update:2"], dropped_at__isnull=False).count() == 4
    assert Reminder.objects.filter(enqueued_at__isnull=False).count() == 0
    # The broker is back: the relay hands the outbox to a real worker, and each invitee gets one mail, once.
    process = start()
    client(redis_url).send_task("reminders.tasks.relay_outbox", queue=queue)
    wait_for(lambda: not Reminder.objects.unsent().exists(), process)
    client(redis_url).send_task("reminders.tasks.relay_outbox", queue=queue)
    wait_for(lambda: redis.Redis.from_url(redis_url).llen(queue) == 0, process)
    time.sleep(1)
    sent = mails_in(mail_dir)
    assert len(sent) == 2, sent
    assert all("Vienna" in m and "SEQUENCE:3" in m for m in sent)


class StallingSmtp:
    """An SMTP server on a free local port that takes every message, except that it stalls on the end of the
    first message's DATA (never answering 250) until the client goes away: a worker killed there has not sent it.
    `accepted` holds each message the server took (answered 250 to), with its recipients."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted: list[tuple[list[str], str]] = []
        self.stalled = threading.Event()
        self.stall_next = True
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(connection,), daemon=True).start()

    def _session(self, connection):
        reader = connection.makefile("rb")

        def say(line):
            connection.sendall(line.encode() + b"\r\n")

        recipients = []
        try:
            say("220 stalling sink")
            while line := reader.readline():
                verb = line.decode(errors="replace").strip().upper()
                if verb.startswith(("EHLO", "HELO")):
                    say("250 sink")
                elif verb.startswith("MAIL"):
                    recipients = []
                    say("250 ok")
                elif verb.startswith("RCPT"):
                    recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                    say("250 ok")
                elif verb == "DATA":
                    say("354 go on")
                    body = []
                    while (part := reader.readline()) not in (b".\r\n", b""):
                        body.append(part.decode(errors="replace"))
                    if part == b"":
                        return
                    if self.stall_next:
                        self.stall_next = False
                        self.stalled.set()
                        # The message is all here, but it is not taken until the server says 250: wait for the
                        # client to go away (a killed worker's socket closes), and drop the message.
                        reader.readline()
                        return
                    self.accepted.append((recipients, "".join(body)))
                    say("250 taken")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("250 ok")
        except OSError:
            return
        finally:
            connection.close()

    def close(self):
        self.server.close()


def test_a_worker_killed_while_it_is_sending_leaves_nothing_lost_and_nothing_doubled(meeting, workers, redis_url):
    """reminders/delivery.py: a row is claimed, the mail sent, then the row marked sent. A worker killed during the
    SMTP transaction never got the server's 250: the mail did not leave, so once its claim is stale (the sweep's
    rule, GMG_REMINDER_CLAIM_STALE_MINUTES) it is claimed again and sent, once; nothing that left goes twice."""
    queue, _, start = workers
    sink = StallingSmtp()
    try:
        first = start(mail={"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)})
        client(redis_url).send_task("reminders.tasks.sweep_reminders", kwargs={"now": MOMENT.isoformat()}, queue=queue)
        assert sink.stalled.wait(90), "the worker never reached the SMTP DATA of its first mail"
        # The worker is inside the SMTP transaction: its rows are claimed, none is marked sent.
        assert Reminder.objects.count() == 2
        assert Reminder.objects.filter(claimed_by__isnull=False, sent_at__isnull=True).exists()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
        assert Reminder.objects.filter(sent_at__isnull=False).count() == len(sink.accepted) == 0
        claimed = Reminder.objects.filter(claimed_by__isnull=False, sent_at__isnull=True)
        assert claimed.count() == 2  # one task carried both people's mails; the first stalled, the second waits
        # An hour passes (the claims the killed worker made age past GMG_REMINDER_CLAIM_STALE_MINUTES); a new
        # worker comes up, and the sweep hands the stale claims over again: what never left is sent, once.
        claimed.update(claimed_at=F("claimed_at") - timedelta(hours=1))
        second = start(mail={"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)})
        later = MOMENT.replace(hour=10)
        client(redis_url).send_task("reminders.tasks.sweep_reminders", kwargs={"now": later.isoformat()}, queue=queue)
        wait_for(lambda: not Reminder.objects.unsent().exists(), second)
        time.sleep(1)
        recipients = sorted(address for to, _ in sink.accepted for address in to)
        assert recipients == ["ilo_fp@example.org", "undp_fp@example.org"], sink.accepted
        assert Reminder.objects.filter(sent_at__isnull=False, failed_at__isnull=True).count() == 2
    finally:
        sink.close()
