"""Meetings, their agendas, minutes, decisions and action points (DOMAIN.md: Meeting, Decision)."""

from datetime import date, time

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import Agency, Group
from kit.audit import audited
from kit.inputs import CheckedFields


class MeetingQuerySet(models.QuerySet):
    def between(self, first: date, last: date) -> "MeetingQuerySet":
        return self.filter(starts_on__lte=last).filter(
            Q(ends_on__gte=first) | Q(ends_on__isnull=True, starts_on__gte=first)
        )

    def dated(self) -> "MeetingQuerySet":
        return self.filter(starts_on__isnull=False)

    def not_cancelled(self) -> "MeetingQuerySet":
        return self.exclude(status=Meeting.Status.CANCELLED)

    def firm(self) -> "MeetingQuerySet":
        """Meetings whose date is fixed: a proposed or approximate date, or one known only by its month or year,
        sets no deadline."""
        return self.filter(date_tentative=False, date_precision=DatePrecision.DAY)

    def on_a_day(self) -> "MeetingQuerySet":
        """Meetings whose day is known, so a calendar can show them on it (a month or a year alone cannot)."""
        return self.filter(starts_on__isnull=False, date_precision=DatePrecision.DAY)


class DatePrecision(models.TextChoices):
    """How much of a meeting's date the record gives: "8 February 2010" a day, "June 2010" or "April/May 2010" a
    month, "2016" a year. The first day stored is the period's first day; pages show the date as written."""

    DAY = "day", _("A day")
    MONTH = "month", _("A month")
    YEAR = "year", _("A year")


def date_precision_of(written: str, starts_on: date | None, ends_on: date | None = None) -> str:
    """The precision of a date as written, read with the work plans' timeframe reader: a day when the words name
    the stored days (or cannot be read, e.g. "24 Sept - 4 Oct NY", so the stored days stand), a month when they
    name a whole month or a choice of months ("June 2010", "April/May 2010", "July 2014 (precise date TBC)"), a
    year when they name a whole year."""
    from workplans.timeframes import read_timeframe

    if starts_on is None or not (written or "").strip():
        return DatePrecision.DAY
    reading = read_timeframe(written, default_year=starts_on.year)
    if not reading.readable or reading.starts_on is None or reading.ends_on is None:
        return DatePrecision.DAY
    first, last = reading.starts_on, reading.ends_on
    if (first, last) == (starts_on, ends_on or starts_on):
        return DatePrecision.DAY
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return DatePrecision.YEAR
    next_day = last.toordinal() + 1
    if first.day == 1 and date.fromordinal(next_day).day == 1:
        return DatePrecision.MONTH
    return DatePrecision.DAY


class Meeting(CheckedFields, models.Model):
    class Kind(models.TextChoices):
        WORKING_LEVEL = "working_level", _("Working-level meeting")
        PRINCIPALS = "principals", _("Principals meeting")
        RETREAT = "retreat", _("Retreat")
        GROUP = "group", _("Group meeting")
        EXPERT = "expert", _("Expert meeting")
        SYMPOSIUM = "symposium", _("Symposium")
        WORKSHOP = "workshop", _("Workshop")
        SIDE_EVENT = "side_event", _("Side event")
        OTHER = "other", _("Other event")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    key = models.SlugField(
        max_length=80, unique=True, null=True, blank=True, help_text=_("Stable key from the GMG data files.")
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    starts_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Empty only when the record gives no day; 'date as written' then says what is known."),
    )
    ends_on = models.DateField(null=True, blank=True, help_text=_("Empty for a one-day meeting."))
    start_time = models.TimeField(null=True, blank=True, help_text=_("In the GMG's time zone; empty if not fixed."))
    end_time = models.TimeField(null=True, blank=True)
    date_as_written = models.CharField(max_length=200, blank=True, help_text=_('E.g. "April/May 2010".'))
    date_tentative = models.BooleanField(
        _("Date not fixed"),
        default=False,
        help_text=_(
            'The date is proposed or approximate ("Proposed date: 6 October", "February 2014"): pages show '
            "the date as written, marked not fixed, and the register sets no deadline on it."
        ),
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        editable=False,
        help_text=_(
            "Read from 'date as written' on every save: a meeting known only by its month or year is shown "
            "as written, kept off the calendars' days and sets no deadline."
        ),
    )
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
    # Kept by a PostgreSQL trigger on every insert and update (migration 0003); read by overview.search.
    search_vector = SearchVectorField(null=True, editable=False)
    # Raised by every save from a form: a form built from an older revision is refused (no lost updates).
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    history = audited(m2m_fields=["attendees"], excluded_fields=["search_vector"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_on", "start_time", "title"]
        # The calendar and the register read meetings by date; the list shows the latest first (undated last), a
        # page of it read from this index rather than after sorting every meeting.
        indexes = [
            models.Index(fields=["starts_on"], name="meeting_starts_on_idx"),
            models.Index(F("starts_on").desc(nulls_last=True), "title", name="meeting_latest_first_idx"),
        ]
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

    def save(self, *args, **kwargs):
        precision = date_precision_of(self.date_as_written, self.starts_on, self.ends_on)
        if precision != self.date_precision:
            self.date_precision = precision
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "date_precision"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def last_day(self) -> date | None:
        return self.ends_on or self.starts_on

    @property
    def on_a_day(self) -> bool:
        return self.starts_on is not None and self.date_precision == DatePrecision.DAY

    @property
    def when(self) -> str:
        if self.date_tentative and self.date_as_written:
            return gettext("%(date)s (date not fixed)") % {"date": self.date_as_written}
        if self.starts_on is None or self.date_precision != DatePrecision.DAY:
            if self.date_as_written:
                return self.date_as_written
            if self.starts_on is None:
                return gettext("date not known")
            month = self.date_precision == DatePrecision.MONTH
            return date_format(self.starts_on, "YEAR_MONTH_FORMAT" if month else "Y")
        if self.ends_on and self.ends_on != self.starts_on:
            first = date_format(self.starts_on, "MONTH_DAY_FORMAT")
            return f"{first} - {date_format(self.ends_on, 'SHORT_DATE_FORMAT')}"
        text = date_format(self.starts_on, "SHORT_DATE_FORMAT")
        if self.start_time:
            text += f", {self.start_time:%H:%M}"
        return text

    @property
    def is_all_day(self) -> bool:
        return self.start_time is None

    def start_moment(self) -> tuple[date, time | None]:
        return self.starts_on, self.start_time


class AgendaItem(CheckedFields, models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    # Raised by every save from a form: a form built from an older revision is refused (no lost updates).
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ReviewOutcome(models.TextChoices):
    EXTENDED = "extended", _("Extended")
    ADAPTED = "adapted", _("Adapted")
    CANCELLED = "cancelled", _("Cancelled")


class Decision(CheckedFields, models.Model):
    """A decision taken at a meeting; some run on trial until a review date (decision 1: 3 years, 2: 18 months).

    The review of a decision on trial is a decision of its own (`reviews` names the first, `outcome` says whether
    it was extended, adapted or cancelled); recording it marks the first reviewed on the review's meeting day.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(max_length=20, help_text=_("As numbered at the meeting."))
    title = models.CharField(max_length=300)
    text = models.TextField()
    trial_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Length of the trial period."))
    review_on = models.DateField(null=True, blank=True, help_text=_("When the decision on trial is to be reviewed."))
    reviewed_on = models.DateField(null=True, blank=True)
    reviews = models.ForeignKey(
        to="self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_decisions",
        help_text=_("The decision on trial that this one reviews."),
    )
    outcome = models.CharField(
        _("review outcome"),
        max_length=20,
        choices=ReviewOutcome,
        blank=True,
        help_text=_("For a review: what it decided."),
    )
    source = models.CharField(max_length=300, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Kept by a PostgreSQL trigger on every insert and update (migration 0003); read by overview.search.
    search_vector = SearchVectorField(null=True, editable=False)

    history = audited(excluded_fields=["search_vector"])

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting__starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique_in_meeting"),
            models.CheckConstraint(
                condition=Q(trial_months__isnull=True) | Q(review_on__isnull=False),
                name="trial_decision_has_review_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(reviews__isnull=False), name="review_outcome_names_the_decision_reviewed"
            ),
        ]

    def __str__(self) -> str:
        day = date_format(self.meeting.starts_on, "DATE_FORMAT") if self.meeting.starts_on else self.meeting.when
        return gettext("Decision %(number)s of %(day)s: %(title)s") % {
            "number": self.number,
            "day": day,
            "title": self.title,
        }

    def get_absolute_url(self) -> str:
        return reverse("meetings:decision_detail", args=[self.pk])

    @property
    def taken_on(self) -> date | None:
        return self.meeting.starts_on


class ActionPointQuerySet(models.QuerySet):
    def open(self) -> "ActionPointQuerySet":
        return self.filter(status=ActionPoint.Status.OPEN)


class ActionPoint(CheckedFields, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_points")
    text = models.TextField(_("action"))
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="action_points")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_points"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    # Raised by every save from a form: a form built from an older revision is refused (no lost updates).
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ActionPointQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["due_on", "pk"]
        # The dashboard's overdue action points and the register's window read open points by due date.
        indexes = [models.Index(fields=["status", "due_on"], name="action_point_open_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="action_point_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:100]

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#action-{self.pk}"


# -- Reminders, notices and calendar feeds (DOMAIN.md: Deadline and reminder) ------------------------------------
