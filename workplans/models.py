"""Work plans (DOMAIN.md: Work plan, Work stream, Output, Activity, Activity update).

The MAWP 2013-2015, a chair's annual work plan (GMG Work Plan 2010) and a group's own plan share one shape:
plan -> work streams -> outputs (per year) -> activities. Progress rolls up from the activities.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from groups.models import Agency, Group


class WorkPlan(models.Model):
    class Kind(models.TextChoices):
        MULTI_ANNUAL = "multi_annual", "Multi-annual work plan"
        CHAIR_ANNUAL = "chair_annual", "Chair's annual work plan"
        GROUP = "group", "Group work plan"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADOPTED = "adopted", "Adopted"
        CLOSED = "closed", "Closed"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=250)
    kind = models.CharField(max_length=20, choices=Kind)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    starts_on = models.DateField()
    ends_on = models.DateField()
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="workplans")
    chair_term = models.ForeignKey(
        "chairs.ChairTerm", null=True, blank=True, on_delete=models.PROTECT, related_name="workplans"
    )
    adopted_on = models.DateField(null=True, blank=True)
    adopting_decision = models.ForeignKey(
        "meetings.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="adopted_workplans"
    )
    summary = models.TextField(blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    # Raised on every save: an editor whose copy is older is told instead of overwriting (no lost updates).
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="workplan_ends_after_it_starts"),
            models.CheckConstraint(
                condition=~Q(kind="group") | Q(group__isnull=False), name="group_workplan_names_its_group"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplans:workplan_detail", args=[self.slug])

    @property
    def years(self) -> list[int]:
        return list(range(self.starts_on.year, self.ends_on.year + 1))


class WorkStream(models.Model):
    """A stream of a work plan: two overarching ones under the chair and thematic ones led by a group."""

    class Kind(models.TextChoices):
        OVERARCHING = "overarching", "Overarching (under the chair)"
        THEMATIC = "thematic", "Thematic (led by a group)"

    workplan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="streams")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.THEMATIC)
    lead_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="streams")
    led_by_chair = models.BooleanField(default=False)
    function = models.TextField(blank=True, help_text="The stream's function as framed in the GMG ToR.")
    objectives = models.TextField(blank=True)
    expected_results = models.TextField(blank=True)
    key_outputs = models.TextField(blank=True)
    estimated_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["workplan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["workplan", "position"], name="stream_position_unique_in_plan"),
            models.CheckConstraint(condition=Q(position__gte=1), name="stream_position_from_one"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.workplan.get_absolute_url()}#stream-{self.pk}"

    @property
    def lead_label(self) -> str:
        if self.lead_group_id:
            return str(self.lead_group)
        return "GMG Chair" if self.led_by_chair else ""


class Output(models.Model):
    """A deliverable of a stream in a year ("Output 1: A series of advocacy events for the 2013 HLD")."""

    stream = models.ForeignKey(WorkStream, on_delete=models.CASCADE, related_name="outputs")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=40, blank=True, help_text='As written, e.g. "Output 1".')
    title = models.TextField()
    description = models.TextField(blank=True)
    note = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["stream", "year", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "year", "position"],
                name="output_position_unique_in_stream_year",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="output_position_from_one"),
        ]

    def __str__(self) -> str:
        label = f"{self.number}: " if self.number else ""
        return f"{label}{self.title}"[:120]

    def get_absolute_url(self) -> str:
        return f"{self.stream.workplan.get_absolute_url()}#output-{self.pk}"


class ActivityQuerySet(models.QuerySet):
    def open(self) -> "ActivityQuerySet":
        return self.exclude(status__in=[Activity.Status.COMPLETED, Activity.Status.CANCELLED])

    def overdue_on(self, day: date) -> "ActivityQuerySet":
        """Activities past their end date and not completed or cancelled."""
        return self.open().filter(ends_on__lt=day)

    def led_by(self, agency: Agency) -> "ActivityQuerySet":
        return self.filter(lead_agencies=agency)

    def in_plan_order(self) -> "ActivityQuerySet":
        """Plans by start, then stream, output year and position, and the activity's position."""
        return self.order_by(
            "output__stream__workplan__starts_on",
            "output__stream__position",
            "output__year",
            "output__position",
            "position",
        )

    def involving(self, agency: Agency) -> "ActivityQuerySet":
        return self.filter(Q(lead_agencies=agency) | Q(partners=agency)).distinct()


class Activity(models.Model):
    """An activity of an output, numbered as written; its position orders it within the output."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ON_TRACK = "on_track", "On track"
        DELAYED = "delayed", "Delayed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField()
    number = models.CharField(
        max_length=20, blank=True, help_text='As written, e.g. "1.1"; the seeds number some activities twice.'
    )
    description = models.TextField()
    timeframe = models.CharField(max_length=250, blank=True, help_text="As people write it, e.g. 'April-October 2013'.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    timeframe_unread = models.BooleanField(
        default=False, help_text="The timeframe could not be read into dates; staff should enter them."
    )
    timeframe_tentative = models.BooleanField(default=False)
    lead = models.CharField("lead as written", max_length=300, blank=True)
    lead_agencies = models.ManyToManyField(Agency, blank=True, related_name="led_activities")
    partners = models.ManyToManyField(Agency, blank=True, related_name="partner_activities")
    funding_source = models.CharField(max_length=500, blank=True)
    estimated_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    cost_as_written = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.PLANNED)
    note = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(m2m_fields=[lead_agencies, partners])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["output", "position"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["output", "position"], name="activity_position_unique_in_output"),
            models.CheckConstraint(condition=Q(position__gte=1), name="activity_position_from_one"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="activity_ends_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=Decimal("0")),
                name="activity_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | ~Q(currency=""), name="activity_cost_has_currency"
            ),
        ]

    def __str__(self) -> str:
        number = f"{self.number} " if self.number else ""
        return f"{number}{self.description}"[:120]

    def get_absolute_url(self) -> str:
        return reverse("workplans:activity_detail", args=[self.pk])

    def is_overdue_on(self, day: date) -> bool:
        return (
            self.ends_on is not None
            and self.ends_on < day
            and self.status not in {self.Status.COMPLETED, self.Status.CANCELLED}
        )


class ActivityUpdate(models.Model):
    """What a focal point reports on an activity (DOMAIN.md: Activity update)."""

    class Review(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned for changes"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="activity_updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="activity_updates"
    )
    reported_on = models.DateField()
    status = models.CharField(max_length=20, choices=Activity.Status)
    narrative = models.TextField()
    review = models.CharField(max_length=20, choices=Review, default=Review.SUBMITTED)
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # One row per submitted form: a form posted twice carries the same token and creates nothing new.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.agency} on {self.activity.number or self.activity_id}, {self.reported_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return f"{self.activity.get_absolute_url()}#update-{self.pk}"


class WorkPlanVersion(models.Model):
    """A named version of a work plan ("draft of 28 June 2013", "adopted 3 July 2013")."""

    workplan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(max_length=200)
    dated = models.DateField(null=True, blank=True, help_text="Empty when the document is undated.")
    snapshot = models.JSONField(default=dict, blank=True, help_text="The plan's streams, outputs and activities then.")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    published_at = models.DateTimeField(auto_now_add=True)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["workplan", "dated", "published_at"]
        constraints = [models.UniqueConstraint(fields=["workplan", "label"], name="version_label_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.workplan}: {self.label}"


# -- progress reporting: attachments of an update and reporting rounds ------------------------------------------

# The kinds of file a focal point may attach to an update (issue 5: "files with type and size checks").
UPDATE_FILE_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "txt", "csv")


def update_file_path(attachment: "UpdateAttachment", filename: str) -> str:
    return f"updates/{attachment.update.activity_id}/{filename}"


class UpdateAttachment(models.Model):
    """A link or a file that documents an activity update (a report, a press release, an event page)."""

    update = models.ForeignKey(ActivityUpdate, on_delete=models.CASCADE, related_name="attachments")
    url = models.URLField(max_length=1000, blank=True)
    file = models.FileField(upload_to=update_file_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text="The file's name as uploaded.")
    file_size = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["update", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="attachment_is_a_link_or_a_file",
            ),
        ]

    def __str__(self) -> str:
        return self.url or self.file_name

    @property
    def is_link(self) -> bool:
        return bool(self.url)


class ReportingRound(models.Model):
    """A call for progress updates over a period, with the day they are due (issue 5: reporting rounds).

    The activities in scope are those of the plan (or of every plan) whose dates meet the period; a lead agency
    has reported when one of its updates on the activity is dated within the period and was not returned.
    """

    title = models.CharField(max_length=200)
    workplan = models.ForeignKey(
        WorkPlan,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reporting_rounds",
        help_text="Empty: the activities of every work plan.",
    )
    period_starts_on = models.DateField("period starts on")
    period_ends_on = models.DateField("period ends on")
    due_on = models.DateField("updates due on")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_ends_on__gte=F("period_starts_on")), name="round_period_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplans:round_detail", args=[self.pk])
