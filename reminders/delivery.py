"""Delivering reminders, digests and meeting changes: the e-mail (text, HTML, an .ics for meetings) and its claim.

A delivery claims its rows with a conditional update (`filter(pk__in=..., sent_at=None, claim free or stale)
.update(claimed_by=token)`): a row another worker holds, or that went already, is not claimed, and is not sent
here. What one person is owed in a batch goes in one mail (each row still claimed and marked on its own), and a
batch sends its mails over one SMTP connection. After the send, one statement marks the claimed rows sent; if
the database is gone at that moment (a restart) the statement, not the send, is retried on a fresh connection,
so a mail that left never leaves again because recording it failed.

A failed send releases the claim with its reason (last_error): a passing failure (SMTP down, a network error)
raises `RetryLater`, so the task retries with back-off; after GMG_REMINDER_MAX_ATTEMPTS attempts, or at once
when the row can never go (the server refuses the address, the calendar file refuses the title), the row is
marked failed and is not tried again. One person's failure never holds back anyone else's mail. A worker
killed between claim and send leaves a claim that goes stale and is taken over by a later sweep.

The in-app notice of a reminder is written by the sweep with the row (one per reminder, a database
constraint); the e-mail is what is claimed here.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from groups.models import Person
from kit.languages import in_language_of
from kit.mail import automatic_mail
from meetings.models import Meeting
from reminders import calendar
from reminders.models import Digest, Reminder, stale_before

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[GMG] "
# How long the record of a mail that left is retried (fresh connection each time) before giving up.
RECORD_RETRY_SECONDS = 120


class RetryLater(Exception):
    """A send failed for a passing reason; the rows are released and the task is to be retried."""


class RecordFailed(Exception):
    """A mail left but its record could not be written: never retried as a send (it would go twice)."""


@dataclass
class Outcome:
    """What one delivery batch did: rows sent, mails sent, rows failed for good, rows to retry later."""

    sent: list[int] = field(default_factory=list)
    mails: int = 0
    failed: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


# -- the database, across a restart ---------------------------------------------------------------------------


def on_fresh_connection(statement, *, seconds: float = 20.0):
    """Run one idempotent statement; if the connection died (a database restart), retry it on a new one.

    Only for statements that may run twice with the same effect (they filter by the claim's token).
    """
    deadline, pause = time.monotonic() + seconds, 0.25
    while True:
        try:
            return statement()
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("The database connection failed; retrying on a fresh one in %.1f s.", pause)
            connection.close()
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _record_sent(model, token: uuid.UUID, sent_at: datetime, **extra) -> int:
    """The one statement between a mail that left and its record: retried, never the send."""
    try:
        return on_fresh_connection(
            lambda: model.objects.filter(claimed_by=token, sent_at__isnull=True, **extra).update(
                sent_at=sent_at, last_error=""
            ),
            seconds=RECORD_RETRY_SECONDS,
        )
    except DatabaseError as error:
        logger.critical(
            "A mail left but recording it failed for %s s (%s); its claim %s is left as it is.",
            RECORD_RETRY_SECONDS,
            error,
            token,
        )
        raise RecordFailed(str(error)) from error


# -- claims ---------------------------------------------------------------------------------------------------


def _free(now: datetime, token: uuid.UUID) -> Q:
    # The token itself counts as free: a claim retried after a lost answer finds its own row again.
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before(now)) | Q(claimed_by=token)


def _claim(model, pks, now: datetime, token: uuid.UUID, **extra) -> list[int]:
    """Claim the free, unsent, unfailed rows among `pks` for `token`; the rows claimed."""
    pks = list(pks)

    def claim():
        model.objects.filter(
            _free(now, token), pk__in=pks, sent_at__isnull=True, failed_at__isnull=True, **extra
        ).update(claimed_by=token, claimed_at=now, attempts=F("attempts") + 1)
        mine = model.objects.filter(pk__in=pks, claimed_by=token, sent_at__isnull=True).order_by("pk")
        return list(mine.values_list("pk", flat=True))

    return on_fresh_connection(claim)


def _release(model, pks, token: uuid.UUID, error: BaseException, *, final: bool) -> list[int]:
    """Give the rows back with the reason; `final` (or the last attempt used) marks them failed. The failed."""
    reason = _reason(error)
    now = timezone.now()
    rows = model.objects.filter(pk__in=list(pks), claimed_by=token, sent_at__isnull=True)
    limit = settings.GMG_REMINDER_MAX_ATTEMPTS
    give_up = rows if final else rows.filter(attempts__gte=limit)
    failed = list(give_up.values_list("pk", flat=True))
    on_fresh_connection(lambda: give_up.update(claimed_by=None, claimed_at=None, last_error=reason, failed_at=now))
    on_fresh_connection(lambda: rows.update(claimed_by=None, claimed_at=None, last_error=reason))
    if failed:
        logger.error("%s %s failed for good: %s", model.__name__, failed, reason)
    return failed


def is_permanent(error: BaseException) -> bool:
    """A send that will fail the same way every time: the server refused the address, or the message itself."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return not isinstance(error, smtplib.SMTPException | OSError)


# -- the messages ---------------------------------------------------------------------------------------------


def one_line(text: str) -> str:
    return " ".join(text.split())


# The subject's first word for news (reminders.NEWS_OCCASIONS, sent by `tell`): meeting changes, the review loop.
NEWS_LEADS = {
    "cancel:": pgettext_lazy("mail subject", "Cancelled"),
    "update:": pgettext_lazy("mail subject", "Changed"),
    "filed:": pgettext_lazy("mail subject", "Filed"),
    "returned:": pgettext_lazy("mail subject", "Returned"),
    "accepted:": pgettext_lazy("mail subject", "Accepted"),
}


def subject_for(reminder: Reminder) -> str:
    news = [lead for prefix, lead in NEWS_LEADS.items() if reminder.occasion.startswith(prefix)]
    if news:
        lead = news[0]
    elif reminder.occasion.startswith("overdue:"):
        lead = pgettext("mail subject", "Overdue")
    elif reminder.occasion == "day_of":
        lead = pgettext("mail subject", "Today")
    else:
        lead = pgettext("mail subject", "Reminder")
    subject = _("%(lead)s: %(title)s") % {"lead": lead, "title": one_line(reminder.title)}
    return f"{SUBJECT_PREFIX}{subject}"[:250]


def invitation_for(reminder: Reminder) -> tuple[str, bytes] | None:
    """The (method, .ics) a reminder of a meeting carries; raises if the calendar file refuses the meeting."""
    if reminder.meeting_id is None:
        return None
    method = "CANCEL" if reminder.occasion.startswith("cancel:") else "REQUEST"
    return method, calendar.invitation(reminder.meeting, method=method, attendee=reminder.recipient)


def _attach(message: EmailMultiAlternatives, name: str, invitation: tuple[str, bytes]) -> None:
    method, ics = invitation
    message.attach(name, ics, f"text/calendar; method={method}; charset=utf-8")


def reminder_message(reminder: Reminder, *, invitation=False) -> EmailMultiAlternatives:
    """The mail in its recipient's language (their own page's choice), whichever worker writes it."""
    with in_language_of(reminder.recipient):
        return _reminder_message(reminder, invitation=invitation)


def _reminder_message(reminder: Reminder, *, invitation=False) -> EmailMultiAlternatives:
    """The e-mail of one reminder or meeting change: text and HTML parts, a link, and the meeting's .ics."""
    context = {"reminder": reminder, "link": absolute(reminder.url), "recipient": reminder.recipient}
    message = automatic_mail(
        subject=subject_for(reminder),
        body=render_to_string("meetings/email/reminder.txt", context),
        html=render_to_string("meetings/email/reminder.html", context),
        to=[reminder.recipient.email],
        bulk=True,
    )
    invitation = invitation_for(reminder) if invitation is False else invitation
    if invitation:
        _attach(message, "invitation.ics", invitation)
    return message


def reminders_message(items: list[tuple[Reminder, tuple[str, bytes] | None]]) -> EmailMultiAlternatives:
    """The mail in its recipient's language (their own page's choice), whichever worker writes it."""
    with in_language_of(items[0][0].recipient):
        return _reminders_message(items)


def _reminders_message(items: list[tuple[Reminder, tuple[str, bytes] | None]]) -> EmailMultiAlternatives:
    """One mail for what one person is owed in a sweep: each item listed, each meeting's .ics attached once."""
    if len(items) == 1:
        return reminder_message(items[0][0], invitation=items[0][1])
    recipient = items[0][0].recipient
    invitations = {r.meeting_id: invitation for r, invitation in items if invitation}  # the latest per meeting
    context = {
        "recipient": recipient,
        "items": [(r, absolute(r.url)) for r, _ in items],
        "invitations": bool(invitations),
        "notices_link": absolute("/calendar/notices/"),
    }
    overdue = sum(r.occasion.startswith("overdue:") for r, _ in items)
    message = automatic_mail(
        subject=SUBJECT_PREFIX
        + (
            _("%(count)s reminders, %(overdue)s overdue") % {"count": len(items), "overdue": overdue}
            if overdue
            else _("%(count)s reminders") % {"count": len(items)}
        ),
        body=render_to_string("meetings/email/reminders.txt", context),
        html=render_to_string("meetings/email/reminders.html", context),
        to=[recipient.email],
        bulk=True,
    )
    for meeting_id, invitation in invitations.items():
        _attach(message, f"invitation-{meeting_id}.ics", invitation)
    return message


# -- delivery -------------------------------------------------------------------------------------------------


def _mailer():
    return mailers.default


def _made_once(message: EmailMultiAlternatives) -> EmailMultiAlternatives:
    """Make the message's MIME form now, as the SMTP backend will ask for it, and hand that one over when it does.

    Making it checks the headers and addresses before anything leaves; encoding the bodies and attachments is
    most of what a mail costs to make, so it is done once, not again by the backend."""
    made = {email.policy.SMTP: message.message(policy=email.policy.SMTP)}
    make = message.message

    def message_once(*, policy=email.policy.default):
        if policy not in made:
            made[policy] = make(policy=policy)
        return made[policy]

    message.message = message_once
    return message


def _send_rows(model, token, pks, build, mailer, outcome: Outcome) -> None:
    """Send the mail `build()` makes for the claimed `pks`, and record it; failures are released with the reason."""
    try:
        message = _made_once(build())  # headers and addresses are checked before anything leaves
    except Exception as error:  # the message cannot be made: it never will be
        outcome.failed += _release(model, pks, token, error, final=True)
        outcome.errors.append(_reason(error))
        return
    try:
        mailer.open()  # once per batch: later mails reuse the connection
        mailer.send_messages([message])
    except Exception as error:
        permanent = is_permanent(error)
        failed = _release(model, pks, token, error, final=permanent)
        outcome.failed += failed
        outcome.retry += [pk for pk in pks if pk not in failed]
        outcome.errors.append(_reason(error))
        if not permanent:
            mailer.close()  # a broken connection is opened afresh for the next mail
        return
    _record_sent(model, token, timezone.now(), pk__in=list(pks))
    outcome.sent += list(pks)
    outcome.mails += 1


def deliver_reminders(reminder_ids, *, now: datetime | None = None, mailer=None) -> Outcome:
    """Send the given reminders: one mail per person, over one SMTP connection; each row exactly once.

    A row that is sent, dropped, failed, waiting for a digest or held by another worker is skipped.
    """
    now = now or timezone.now()
    outcome = Outcome()
    ids = list(reminder_ids)
    if not ids:
        return outcome
    token = uuid.uuid4()
    claimed = _claim(Reminder, ids, now, token, dropped_at__isnull=True, digest__isnull=True)
    if not claimed:
        return outcome
    by_person = defaultdict(list)
    rows = list(Reminder.objects.filter(pk__in=claimed).order_by("pk"))
    # Each person and meeting read once, however many of the rows name them (dozens each in a big sweep).
    people = Person.objects.in_bulk({r.recipient_id for r in rows})
    meetings = Meeting.objects.in_bulk({r.meeting_id for r in rows if r.meeting_id})
    for reminder in rows:
        if reminder.recipient_id not in people:
            continue  # the person was removed meanwhile, and their reminders with them
        reminder.recipient = people[reminder.recipient_id]
        reminder.meeting = meetings.get(reminder.meeting_id)
        by_person[reminder.recipient_id].append(reminder)
    mailer = mailer or _mailer()
    try:
        for rows in by_person.values():
            items = []
            for reminder in rows:
                try:
                    items.append((reminder, invitation_for(reminder)))
                except Exception as error:  # this item can never be sent; the person's others still go
                    outcome.failed += _release(Reminder, [reminder.pk], token, error, final=True)
                    outcome.errors.append(_reason(error))
            if items:
                pks = [r.pk for r, _ in items]
                _send_rows(Reminder, token, pks, lambda items=items: reminders_message(items), mailer, outcome)
    finally:
        mailer.close()
    return outcome


def deliver_reminder(reminder_id: int, *, now: datetime | None = None) -> bool:
    """Send one reminder's e-mail unless it went already or another worker holds it; True if this one sent it.

    Raises RetryLater when the send failed for a passing reason and the row may be tried again.
    """
    outcome = deliver_reminders([reminder_id], now=now)
    if outcome.retry:
        raise RetryLater("; ".join(outcome.errors))
    return bool(outcome.sent)


def digest_message(digest: Digest, reminders: list[Reminder]) -> EmailMultiAlternatives:
    """The mail in its recipient's language (their own page's choice), whichever worker writes it."""
    with in_language_of(digest.recipient):
        return _digest_message(digest, reminders)


def _digest_message(digest: Digest, reminders: list[Reminder]) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "recipient": digest.recipient,
        "items": [(r, absolute(r.url)) for r in reminders],
        "notices_link": absolute("/calendar/notices/"),
    }
    count = len(reminders)
    if digest.period == Reminder.Delivery.DAILY:
        subject = ngettext("Your daily digest: %(count)s reminder", "Your daily digest: %(count)s reminders", count) % {
            "count": count
        }
    else:
        subject = ngettext(
            "Your weekly digest: %(count)s reminder", "Your weekly digest: %(count)s reminders", count
        ) % {"count": count}
    return automatic_mail(
        subject=f"{SUBJECT_PREFIX}{subject}",
        body=render_to_string("meetings/email/digest.txt", context),
        html=render_to_string("meetings/email/digest.html", context),
        to=[digest.recipient.email],
        bulk=True,
    )


def _deliver_one_digest(digest_id: int, now: datetime, mailer, outcome: Outcome) -> None:
    token = uuid.uuid4()
    if not _claim(Digest, [digest_id], now, token):
        return
    digest = Digest.objects.select_related("recipient").get(pk=digest_id)
    with transaction.atomic():
        Reminder.objects.unsent().filter(
            recipient_id=digest.recipient_id, delivery=digest.period, digest__isnull=True
        ).update(digest=digest)
    reminders = list(Reminder.objects.unsent().filter(digest=digest).order_by("due", "pk"))
    if not reminders:
        Digest.objects.filter(pk=digest_id, claimed_by=token).update(sent_at=timezone.now())
        return
    before = len(outcome.failed), len(outcome.sent)
    _send_rows(Digest, token, [digest_id], lambda: digest_message(digest, reminders), mailer, outcome)
    pks = [r.pk for r in reminders]
    if len(outcome.sent) > before[1]:
        sent_at = Digest.objects.values_list("sent_at", flat=True).get(pk=digest_id)
        on_fresh_connection(
            lambda: Reminder.objects.filter(pk__in=pks, sent_at__isnull=True).update(sent_at=sent_at),
            seconds=RECORD_RETRY_SECONDS,
        )
    elif len(outcome.failed) > before[0]:  # the digest failed for good: so did what it carried
        error = Digest.objects.values_list("last_error", flat=True).get(pk=digest_id)
        Reminder.objects.filter(pk__in=pks, sent_at__isnull=True).update(failed_at=timezone.now(), last_error=error)


def deliver_digests(digest_ids, *, now: datetime | None = None) -> Outcome:
    """Send the given digests over one SMTP connection, each exactly once (ids in the outcome are digests')."""
    now = now or timezone.now()
    outcome = Outcome()
    mailer = _mailer()
    try:
        for pk in digest_ids:
            _deliver_one_digest(pk, now, mailer, outcome)
    finally:
        mailer.close()
    return outcome


def deliver_digest(digest_id: int, *, now: datetime | None = None) -> bool:
    """Send one digest: the person's unsent reminders of its period, collected into one mail, exactly once.

    The reminders are tied to the digest before it is sent, so a retry sends the same ones, and a reminder
    that arrives meanwhile waits for the next digest.
    """
    outcome = deliver_digests([digest_id], now=now)
    if outcome.retry:
        raise RetryLater("; ".join(outcome.errors))
    return bool(outcome.sent)
