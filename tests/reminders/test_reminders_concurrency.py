"""Exactly once under concurrency, on PostgreSQL: two sweeps or two deliveries at the same moment, each on its
own database connection (two beats or two workers by mistake)."""

import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from groups.models import Person
from reminders import delivery
from reminders import sweep as reminder_sweep
from reminders.models import Notice, Reminder
from tests.factories import make_agency, make_meeting, make_person

pytestmark = pytest.mark.django_db(transaction=True)

MOMENT = datetime.combine(date(2030, 3, 3), time(9), tzinfo=ZoneInfo("Europe/Zurich"))


@pytest.fixture
def meeting():
    ilo, undp = make_agency("ILO"), make_agency("UNDP")
    make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo)
    make_person("undp_fp", role=Person.Role.FOCAL_POINT, agency=undp)
    meeting = make_meeting(date(2030, 3, 10))
    meeting.attendees.add(ilo, undp)
    return meeting


def side_by_side(work, count=2):
    """Run `work` in `count` threads released at once, each with its own connection; return their results."""
    start = threading.Barrier(count)
    results, errors = [None] * count, []

    def worker(index):
        try:
            start.wait()
            results[index] = work()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.parametrize("lock", [True, False], ids=["with the advisory lock", "on the unique constraint alone"])
def test_two_sweeps_at_once_log_each_reminder_once(meeting, lock):
    def sweep():
        with time_machine.travel(MOMENT, tick=False):
            return reminder_sweep.sweep(lock=lock)

    results = side_by_side(sweep, count=4)
    assert sum(len(r.created) for r in results) == 2
    assert Reminder.objects.count() == 2
    assert Notice.objects.count() == 2


def test_two_workers_delivering_the_same_reminder_send_it_once(meeting):
    with time_machine.travel(MOMENT, tick=False):
        result = reminder_sweep.sweep()
    ids = result.to_deliver
    assert len(ids) == 2

    def deliver_all():
        return [delivery.deliver_reminder(pk) for pk in ids]

    results = side_by_side(deliver_all, count=4)
    assert sum(sum(r) for r in results) == 2
    assert len(mail.outbox) == 2
    assert Reminder.objects.unsent().count() == 0
