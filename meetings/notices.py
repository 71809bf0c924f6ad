"""Delivering reminders, digests and meeting changes: the e-mail (text, HTML, an .ics for meetings) and its claim.

A delivery claims its row with a conditional update (`filter(pk=..., sent_at=None, claim free or stale)
.update(claimed_by=token)`): if no row changed, another worker has it or it went already, and this one stops.
It then sends, and marks the row sent. A failed send releases the claim and raises, so the task retries with
back-off and the row stays unsent until it goes; a worker killed between claim and send leaves a claim that
goes stale and is taken over by a later sweep.

The in-app notice of a reminder is written by the sweep with the row (one per reminder, a database
constraint); the e-mail is what is claimed here.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from meetings import calendar
from meetings.models import Digest, Reminder
from meetings.reminders import stale_before

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[GMG] "


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def _claim(model, pk: int, now: datetime, token: uuid.UUID, **extra) -> bool:
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before(now))
    return bool(
        model.objects.filter(free, pk=pk, sent_at__isnull=True, **extra).update(
            claimed_by=token, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _release(model, pk: int, token: uuid.UUID, error: Exception) -> None:
    model.objects.filter(pk=pk, claimed_by=token).update(
        claimed_by=None, claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
    )


def subject_for(reminder: Reminder) -> str:
    if reminder.occasion.startswith("cancel:"):
        lead = "Cancelled"
    elif reminder.occasion.startswith("update:"):
        lead = "Changed"
    elif reminder.occasion.startswith("overdue:"):
        lead = "Overdue"
    elif reminder.occasion == "day_of":
        lead = "Today"
    else:
        lead = "Reminder"
    return f"{SUBJECT_PREFIX}{lead}: {reminder.title}"[:250]


def reminder_message(reminder: Reminder) -> EmailMultiAlternatives:
    """The e-mail of one reminder or meeting change: text and HTML parts, a link, and the meeting's .ics."""
    context = {"reminder": reminder, "link": absolute(reminder.url), "recipient": reminder.recipient}
    message = EmailMultiAlternatives(
        subject=subject_for(reminder),
        body=render_to_string("meetings/email/reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.recipient.email],
    )
    message.attach_alternative(render_to_string("meetings/email/reminder.html", context), "text/html")
    if reminder.meeting_id is not None:
        method = "CANCEL" if reminder.occasion.startswith("cancel:") else "REQUEST"
        ics = calendar.invitation(reminder.meeting, method=method, attendee=reminder.recipient)
        message.attach("invitation.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    return message


def deliver_reminder(reminder_id: int, *, now: datetime | None = None) -> bool:
    """Send one reminder's e-mail unless it went already or another worker holds it; True if this one sent it."""
    now = now or timezone.now()
    token = uuid.uuid4()
    if not _claim(Reminder, reminder_id, now, token, dropped_at__isnull=True, digest__isnull=True):
        return False
    reminder = Reminder.objects.select_related("recipient", "meeting").get(pk=reminder_id)
    try:
        reminder_message(reminder).send()
    except Exception as error:
        _release(Reminder, reminder_id, token, error)
        raise
    Reminder.objects.filter(pk=reminder_id, claimed_by=token).update(sent_at=timezone.now(), last_error="")
    return True


def digest_message(digest: Digest, reminders: list[Reminder]) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "recipient": digest.recipient,
        "items": [(r, absolute(r.url)) for r in reminders],
        "notices_link": absolute("/calendar/notices/"),
    }
    label = "daily" if digest.period == Reminder.Delivery.DAILY else "weekly"
    count = len(reminders)
    message = EmailMultiAlternatives(
        subject=f"{SUBJECT_PREFIX}Your {label} digest: {count} reminder{'s' if count != 1 else ''}",
        body=render_to_string("meetings/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.recipient.email],
    )
    message.attach_alternative(render_to_string("meetings/email/digest.html", context), "text/html")
    return message


def deliver_digest(digest_id: int, *, now: datetime | None = None) -> bool:
    """Send one digest: the person's unsent reminders of its period, collected into one mail, exactly once.

    The reminders are tied to the digest before it is sent, so a retry sends the same ones, and a reminder
    that arrives meanwhile waits for the next digest.
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    if not _claim(Digest, digest_id, now, token):
        return False
    digest = Digest.objects.select_related("recipient").get(pk=digest_id)
    with transaction.atomic():
        Reminder.objects.unsent().filter(
            recipient_id=digest.recipient_id, delivery=digest.period, digest__isnull=True
        ).update(digest=digest)
    reminders = list(Reminder.objects.unsent().filter(digest=digest).order_by("due", "pk"))
    if not reminders:
        Digest.objects.filter(pk=digest_id, claimed_by=token).update(sent_at=timezone.now())
        return False
    try:
        digest_message(digest, reminders).send()
    except Exception as error:
        _release(Digest, digest_id, token, error)
        raise
    sent_at = timezone.now()
    with transaction.atomic():
        Digest.objects.filter(pk=digest_id, claimed_by=token).update(sent_at=sent_at, last_error="")
        Reminder.objects.filter(pk__in=[r.pk for r in reminders], sent_at__isnull=True).update(sent_at=sent_at)
    return True
