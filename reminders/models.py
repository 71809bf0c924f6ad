"""The reminders' own rows: when reminders go out (`ReminderSettings`), the sent-log (`Reminder`), the digests,
a person's in-app notices and calendar feed tokens. Their tables were made by the meetings app and keep their
names."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kit.audit import audited
from kit.inputs import CheckedFields
from meetings.models import Meeting


def stale_before(now: datetime) -> datetime:
    """A delivery's claim older than this was left by a worker that died: another may take it over."""
    return now - timedelta(minutes=settings.GMG_REMINDER_CLAIM_STALE_MINUTES)


class ReminderSettings(CheckedFields, models.Model):
    """When reminders go out: one row, kept by the support team in the admin and read by every sweep.

    The beat schedule only says how often the sweep looks (CELERY_BEAT_SCHEDULE); which days a reminder is due
    on - the offsets before a due date, the day of a meeting, the overdue cadence - is the GMG's choice, so it
    lives here, where staff change it without a deployment.
    """

    days_before = models.CharField(
        _("days before the due date"),
        max_length=60,
        default="14,7,1",
        help_text=_("Comma-separated numbers of days ahead of a due date, e.g. 14,7,1."),
    )
    on_meeting_day = models.BooleanField(_("on the day of a meeting"), default=True)
    overdue_every_days = models.PositiveSmallIntegerField(
        _("while overdue, every (days)"), default=7, help_text=_("0 stops overdue reminders.")
    )
    overdue_for_weeks = models.PositiveSmallIntegerField(
        _("overdue reminders stop after (weeks)"),
        default=12,
        help_text=_("An item overdue for longer is left to the dashboard. 0: never stop."),
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("digests go out at (hour)"), default=7, help_text=_("Hour of the day in the GMG's time zone, 0-23.")
    )
    weekly_digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digests go out on"),
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = audited(table_name="meetings_historicalremindersettings")

    class Meta:
        db_table = "meetings_remindersettings"
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reminder_settings_single_row"),
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="reminder_digest_hour_in_day"),
        ]

    def __str__(self) -> str:
        return gettext("Reminders %(before)s days before, every %(every)s days while overdue") % {
            "before": self.days_before,
            "every": self.overdue_every_days,
        }

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "ReminderSettings":
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            self.offsets()
        except ValueError as error:
            raise ValidationError({"days_before": str(error)}) from None

    def offsets(self) -> list[int]:
        """The days before a due date, largest first; a bad entry is refused with the value named."""
        found = set()
        for part in self.days_before.split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or int(part) > 366:
                raise ValueError(
                    gettext("%(value)s is not a number of days between 0 and 366.") % {"value": repr(part)}
                )
            found.add(int(part))
        return sorted(found, reverse=True)


class ReminderQuerySet(models.QuerySet):
    def unsent(self) -> "ReminderQuerySet":
        """Still to go: not sent, not dropped, not failed for good."""
        return self.filter(sent_at__isnull=True, dropped_at__isnull=True, failed_at__isnull=True)

    def failed(self) -> "ReminderQuerySet":
        return self.filter(failed_at__isnull=False, sent_at__isnull=True)


class Reminder(models.Model):
    """The sent-log: one row per (obligation, occasion, due date, recipient), sent exactly once.

    The sweep inserts rows (a duplicate insert is ignored by the unique constraint); a delivery claims its row
    with a conditional update before it sends, and marks it sent after. A claim whose worker died is taken
    over once it is older than GMG_REMINDER_CLAIM_STALE_MINUTES. The due date is part of the key: a meeting
    moved to another day has new occasions, and those of the old day never fire. A row that cannot be
    delivered (a refused address, a title the calendar file refuses, GMG_REMINDER_MAX_ATTEMPTS tries) is
    marked failed with its reason and is not tried again.
    """

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")

    obligation_key = models.CharField(max_length=120)
    kind = models.CharField(max_length=40)
    occasion = models.CharField(
        max_length=40, help_text=_('"before:7", "day_of", "overdue:2", "update:3", "cancel:4".')
    )
    due = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    in_copy = models.BooleanField(default=False, help_text=_("Sent for information (support staff on overdue items)."))
    title = models.CharField(max_length=400)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=400, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    sequence = models.PositiveIntegerField(default=0, help_text=_("The meeting's SEQUENCE when this was made."))
    delivery = models.CharField(max_length=20, choices=Delivery, default=Delivery.IMMEDIATE)
    batch = models.UUIDField(null=True, blank=True, help_text=_("The sweep that inserted the row."))
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Not sent: the obligation was done, moved or cancelled before it went.")
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Not sent and not tried again: it could not be delivered (see last error).")
    )
    digest = models.ForeignKey(to="Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders")

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        db_table = "meetings_reminder"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation_key", "occasion", "due", "recipient"], name="reminder_sent_once_per_occasion"
            ),
        ]
        # Partial indexes on what is still to go (or failed): the sent-log grows for ever, these stay small. A
        # statement that names its rows by id and checks `sent_at IS NULL` (a claim, its record) can use none of
        # them, so the planner takes the primary key even while a sweep's fresh rows have no statistics yet.
        indexes = [
            models.Index(
                fields=["delivery", "recipient"],
                condition=Q(sent_at__isnull=True, dropped_at__isnull=True, failed_at__isnull=True),
                name="reminder_unsent_idx",
            ),
            models.Index(
                fields=["failed_at"],
                condition=Q(failed_at__isnull=False, sent_at__isnull=True),
                name="reminder_failed_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True, dropped_at__isnull=True, failed_at__isnull=True),
                name="reminder_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.occasion}] to {self.recipient_id}"


class Digest(models.Model):
    """One digest mail per person per day or week, claimed and sent like a reminder (and failed like one)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    period = models.CharField(max_length=20, choices=Reminder.Delivery)
    period_start = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        db_table = "meetings_digest"
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "period", "period_start"], name="digest_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_period_display()} of {self.period_start} for {self.recipient_id}"


class NoticeQuerySet(models.QuerySet):
    def unread(self) -> "NoticeQuerySet":
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """An in-app notice: what a reminder or a meeting change says, shown under the bell."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    title = models.CharField(max_length=400)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    reminder = models.OneToOneField(Reminder, null=True, blank=True, on_delete=models.CASCADE, related_name="notice")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        db_table = "meetings_notice"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread_idx")]

    def __str__(self) -> str:
        return self.title


class CalendarToken(models.Model):
    """The secret in a person's calendar feed address; revoked, it stops working at once."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        db_table = "meetings_calendartoken"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_token_per_person"
            ),
        ]

    def __str__(self) -> str:
        if self.revoked_at:
            return gettext("Calendar feed of %(person)s (revoked)") % {"person": self.person_id}
        return gettext("Calendar feed of %(person)s") % {"person": self.person_id}
