"""`python manage.py send_reminders [--now DATETIME] [--dry-run]`: the reminder sweep, run here and now.

The same sweep the beat schedules (`sweep.sweep.sweep`), with its deliveries sent in this process rather
than by a worker; what was sent already is never sent again, so running it beside the workers is harmless.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from reminders import sweep, tasks
from reminders.models import Reminder


def parse_moment(text: str) -> datetime:
    """An ISO date or date and time; without a zone it is read in the GMG's time zone."""
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text) if len(text) == 10 else None
        if day is None:
            raise CommandError(f"--now {text!r} is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM).")
        moment = datetime.combine(day, datetime.min.time().replace(hour=12))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Send the reminders that are due now (or at --now), exactly once; --dry-run lists them only."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="The moment to sweep at: YYYY-MM-DD (noon) or YYYY-MM-DDTHH:MM[+zone].")
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; change nothing.")

    def handle(self, *args, now=None, dry_run=False, **options):
        try:
            moment = parse_moment(now) if now else timezone.now()
        except ValueError as error:
            raise CommandError(f"--now {now!r}: {error}") from None
        result = sweep.sweep(now=moment, dry_run=dry_run)
        if result.locked_out:
            raise CommandError("Another reminder sweep is running; try again in a moment.")
        day = timezone.localdate(moment)
        if dry_run:
            for item in result.due:
                copy = " (in copy)" if item.in_copy else ""
                who = f"{item.recipient.email}{copy}"
                self.stdout.write(
                    f"would send {item.occasion:<11} {item.obligation.due}  {who}  {item.obligation.title}"
                )
            self.stdout.write(f"{len(result.due)} reminder(s) due on {day}; nothing sent (dry run).")
            return
        sent = tasks.deliver_now(reminder_ids=result.to_deliver, digest_ids=result.digests)
        sent_rows = Reminder.objects.filter(pk__in=result.to_deliver, sent_at__isnull=False).order_by("due", "pk")
        listed = sent_rows.values_list("occasion", "due", "recipient__email", "title")
        for occasion, due, email, title in listed.iterator(chunk_size=2000):
            self.stdout.write(f"sent {occasion:<11} {due}  {email}  {title}")
        waiting = result.created.count(~Q(delivery=Reminder.Delivery.IMMEDIATE))
        retried = Reminder.objects.filter(pk__in=result.to_deliver).unsent().count()
        failed = Reminder.objects.filter(pk__in=result.to_deliver).failed().count()
        self.stdout.write(
            f"{len(result.created)} new reminder(s) on {day}; {sent} mail(s) sent, {waiting} waiting for a digest, "
            f"{result.dropped} dropped, {retried} not sent (retried by the next sweep), {failed} failed for good."
        )
