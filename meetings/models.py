"""Meetings, their agendas, minutes, decisions and action points (DOMAIN.md: Meeting, Decision)."""

from datetime import date, time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.dateformat import format as format_date

from groups.models import Agency, Group


class MeetingQuerySet(models.QuerySet):
    def between(self, first: date, last: date) -> "MeetingQuerySet":
        return self.filter(starts_on__lte=last).filter(
            Q(ends_on__gte=first) | Q(ends_on__isnull=True, starts_on__gte=first)
        )

    def dated(self) -> "MeetingQuerySet":
        return self.filter(starts_on__isnull=False)

    def not_cancelled(self) -> "MeetingQuerySet":
        return self.exclude(status=Meeting.Status.CANCELLED)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        WORKING_LEVEL = "working_level", "Working-level meeting"
        PRINCIPALS = "principals", "Principals meeting"
        RETREAT = "retreat", "Retreat"
        GROUP = "group", "Group meeting"
        EXPERT = "expert", "Expert meeting"
        SYMPOSIUM = "symposium", "Symposium"
        WORKSHOP = "workshop", "Workshop"
        SIDE_EVENT = "side_event", "Side event"
        OTHER = "other", "Other event"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    key = models.SlugField(
        max_length=80, unique=True, null=True, blank=True, help_text="Stable key from the GMG data files."
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    starts_on = models.DateField(
        null=True,
        blank=True,
        help_text="Empty only when the record gives no day; 'date as written' then says what is known.",
    )
    ends_on = models.DateField(null=True, blank=True, help_text="Empty for a one-day meeting.")
    start_time = models.TimeField(null=True, blank=True, help_text="In the GMG's time zone; empty if not fixed.")
    end_time = models.TimeField(null=True, blank=True)
    date_as_written = models.CharField(max_length=200, blank=True, help_text='E.g. "April/May 2010".')
    venue = models.CharField(max_length=300, blank=True)
    remote_link = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.PLANNED)
    attendees = models.ManyToManyField(Agency, blank=True, related_name="meetings_attended")
    minutes = models.TextField(blank=True)
    minutes_shared_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    # Raised on every change of date, time, place or status; calendar invitations carry it as SEQUENCE.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "start_time", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="meeting_ends_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="group") | Q(group__isnull=False), name="group_meeting_names_its_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.when})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def last_day(self) -> date | None:
        return self.ends_on or self.starts_on

    @property
    def when(self) -> str:
        if self.starts_on is None:
            return self.date_as_written or "date not known"
        if self.ends_on and self.ends_on != self.starts_on:
            return f"{format_date(self.starts_on, 'j M')} - {format_date(self.ends_on, 'j M Y')}"
        text = format_date(self.starts_on, "j M Y")
        if self.start_time:
            text += f", {self.start_time:%H:%M}"
        return text

    @property
    def is_all_day(self) -> bool:
        return self.start_time is None

    def start_moment(self) -> tuple[date, time | None]:
        return self.starts_on, self.start_time


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Decision(models.Model):
    """A decision taken at a meeting; some run on trial until a review date (decision 1: 3 years, 2: 18 months)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(max_length=20, help_text="As numbered at the meeting.")
    title = models.CharField(max_length=300)
    text = models.TextField()
    trial_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Length of the trial period.")
    review_on = models.DateField(null=True, blank=True, help_text="When the decision on trial is to be reviewed.")
    reviewed_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["meeting__starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique_in_meeting"),
            models.CheckConstraint(
                condition=Q(trial_months__isnull=True) | Q(review_on__isnull=False),
                name="trial_decision_has_review_date",
            ),
        ]

    def __str__(self) -> str:
        day = format_date(self.meeting.starts_on, "j F Y") if self.meeting.starts_on else self.meeting.when
        return f"Decision {self.number} of {day}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:decision_detail", args=[self.pk])

    @property
    def taken_on(self) -> date | None:
        return self.meeting.starts_on


class ActionPointQuerySet(models.QuerySet):
    def open(self) -> "ActionPointQuerySet":
        return self.filter(status=ActionPoint.Status.OPEN)


class ActionPoint(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_points")
    text = models.TextField("action")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="action_points")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_points"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="action_point_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:100]

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#action-{self.pk}"
