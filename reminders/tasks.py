"""Celery tasks of the reminders: thin, each loads by id and calls the code that does the work.

The sweep runs on the beat schedule (settings.CELERY_BEAT_SCHEDULE); it inserts the sent-log rows and, on
commit, hands them to the workers in tasks of up to GMG_REMINDER_MAILS_PER_TASK people each (one mail per
person, one SMTP connection per task), so several workers share a big sweep.

Nothing that saves a record talks to the broker: a meeting change writes its notices (the outbox, in the
database) and returns; the relay task (every GMG_REMINDER_RELAY_SECONDS) and every sweep hand what waits to the
workers, so with Redis down a save returns at once and its mails go once the broker is back. With no broker
configured (`make run`), deliveries run in the same process.

A send that fails for a passing reason is retried with exponential back-off, capped far below the broker's
visibility timeout (Redis re-delivers a task held longer); `reminders.delivery` marks a row failed for good after
GMG_REMINDER_MAX_ATTEMPTS attempts.
"""

from __future__ import annotations

import logging
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils.dateparse import parse_datetime

from kit import record_version
from reminders import delivery, sweep
from reminders.models import Digest, Reminder

logger = logging.getLogger(__name__)

# A send that fails for a passing reason (SMTP down, a network error, the database restarting before anything
# was sent) is retried with exponential back-off: 30 s, 60 s, ... up to the cap.
RETRY = {
    "autoretry_for": (delivery.RetryLater, OperationalError),
    "retry_backoff": settings.GMG_REMINDER_RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": settings.GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": settings.GMG_REMINDER_MAX_ATTEMPTS - 1,
    "acks_late": True,
}


@shared_task(name="reminders.tasks.sweep_reminders", acks_late=True)
def sweep_reminders(now: str | None = None) -> dict:
    """The periodic sweep; `now` (ISO 8601) replays a moment."""
    moment = _moment(now)
    result = sweep.sweep(now=moment)
    record_version.fold()  # the periodic housekeeping rides with the sweep: the version's change rows stay few
    if result.locked_out:
        return {"locked_out": True}
    transaction.on_commit(lambda: enqueue(reminder_ids=result.to_deliver, digest_ids=result.digests))
    return {"created": len(result.created), "to_deliver": len(result.to_deliver), "digests": len(result.digests)}


@shared_task(name="reminders.tasks.relay_outbox", acks_late=True, expires=60)
def relay_outbox() -> int:
    """Hand the reminders that wait in the database (saved while the broker was down, or never picked up)."""
    with transaction.atomic():
        ids = sweep.outbox()
        transaction.on_commit(lambda: enqueue(reminder_ids=ids))
    return len(ids)


def _raise_for_retry(outcome: delivery.Outcome) -> None:
    if outcome.retry:
        raise delivery.RetryLater("; ".join(outcome.errors))


@shared_task(name="reminders.tasks.deliver_reminders", **RETRY)
def deliver_reminders(reminder_ids: list[int]) -> int:
    """A batch: one mail per person over one SMTP connection; a retry skips what went already."""
    outcome = delivery.deliver_reminders(reminder_ids)
    _raise_for_retry(outcome)
    return outcome.mails


@shared_task(name="reminders.tasks.deliver_digests", **RETRY)
def deliver_digests(digest_ids: list[int]) -> int:
    outcome = delivery.deliver_digests(digest_ids)
    _raise_for_retry(outcome)
    return outcome.mails


@shared_task(name="reminders.tasks.deliver_reminder", **RETRY)
def deliver_reminder(reminder_id: int) -> bool:
    return delivery.deliver_reminder(reminder_id)


@shared_task(name="reminders.tasks.deliver_digest", **RETRY)
def deliver_digest(digest_id: int) -> bool:
    return delivery.deliver_digest(digest_id)


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"{text!r} is not an ISO 8601 moment with its time zone.")
    return moment


def runs_in_process() -> bool:
    """Whether the portal's Celery app (gmg_portal.celery, the current app) runs tasks in this process."""
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def by_person(reminder_ids, per_task: int | None = None) -> list[list[int]]:
    """The reminder ids in tasks of up to `per_task` people, never splitting one person's reminders."""
    per_task = per_task or settings.GMG_REMINDER_MAILS_PER_TASK
    ids = list(reminder_ids)
    people: dict[int, list[int]] = {}
    for pk, recipient_id in (
        Reminder.objects.filter(pk__in=ids).order_by("recipient_id", "pk").values_list("pk", "recipient_id")
    ):
        people.setdefault(recipient_id, []).append(pk)
    groups = list(people.values())
    return [sum(groups[i : i + per_task], []) for i in range(0, len(groups), per_task)]


def enqueue(*, reminder_ids=(), digest_ids=()) -> int:
    """Hand deliveries to the workers; returns how many tasks were handed over (or mails sent, without a broker).

    Call it after commit (`transaction.on_commit`) from a sweep or the relay: a worker must find the rows. A
    broker error is logged, not raised: the rows stay unsent, and the relay or the next sweep hands them again.
    """
    if not reminder_ids and not digest_ids:
        return 0
    if runs_in_process():
        return deliver_now(reminder_ids=reminder_ids, digest_ids=digest_ids)
    per_task = settings.GMG_REMINDER_MAILS_PER_TASK
    digest_ids = list(digest_ids)
    jobs = [(deliver_reminders, chunk) for chunk in by_person(reminder_ids)]
    jobs += [(deliver_digests, digest_ids[i : i + per_task]) for i in range(0, len(digest_ids), per_task)]
    handed = 0
    for task, ids in jobs:
        try:
            task.apply_async(args=[ids], retry=False)
        except Exception as error:  # the broker is down: the relay or the next sweep picks the rows up
            logger.warning("Could not enqueue %s (%d rows), the relay retries: %s", task.name, len(ids), error)
            _unmark(jobs[handed:])
            break
        handed += 1
    return handed


def notify(*, reminder_ids=()) -> None:
    """After a save made reminders (a meeting change): send them in-process without a broker; with one, leave
    them in the outbox for the relay, so the save never waits for the broker."""
    if reminder_ids and runs_in_process():
        deliver_now(reminder_ids=reminder_ids)


def _unmark(jobs) -> None:
    """Rows that did not reach the broker are handed again by the very next relay or sweep."""
    reminder_ids = [pk for task, ids in jobs if task is deliver_reminders for pk in ids]
    digest_ids = [pk for task, ids in jobs if task is deliver_digests for pk in ids]
    Reminder.objects.filter(pk__in=reminder_ids).update(enqueued_at=None)
    Digest.objects.filter(pk__in=digest_ids).update(enqueued_at=None)


def deliver_now(*, reminder_ids=(), digest_ids=()) -> int:
    """Send in this process (one mail per person, one connection per batch of GMG_REMINDER_MAILS_PER_TASK
    people); a failed send is logged and left for the next sweep. Returns the mails sent."""
    mails = 0
    per_task = settings.GMG_REMINDER_MAILS_PER_TASK
    digest_ids = list(digest_ids)
    jobs = [(delivery.deliver_reminders, chunk) for chunk in by_person(reminder_ids)] if reminder_ids else []
    jobs += [(delivery.deliver_digests, digest_ids[i : i + per_task]) for i in range(0, len(digest_ids), per_task)]
    # A batch of people at a time, as the workers take them: what is held in memory stays one batch.
    for deliver, ids in jobs:
        if not ids:
            continue
        try:
            outcome = deliver(list(ids))
        except Exception:
            logger.exception("Sending %s(%s) failed; the next sweep retries.", deliver.__name__, list(ids)[:10])
            continue
        mails += outcome.mails
        for error in outcome.errors:
            logger.warning("A reminder mail was not sent: %s", error)
    return mails
