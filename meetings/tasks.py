"""Celery tasks of the reminders: thin, each loads by id and calls the code that does the work.

The sweep runs on the beat schedule (settings.CELERY_BEAT_SCHEDULE); it inserts the sent-log rows and enqueues
one delivery per row on commit. Enqueueing never blocks a request or a sweep: with the broker down, the error
is logged within the broker's connect timeout and the rows stay unsent for the next sweep. With no broker
configured (`make run`), deliveries run in the same process.
"""

from __future__ import annotations

import logging
from datetime import datetime
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime

from meetings import notices, reminders
from meetings.models import Digest, Reminder

logger = logging.getLogger(__name__)

# A send that fails for a passing reason (SMTP down, a network error) is retried with exponential back-off.
RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": settings.GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": settings.GMG_REMINDER_MAX_RETRIES,
    "acks_late": True,
}


@shared_task(name="meetings.tasks.sweep_reminders", acks_late=True)
def sweep_reminders(now: str | None = None) -> dict:
    """The periodic sweep; `now` (ISO 8601) replays a moment."""
    moment = _moment(now)
    result = reminders.sweep(now=moment)
    if result.locked_out:
        return {"locked_out": True}
    transaction.on_commit(lambda: enqueue(reminder_ids=result.to_deliver, digest_ids=result.digests))
    return {"created": len(result.created), "to_deliver": len(result.to_deliver), "digests": len(result.digests)}


@shared_task(name="meetings.tasks.deliver_reminder", **RETRY)
def deliver_reminder(reminder_id: int) -> bool:
    return notices.deliver_reminder(reminder_id)


@shared_task(name="meetings.tasks.deliver_digest", **RETRY)
def deliver_digest(digest_id: int) -> bool:
    return notices.deliver_digest(digest_id)


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"{text!r} is not an ISO 8601 moment with its time zone.")
    return moment


def runs_in_process() -> bool:
    from gmg_portal.celery import app

    return bool(app.conf.task_always_eager)


def enqueue(*, reminder_ids=(), digest_ids=()) -> int:
    """Hand deliveries to the workers; returns how many were handed over (or sent, without a broker).

    Call it after commit (`transaction.on_commit`): a worker must find the rows. A broker error is logged, not
    raised: the rows stay unsent, and the next sweep enqueues them again.
    """
    jobs = [(deliver_reminder, pk) for pk in reminder_ids] + [(deliver_digest, pk) for pk in digest_ids]
    if not jobs:
        return 0
    if runs_in_process():
        return deliver_now(reminder_ids=reminder_ids, digest_ids=digest_ids)
    handed = 0
    for task, pk in jobs:
        try:
            task.apply_async(args=[pk], retry=False)
        except Exception as error:  # the broker is down: the next sweep picks the rows up
            logger.warning("Could not enqueue %s(%s), the next sweep retries: %s", task.name, pk, error)
            _unmark(jobs[handed:])
            break
        handed += 1
    return handed


def _unmark(jobs) -> None:
    """Rows that did not reach the broker are enqueued again by the very next sweep."""
    Reminder.objects.filter(pk__in=[pk for task, pk in jobs if task is deliver_reminder]).update(enqueued_at=None)
    Digest.objects.filter(pk__in=[pk for task, pk in jobs if task is deliver_digest]).update(enqueued_at=None)


def deliver_now(*, reminder_ids=(), digest_ids=()) -> int:
    """Send in this process, one by one; a failed send is logged and left for the next sweep."""
    sent = 0
    for deliver, ids in ((notices.deliver_reminder, reminder_ids), (notices.deliver_digest, digest_ids)):
        for pk in ids:
            try:
                sent += bool(deliver(pk))
            except Exception:
                logger.exception("Sending %s(%s) failed; the next sweep retries.", deliver.__name__, pk)
    return sent
