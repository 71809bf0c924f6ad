"""Agencies, people and the GMG's working groups and task forces (DOMAIN.md: Agency, Group)."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kit.audit import audited
from kit.iati_codelists import validate_organisation_identifier
from kit.inputs import CheckedFields


class AgencyQuerySet(models.QuerySet):
    def members_on(self, day: date) -> "AgencyQuerySet":
        """Agencies that are GMG members on a day: one of their membership periods covers it."""
        return self.filter(models.Exists(Membership.objects.covering(day).filter(agency=models.OuterRef("pk"))))


class Agency(CheckedFields, models.Model):
    """A member entity of the GMG (seeds 002, 003: 16 agencies in 2014, 18 entities in 2015)."""

    acronym = models.CharField(max_length=30, unique=True)
    name = models.CharField(_("full name"), max_length=200)
    sort_name = models.CharField(
        max_length=200, help_text=_("The name the alphabetical chair rotation sorts this agency under.")
    )
    declines_to_chair = models.BooleanField(
        default=False, help_text=_("The agency has declined its turn; the rotation skips it.")
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text=_("Where the record comes from."))
    # The identifier the agency publishes to IATI under (IATI's codelists: e.g. the ILO as XM-DAC-41302); the IATI
    # export names the agency by it and refuses to write a file while an agency in it has none.
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[validate_organisation_identifier],
        help_text=_("The identifier the agency publishes to IATI under, e.g. XM-DAC-41302 for the ILO."),
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = AgencyQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["sort_name"]
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("groups:agency_detail", args=[self.acronym])

    # Membership is read from the periods (prefetch `memberships` to read many agencies in one query).
    def _periods(self) -> list["Membership"]:
        return sorted(self.memberships.all(), key=lambda m: (m.joined is not None, m.joined or date.min))

    def is_member_on(self, day: date) -> bool:
        return any(period.covers(day) for period in self.memberships.all())

    @property
    def joined(self) -> date | None:
        """The start of the first membership period (None: a member since before the record starts, or never)."""
        periods = self._periods()
        return periods[0].joined if periods else None

    @property
    def left(self) -> date | None:
        """The end of the last membership period; None while it is still a member."""
        periods = self._periods()
        return periods[-1].left if periods else None

    @property
    def periods(self) -> list["Membership"]:
        return self._periods()


class MembershipQuerySet(models.QuerySet):
    def covering(self, day: date) -> "MembershipQuerySet":
        return self.filter(Q(joined__isnull=True) | Q(joined__lte=day), Q(left__isnull=True) | Q(left__gte=day))


class Membership(CheckedFields, models.Model):
    """A period in which an agency is a GMG member (seeds 002, 003: 16 agencies in 2014, 18 entities in 2015).

    An agency may leave and join again: each stay is a period, and the periods of one agency do not overlap
    (`groups.services.membership_save` refuses an overlap). An empty joined date means a member since before
    the record starts; an empty left date, still a member.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateField(null=True, blank=True, help_text=_("Empty: a member since before the record starts."))
    left = models.DateField(null=True, blank=True, help_text=_("Empty: still a member."))
    note = models.CharField(max_length=300, blank=True, help_text=_("Where the dates come from."))
    revision = models.PositiveIntegerField(default=1, editable=False)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = MembershipQuerySet.as_manager()
    history = audited()

    class Meta:
        ordering = ["agency", "joined"]
        verbose_name = _("membership period")
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(joined__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        start = f"{self.joined:%d %b %Y}" if self.joined else "before the record"
        end = f"{self.left:%d %b %Y}" if self.left else "today"
        return f"{self.agency}: member from {start} to {end}"

    def covers(self, day: date) -> bool:
        return (self.joined is None or self.joined <= day) and (self.left is None or self.left >= day)

    def overlaps(self, other: "Membership") -> bool:
        starts_before_other_ends = self.joined is None or other.left is None or self.joined <= other.left
        other_starts_before_this_ends = other.joined is None or self.left is None or other.joined <= self.left
        return starts_before_other_ends and other_starts_before_this_ends


class Person(CheckedFields, AbstractUser):
    """A person who signs in: belongs to an agency and has a role.

    Chair and co-chair powers are not a flag here: they follow from the chair terms and the groups' co-chairs
    (a person of the chairing agency is the chair's person for that term).
    """

    class Role(models.TextChoices):
        SUPPORT = "support", _("Support team")
        FOCAL_POINT = "focal_point", _("Focal point")
        PRINCIPAL = "principal", _("Principal")
        VIEWER = "viewer", _("Viewer")

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("Each reminder as it comes")
        DAILY = "daily", _("A daily digest")
        WEEKLY = "weekly", _("A weekly digest")

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=20, choices=Role, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)
    reminder_delivery = models.CharField(
        _("how reminders reach me"), max_length=20, choices=Delivery, default=Delivery.IMMEDIATE
    )
    alternate = models.ForeignKey(
        to="self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alternate_for",
        help_text=_("A colleague of the same agency who receives this person's reminders while they are away."),
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The language the portal speaks to this person, on every page after sign-in and in every mail and notice sent
    # to them (accounts/language.py; the reminder sweep writes each mail in it).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The token of the invitation form that created the account: an invitation posted twice invites once.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        name = self.get_full_name() or self.username
        return f"{name} ({self.agency})" if self.agency_id else name

    @property
    def is_support_staff(self) -> bool:
        return self.is_active and (self.role == self.Role.SUPPORT or self.is_superuser)

    @property
    def is_focal_point(self) -> bool:
        return self.is_active and self.role == self.Role.FOCAL_POINT


class Absence(CheckedFields, models.Model):
    """A person is away from one day to another: their alternate receives their reminders meanwhile (issue 12)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(_("away from"))
    ends_on = models.DateField(_("away until"))
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = audited()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["person", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_it_starts")
        ]

    def __str__(self) -> str:
        return f"{self.person} away {self.starts_on:%d %b %Y} - {self.ends_on:%d %b %Y}"


class Group(CheckedFields, models.Model):
    """A working group or task force of the GMG (decision 4 of 3 July 2013; seeds 000 annexes, 002-004)."""

    class Kind(models.TextChoices):
        WORKING_GROUP = "working_group", _("Working group")
        TASK_FORCE = "task_force", _("Task force")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=250, unique=True)
    short_name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind)
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    established_on = models.DateField(null=True, blank=True)
    establishing_decision = models.ForeignKey(
        to="meetings.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="established_groups",
    )
    co_chairs = models.ManyToManyField(
        Agency, through="GroupCoChair", related_name="co_chaired_groups", verbose_name=_("co-chairs / co-convenors")
    )
    chair_rotates_annually = models.BooleanField(
        default=False, help_text=_("The group's chair rotates each year among its co-chairs, in their order.")
    )
    participating = models.ManyToManyField(
        Agency, blank=True, related_name="groups", verbose_name=_("participating agencies")
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    history = audited(m2m_fields=["participating"])

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
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


class GroupCoChairQuerySet(models.QuerySet):
    def covering(self, day: date) -> "GroupCoChairQuerySet":
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class GroupCoChair(CheckedFields, models.Model):
    """An agency co-chairs (co-convenes) a group from one day to another (issue 12: the co-chairs change, dated).

    Empty days: since the record starts, and still. `groups.services.co_chairs_change` writes the periods so that
    on any day each agency and each rotation position appears once.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="co_chair_links")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="co_chair_links")
    position = models.PositiveSmallIntegerField(
        default=1, help_text=_("Order of the annual rotation, where it applies.")
    )
    starts_on = models.DateField(
        _("co-chairs from"), null=True, blank=True, help_text=_("Empty: since the record starts.")
    )
    ends_on = models.DateField(_("co-chairs until"), null=True, blank=True, help_text=_("Empty: still a co-chair."))

    objects = GroupCoChairQuerySet.as_manager()
    history = audited()

    class Meta:
        ordering = ["group", "position"]
        verbose_name = _("co-chair")
        constraints = [
            models.UniqueConstraint(fields=["group", "agency", "starts_on"], name="co_chair_once_per_group_per_day"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="co_chair_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} co-chairs {self.group}"

    def covers(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or self.ends_on >= day)


def tor_file_path(tor: "TermsOfReference", filename: str) -> str:
    return f"tor/{tor.group.slug}/{filename}"


class TermsOfReference(CheckedFields, models.Model):
    """A version of a group's terms of reference; the working modalities set the group's obligations."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="terms_of_reference")
    version = models.CharField(max_length=100, help_text=_('As the document names it, e.g. "as at 24 March 2016".'))
    adopted_on = models.DateField()
    min_meetings_per_year = models.PositiveSmallIntegerField(
        _("minimum meetings a year"), default=3, help_text=_("The ToR's 'meet at least N times a year'.")
    )
    review_after_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("First review this many months after establishment.")
    )
    review_every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Then a review every this many months (empty: no recurring review).")
    )
    minutes_shared_after_each_meeting = models.BooleanField(default=True)
    objectives = models.TextField(blank=True)
    working_modalities = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text=_("The whole text of this version, as adopted."))
    signed_pdf = models.FileField(
        _("signed PDF"), upload_to=tor_file_path, max_length=300, blank=True, help_text=_("The signed document.")
    )
    source = models.CharField(max_length=300, blank=True)
    # The token of the form that added the version: a form posted twice adds one version.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        ordering = ["group", "adopted_on"]
        verbose_name = _("terms of reference")
        verbose_name_plural = _("terms of reference")
        constraints = [
            models.UniqueConstraint(fields=["group", "adopted_on"], name="one_tor_version_per_day"),
            models.CheckConstraint(condition=Q(min_meetings_per_year__gte=1), name="tor_requires_a_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.group} ToR {self.version}"


class Evaluation(CheckedFields, models.Model):
    """A review of a group's work that was held (decision 4: "regular evaluations should be made of each group").

    The ToR say when reviews are due (`groups.services.review_dates`); each held evaluation settles the earliest
    review still open on its day.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="evaluations")
    held_on = models.DateField()
    outcome = models.TextField(blank=True, help_text=_("What the review found and what was adjusted."))

    history = audited()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["group", "held_on"]
        constraints = [models.UniqueConstraint(fields=["group", "held_on"], name="one_evaluation_per_group_per_day")]

    def __str__(self) -> str:
        return f"Review of {self.group} on {self.held_on:%d %b %Y}"
