"""Work plans (DOMAIN.md: Work plan, Work stream, Output, Activity, Activity update).

The MAWP 2013-2015, a chair's annual work plan (GMG Work Plan 2010) and a group's own plan share one shape:
plan -> work streams -> outputs (per year) -> activities. Progress rolls up from the activities.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.models import Agency, Group
from kit.audit import audited
from kit.inputs import CheckedFields


class WorkPlan(CheckedFields, models.Model):
    class Kind(models.TextChoices):
        MULTI_ANNUAL = "multi_annual", _("Multi-annual work plan")
        CHAIR_ANNUAL = "chair_annual", _("Chair's annual work plan")
        GROUP = "group", _("Group work plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=250)
    kind = models.CharField(max_length=20, choices=Kind)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    starts_on = models.DateField()
    ends_on = models.DateField()
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="workplans")
    chair_term = models.ForeignKey(
        to="chairs.ChairTerm", null=True, blank=True, on_delete=models.PROTECT, related_name="workplans"
    )
    adopted_on = models.DateField(null=True, blank=True)
    adopting_decision = models.ForeignKey(
        to="meetings.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="adopted_workplans"
    )
    summary = models.TextField(blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    # Raised on every save: an editor whose copy is older is told instead of overwriting (no lost updates).
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
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


class WorkStream(CheckedFields, models.Model):
    """A stream of a work plan: two overarching ones under the chair and thematic ones led by a group."""

    class Kind(models.TextChoices):
        OVERARCHING = "overarching", _("Overarching (under the chair)")
        THEMATIC = "thematic", _("Thematic (led by a group)")

    workplan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="streams")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.THEMATIC)
    lead_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="streams")
    led_by_chair = models.BooleanField(default=False)
    function = models.TextField(blank=True, help_text=_("The stream's function as framed in the GMG ToR."))
    objectives = models.TextField(blank=True)
    expected_results = models.TextField(blank=True)
    key_outputs = models.TextField(blank=True)
    estimated_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        verbose_name = _("work stream")
        verbose_name_plural = _("work streams")
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


class Output(CheckedFields, models.Model):
    """A deliverable of a stream in a year ("Output 1: A series of advocacy events for the 2013 HLD")."""

    stream = models.ForeignKey(WorkStream, on_delete=models.CASCADE, related_name="outputs")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=40, blank=True, help_text=_('As written, e.g. "Output 1".'))
    title = models.TextField()
    description = models.TextField(blank=True)
    note = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Kept by a PostgreSQL trigger on every insert and update (migration 0003); read by overview.search.
    search_vector = SearchVectorField(null=True, editable=False)

    history = audited(excluded_fields=["search_vector"])

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
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

    @property
    def activity_prefix(self) -> str:
        """What its activities' numbers start with: "Output 3" numbers them 3.1, 3.2, ...; no number, 1.1, 1.2."""
        return self.number.removeprefix("Output ").strip() or "1"

    def activity_number(self, place: int) -> str:
        return f"{self.activity_prefix}.{place}"

    # An output's activities are numbered from its number (3 -> 3.1 .. 3.999): the prefix must leave room for
    # ".999" in an activity's number.
    ACTIVITY_PLACES = 999

    @classmethod
    def longest_prefix(cls) -> int:
        return Activity._meta.get_field("number").max_length - len(f".{cls.ACTIVITY_PLACES}")

    def number_leaves_room(self) -> bool:
        return len(self.activity_prefix) <= self.longest_prefix()

    def next_activity_number(self) -> str:
        """The number after the highest of its activities' ("1.10" after 1.9 and 1.10), not after their count."""
        numbers = list(self.activities.values_list("number", flat=True))
        places = []
        for number in numbers:
            head, _, tail = number.strip().rpartition(".")
            if head == self.activity_prefix and tail.isdigit():
                places.append(int(tail))
        return self.activity_number((max(places) if places else len(numbers)) + 1)


class ActivityQuerySet(models.QuerySet):
    def open(self) -> "ActivityQuerySet":
        return self.exclude(status__in=[Activity.Status.COMPLETED, Activity.Status.CANCELLED])

    def overdue_on(self, day: date) -> "ActivityQuerySet":
        """Activities past their end date and not completed or cancelled."""
        return self.open().filter(ends_on__lt=day)

    def not_overdue_on(self, day: date) -> "ActivityQuerySet":
        """The others: without an end date, ending on or after the day, or completed or cancelled. Tested on each
        row, not as "not among the overdue ones", which reads every activity."""
        closed = [Activity.Status.COMPLETED, Activity.Status.CANCELLED]
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day) | Q(status__in=closed))

    def led_by(self, agency: Agency) -> "ActivityQuerySet":
        return self.filter(lead_agencies=agency)

    def in_plan_order(self) -> "ActivityQuerySet":
        """Plans by start (then id), then stream, output year and position, and the activity's position.

        By the stored key (workplans/plan_order.py), so an index gives the first rows without a sort."""
        return self.order_by("plan_order")

    def involving(self, agency: Agency) -> "ActivityQuerySet":
        """Activities the agency leads or takes part in (EXISTS, not a join: no duplicates to remove)."""
        leads = Activity.lead_agencies.through.objects.filter(activity_id=OuterRef("pk"), agency=agency)
        partners = Activity.partners.through.objects.filter(activity_id=OuterRef("pk"), agency=agency)
        return self.filter(Exists(leads) | Exists(partners))


class Activity(CheckedFields, models.Model):
    """An activity of an output, numbered as written; its position orders it within the output."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ON_TRACK = "on_track", _("On track")
        DELAYED = "delayed", _("Delayed")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField()
    number = models.CharField(
        max_length=20, blank=True, help_text=_('As written, e.g. "1.1"; the seeds number some activities twice.')
    )
    description = models.TextField()
    timeframe = models.CharField(
        max_length=250, blank=True, help_text=_("As people write it, e.g. 'April-October 2013'.")
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    timeframe_unread = models.BooleanField(
        default=False, help_text=_("The timeframe could not be read into dates; staff should enter them.")
    )
    timeframe_tentative = models.BooleanField(default=False)
    lead = models.CharField(_("lead as written"), max_length=300, blank=True)
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
    # Kept by a PostgreSQL trigger on every insert and update (migration 0003); read by overview.search.
    search_vector = SearchVectorField(null=True, editable=False)
    # Derived from the plan, stream, output and position, and kept current by workplans/plan_order.py.
    plan_order = models.CharField(max_length=40, default="", editable=False)

    history = audited(m2m_fields=[lead_agencies, partners], excluded_fields=["search_vector", "plan_order"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["output", "position"]
        verbose_name_plural = _("activities")
        # The register and the dashboard read activities by end date (overdue, ending in a window).
        indexes = [
            models.Index(fields=["ends_on"], name="activity_ends_on_idx"),
            # The lists in plan order read their page of ids from this index alone (no sort, no table).
            models.Index(fields=["plan_order", "id"], name="activity_plan_order_idx"),
        ]
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
        return self.overdue(self.ends_on, self.status, day)

    @staticmethod
    def overdue(ends_on: date | None, status: str, day: date) -> bool:
        """Past its end date and neither completed nor cancelled (as `overdue_on`), for a row read as values."""
        return (
            ends_on is not None
            and ends_on < day
            and status not in {Activity.Status.COMPLETED, Activity.Status.CANCELLED}
        )


class ActivityUpdate(CheckedFields, models.Model):
    """What a focal point reports on an activity (DOMAIN.md: Activity update)."""

    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

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

    history = audited()

    class Meta:
        verbose_name = _("activity update")
        verbose_name_plural = _("activity updates")
        ordering = ["-reported_on", "-created_at"]
        indexes = [
            # The dashboard's latest updates, and each activity's latest update in the tables.
            models.Index(fields=["-reported_on", "-created_at"], name="update_latest_idx"),
            models.Index(fields=["activity", "-reported_on", "-created_at", "-id"], name="update_activity_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} on {self.activity.number or self.activity_id}, {self.reported_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return f"{self.activity.get_absolute_url()}#update-{self.pk}"


class WorkPlanVersion(CheckedFields, models.Model):
    """A named version of a work plan ("draft of 28 June 2013", "adopted 3 July 2013")."""

    workplan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(max_length=200)
    dated = models.DateField(null=True, blank=True, help_text=_("Empty when the document is undated."))
    snapshot = models.JSONField(
        default=dict, blank=True, help_text=_("The plan's streams, outputs and activities then.")
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    published_at = models.DateTimeField(auto_now_add=True)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        verbose_name = _("work plan version")
        verbose_name_plural = _("work plan versions")
        ordering = ["workplan", "dated", "published_at"]
        constraints = [models.UniqueConstraint(fields=["workplan", "label"], name="version_label_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.workplan}: {self.label}"


# -- progress reporting: attachments of an update and reporting rounds ------------------------------------------


def update_file_path(attachment: "UpdateAttachment", filename: str) -> str:
    return f"updates/{attachment.update.activity_id}/{filename}"


class UpdateAttachment(CheckedFields, models.Model):
    """A link or a file that documents an activity update (a report, a press release, an event page)."""

    update = models.ForeignKey(ActivityUpdate, on_delete=models.CASCADE, related_name="attachments")
    url = models.URLField(max_length=1000, blank=True)
    file = models.FileField(upload_to=update_file_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text=_("The file's name as uploaded."))
    file_size = models.PositiveBigIntegerField(null=True, blank=True)

    history = audited()

    class Meta:
        verbose_name = _("update attachment")
        verbose_name_plural = _("update attachments")
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


class ReportingRound(CheckedFields, models.Model):
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
        help_text=_("Empty: the activities of every work plan."),
    )
    period_starts_on = models.DateField(_("period starts on"))
    period_ends_on = models.DateField(_("period ends on"))
    due_on = models.DateField(_("updates due on"))
    # The token of the form that opened the round: a form posted twice opens one round.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    opened_at = models.DateTimeField(auto_now_add=True)

    history = audited()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
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


def import_file_path(upload: "WorkPlanImport", filename: str) -> str:
    return f"workplan-imports/{upload.workplan_id}/{upload.token}.xlsx"


class WorkPlanImport(models.Model):
    """An edited workbook uploaded for a plan, kept between its preview and the editor's confirmation.

    Applied once: the apply claims the row (applied_at from empty), so a confirmation posted twice applies once.
    """

    workplan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="imports")
    token = models.UUIDField(unique=True, editable=False)
    file = models.FileField(upload_to=import_file_path, max_length=300)
    file_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} for {self.workplan}"
