"""Agencies, people and the GMG's working groups and task forces (DOMAIN.md: Agency, Group)."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property


class AgencyQuerySet(models.QuerySet):
    def members_on(self, day: date) -> "AgencyQuerySet":
        """Agencies that are GMG members on a day; a missing joined date means a member since the record starts."""
        return self.filter(Q(joined__isnull=True) | Q(joined__lte=day), Q(left__isnull=True) | Q(left__gte=day))


class Agency(models.Model):
    """A member entity of the GMG (seeds 002, 003: 16 agencies in 2014, 18 entities in 2015)."""

    acronym = models.CharField(max_length=30, unique=True)
    name = models.CharField("full name", max_length=200)
    sort_name = models.CharField(
        max_length=200, help_text="The name the alphabetical chair rotation sorts this agency under."
    )
    joined = models.DateField(null=True, blank=True, help_text="Empty: a member since before the record starts.")
    left = models.DateField(null=True, blank=True, help_text="Empty: still a member.")
    declines_to_chair = models.BooleanField(
        default=False, help_text="The agency has declined its turn; the rotation skips it."
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the record comes from.")

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(joined__isnull=True) | Q(left__gte=models.F("joined")),
                name="agency_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("groups:agency_detail", args=[self.acronym])

    def is_member_on(self, day: date) -> bool:
        return (self.joined is None or self.joined <= day) and (self.left is None or self.left >= day)


class Person(AbstractUser):
    """A person who signs in: belongs to an agency and has a role.

    Chair and co-chair powers are not a flag here: they follow from the chair terms and the groups' co-chairs
    (a person of the chairing agency is the chair's person for that term).
    """

    class Role(models.TextChoices):
        SUPPORT = "support", "Support team"
        FOCAL_POINT = "focal_point", "Focal point"
        PRINCIPAL = "principal", "Principal"
        VIEWER = "viewer", "Viewer"

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Each reminder as it comes"
        DAILY = "daily", "A daily digest"
        WEEKLY = "weekly", "A weekly digest"

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=20, choices=Role, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)
    reminder_delivery = models.CharField(
        "how reminders reach me", max_length=20, choices=Delivery, default=Delivery.IMMEDIATE
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        name = self.get_full_name() or self.username
        return f"{name} ({self.agency})" if self.agency_id else name

    @property
    def is_support_staff(self) -> bool:
        return self.is_active and (self.role == self.Role.SUPPORT or self.is_superuser)

    @property
    def is_focal_point(self) -> bool:
        return self.is_active and self.role == self.Role.FOCAL_POINT


class Group(models.Model):
    """A working group or task force of the GMG (decision 4 of 3 July 2013; seeds 000 annexes, 002-004)."""

    class Kind(models.TextChoices):
        WORKING_GROUP = "working_group", "Working group"
        TASK_FORCE = "task_force", "Task force"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=250, unique=True)
    short_name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind)
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    established_on = models.DateField(null=True, blank=True)
    establishing_decision = models.ForeignKey(
        "meetings.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="established_groups"
    )
    co_chairs = models.ManyToManyField(
        Agency, through="GroupCoChair", related_name="co_chaired_groups", verbose_name="co-chairs / co-convenors"
    )
    chair_rotates_annually = models.BooleanField(
        default=False, help_text="The group's chair rotates each year among its co-chairs, in their order."
    )
    participating = models.ManyToManyField(
        Agency, blank=True, related_name="groups", verbose_name="participating agencies"
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:group_detail", args=[self.slug])

    @cached_property
    def ordered_co_chairs(self) -> list[Agency]:
        return [link.agency for link in self.co_chair_links.select_related("agency").order_by("position")]

    def terms_of_reference_on(self, day: date) -> "TermsOfReference | None":
        """The ToR version in force on a day: the latest adopted on or before it."""
        return self.terms_of_reference.filter(adopted_on__lte=day).order_by("-adopted_on").first()


class GroupCoChair(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="co_chair_links")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="co_chair_links")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order of the annual rotation, where it applies.")

    class Meta:
        ordering = ["group", "position"]
        verbose_name = "co-chair"
        constraints = [
            models.UniqueConstraint(fields=["group", "agency"], name="co_chair_once_per_group"),
            models.UniqueConstraint(fields=["group", "position"], name="co_chair_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} co-chairs {self.group}"


class TermsOfReference(models.Model):
    """A version of a group's terms of reference; the working modalities set the group's obligations."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="terms_of_reference")
    version = models.CharField(max_length=100, help_text='As the document names it, e.g. "as at 24 March 2016".')
    adopted_on = models.DateField()
    min_meetings_per_year = models.PositiveSmallIntegerField(
        "minimum meetings a year", default=3, help_text="The ToR's 'meet at least N times a year'."
    )
    review_after_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="First review this many months after establishment."
    )
    review_every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Then a review every this many months (empty: no recurring review)."
    )
    minutes_shared_after_each_meeting = models.BooleanField(default=True)
    objectives = models.TextField(blank=True)
    working_modalities = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["group", "adopted_on"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["group", "adopted_on"], name="one_tor_version_per_day"),
            models.CheckConstraint(condition=Q(min_meetings_per_year__gte=1), name="tor_requires_a_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.group} ToR {self.version}"


class Evaluation(models.Model):
    """A review of a group's work that was held (decision 4: "regular evaluations should be made of each group").

    The ToR say when reviews are due (`groups.services.review_dates`); each held evaluation settles the earliest
    review still open on its day.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="evaluations")
    held_on = models.DateField()
    outcome = models.TextField(blank=True, help_text="What the review found and what was adjusted.")

    class Meta:
        ordering = ["group", "held_on"]
        constraints = [models.UniqueConstraint(fields=["group", "held_on"], name="one_evaluation_per_group_per_day")]

    def __str__(self) -> str:
        return f"Review of {self.group} on {self.held_on:%d %b %Y}"
