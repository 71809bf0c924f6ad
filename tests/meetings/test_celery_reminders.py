"""A real Celery worker on the real Redis delivers the reminders once; with the broker down nothing hangs.

The worker is a subprocess on the pytest-created test database (transaction=True tests commit, so it sees the
rows); it writes its mails with the file-based backend into a temporary folder. Redis is REDIS_URL, by default
redis://127.0.0.1:6379/15; if it cannot be reached the tests fail and say so.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
import time_machine
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from gmg_portal.celery import app as portal_app
from groups.models import Person
from meetings import reminders
from meetings.models import Notice, Reminder
from meetings.services import meeting_update
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

    def start():
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
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
    return Celery("gmg-test-client", broker=redis_url)


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
    sweeper.send_task("meetings.tasks.sweep_reminders", kwargs={"now": MOMENT.isoformat()}, queue=queue)
    wait_for(lambda: Reminder.objects.count() == 2 and not Reminder.objects.unsent().exists(), process)
    assert sorted(Reminder.objects.values_list("occasion", flat=True)) == ["before:7", "before:7"]
    assert Notice.objects.count() == 2
    # A second sweep (a second beat by mistake) finds nothing new to send.
    second = sweeper.send_task("meetings.tasks.sweep_reminders", kwargs={"now": MOMENT.isoformat()}, queue=queue)
    backend = redis.Redis.from_url(redis_url)
    wait_for(lambda: backend.llen(queue) == 0, process)
    time.sleep(2)  # the worker finishes the second sweep it took from the queue
    assert second.id
    sent = mails_in(mail_dir)
    assert len(sent) == 2, sent
    assert sum("To: ilo_fp@example.org" in m for m in sent) == 1
    assert all("invitation.ics" in m and "SEQUENCE:0" in m for m in sent)
    assert Reminder.objects.count() == 2


def test_a_worker_killed_mid_way_leaves_nothing_lost_and_nothing_doubled(meeting, workers, redis_url):
    queue, mail_dir, start = workers
    first = start()
    with time_machine.travel(MOMENT, tick=False):
        result = reminders.sweep()
    orphan, other = result.to_deliver
    # A worker claimed the first delivery and was killed before it sent: the claim stays, the row unsent.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Reminder.objects.filter(pk=orphan).update(claimed_by=uuid.uuid4(), claimed_at=an_hour_ago)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=20)
    assert Reminder.objects.unsent().count() == 2
    # A new worker comes up; an hour later the sweep takes over the stale claim and enqueues both.
    second = start()
    later = MOMENT.replace(hour=10)
    client(redis_url).send_task("meetings.tasks.sweep_reminders", kwargs={"now": later.isoformat()}, queue=queue)
    wait_for(lambda: not Reminder.objects.unsent().exists(), second)
    assert set(Reminder.objects.filter(sent_at__isnull=False).values_list("pk", flat=True)) == {orphan, other}
    time.sleep(1)
    assert len(mails_in(mail_dir)) == 2


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
    client(redis_url).send_task("meetings.tasks.relay_outbox", queue=queue)
    wait_for(lambda: not Reminder.objects.unsent().exists(), process)
    client(redis_url).send_task("meetings.tasks.relay_outbox", queue=queue)
    wait_for(lambda: redis.Redis.from_url(redis_url).llen(queue) == 0, process)
    time.sleep(1)
    sent = mails_in(mail_dir)
    assert len(sent) == 2, sent
    assert all("Vienna" in m and "SEQUENCE:3" in m for m in sent)
