"""Chair terms (seed 000, decision 1 and Annex I).

A term is either what was planned (the 2013 MAWP named UN Women for 2015) or what happened (the World Bank
chaired 2015, seed 003). Both are kept; the rotation, the troika and the chair's obligations are computed in
`chairs.services` from these rows and never stored.
"""

from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import Agency
from kit.audit import audited
from kit.inputs import CheckedFields

# A term of up to this many days is a semester (the GMG's terms before 2014); longer ones are annual.
SEMESTER_MAX_DAYS = 200


class DateRange(Func):
    """PostgreSQL's daterange(start, end, '[]'): a term covers both its first and its last day."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start, end):
        super().__init__(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=True))


class PostgresOnlyExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL; left out on the embedded SQLite database of `make run`.

    The invariant is also checked in `ChairTerm.clean()`, so forms and the admin refuse an overlap everywhere.
    """

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if schema_editor.connection.vendor == "postgresql" else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if schema_editor.connection.vendor == "postgresql" else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if schema_editor.connection.vendor == "postgresql" else None

    def validate(self, model, instance, exclude=None, using="default"):
        from django.db import connections

        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


class ChairTermQuerySet(models.QuerySet):
    def actual(self) -> "ChairTermQuerySet":
        return self.filter(kind=ChairTerm.Kind.ACTUAL)

    def planned(self) -> "ChairTermQuerySet":
        return self.filter(kind=ChairTerm.Kind.PLANNED)

    def covering(self, day: date) -> "ChairTermQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class ChairTerm(CheckedFields, models.Model):
    class Kind(models.TextChoices):
        ACTUAL = "actual", _("Actual")
        PLANNED = "planned", _("Planned")

    key = models.SlugField(
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable key of a term loaded from the GMG data files."),
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.PLANNED)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="chair_terms")
    co_chair = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_chair_terms",
        verbose_name=_("co-chair / vice chair"),
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    letter_of_commitment_received_on = models.DateField(null=True, blank=True)
    workplan_endorsed_on = models.DateField(_("annual work plan endorsed on"), null=True, blank=True)
    annual_report_submitted_on = models.DateField(null=True, blank=True)
    # Raised by every save of the term's record from a form: an older form is refused (no lost updates).
    revision = models.PositiveIntegerField(default=1, editable=False)
    replaced_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("A plan replaced by a newer plan for its period on this day; kept as history, it governs nothing."),
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)

    objects = ChairTermQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = _("chair term")
        verbose_name_plural = _("chair terms")
        ordering = ["starts_on", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="chair_term_ends_after_it_starts"),
            models.CheckConstraint(
                condition=Q(co_chair__isnull=True) | ~Q(co_chair=F("agency")),
                name="chair_term_co_chair_is_another_agency",
            ),
            PostgresOnlyExclusionConstraint(
                name="actual_chair_terms_never_overlap",
                expressions=[(DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS)],
                condition=Q(kind="actual"),
                violation_error_message=_("Another agency actually chairs the GMG during these dates."),
            ),
            models.UniqueConstraint(
                fields=["kind", "starts_on"],
                condition=Q(replaced_on__isnull=True),
                name="one_term_of_a_kind_per_start",
                violation_error_message=_("There is already a term of this kind starting that day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_kind_display().lower()}, {self.period_label})"

    def get_absolute_url(self) -> str:
        return reverse("chairs:term_detail", args=[self.pk])

    @property
    def is_semester(self) -> bool:
        return (self.ends_on - self.starts_on).days <= SEMESTER_MAX_DAYS

    @property
    def period_label(self) -> str:
        # Left in English: website.publishable and the reports' file names make stable keys of it.
        if self.is_semester:
            half = "1st" if self.starts_on.month <= 6 else "2nd"
            return f"{half} semester {self.starts_on.year}"
        if self.starts_on.year == self.ends_on.year:
            return str(self.starts_on.year)
        return f"{self.starts_on:%d %b %Y} - {self.ends_on:%d %b %Y}"

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = gettext("A term ends after it starts.")
        if self.co_chair_id and self.co_chair_id == self.agency_id:
            errors["co_chair"] = gettext("The co-chair is another agency than the chair.")
        if not errors and self.kind == self.Kind.ACTUAL and self.starts_on and self.ends_on:
            clash = (
                ChairTerm.objects.actual()
                .filter(starts_on__lte=self.ends_on, ends_on__gte=self.starts_on)
                .exclude(pk=self.pk)
                .select_related("agency")
                .first()
            )
            if clash:
                errors["starts_on"] = gettext(
                    "%(agency)s actually chairs from %(start)s to %(end)s; actual terms cannot overlap."
                ) % {
                    "agency": clash.agency,
                    "start": date_format(clash.starts_on, "DATE_FORMAT"),
                    "end": date_format(clash.ends_on, "DATE_FORMAT"),
                }
        if errors:
            raise ValidationError(errors)


class ChairReportVersion(models.Model):
    """The chair's own words in a term's annual report - its introduction and highlights - one row per save.

    The rest of the report is drafted from the record each time it is shown. Rows are never changed: the
    latest revision is the text in force and the earlier ones are its history. A save names the revision it
    was made from, so a second editor working from an older one is told instead of overwriting; the form's
    token makes a page posted twice one version.
    """

    term = models.ForeignKey(ChairTerm, on_delete=models.CASCADE, related_name="report_versions")
    revision = models.PositiveIntegerField()
    introduction = models.TextField(blank=True)
    highlights = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        verbose_name = _("annual report version")
        verbose_name_plural = _("annual report versions")
        ordering = ["term", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["term", "revision"], name="one_report_version_per_revision"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="report_revision_from_one"),
        ]

    def __str__(self) -> str:
        return f"Annual report of {self.term}, version {self.revision}"


class ChairFunction(models.Model):
    """One of the functions of the Chair (seed 000, Annex I): ten at Principals level, nine at working level, in
    the Annex's words. Two are obligations the register computes (a Principals meeting a year, the annual report);
    their state on a term comes from the register and they are never ticked by hand."""

    class Level(models.TextChoices):
        PRINCIPALS = "principals", _("At Principals level")
        WORKING = "working", _("At working level")

    level = models.CharField(max_length=12, choices=Level)
    number = models.CharField(max_length=8, help_text=_('As the Annex numbers it: "i", "ii", ...'))
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    # The register's obligation kind (register.deadlines) that is this function, or empty.
    obligation_kind = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=300, blank=True)

    history = audited()

    class Meta:
        verbose_name = _("function of the chair")
        verbose_name_plural = _("functions of the chair")
        ordering = ["level", "position"]
        constraints = [
            models.UniqueConstraint(fields=["level", "position"], name="one_chair_function_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.number}"


class ChairFunctionTick(CheckedFields, models.Model):
    """A term's chair (or the support team) has done one of the functions of the Chair: when, and who said so."""

    term = models.ForeignKey(ChairTerm, on_delete=models.CASCADE, related_name="function_ticks")
    function = models.ForeignKey(ChairFunction, on_delete=models.PROTECT, related_name="ticks")
    done_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ticked_at = models.DateTimeField(auto_now_add=True)
    # The token of the form that made the tick: a form posted twice ticks once.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        verbose_name = _("function ticked as done")
        verbose_name_plural = _("functions ticked as done")
        ordering = ["term", "function"]
        constraints = [
            models.UniqueConstraint(fields=["term", "function"], name="one_tick_per_term_function"),
        ]

    def __str__(self) -> str:
        return f"{self.function} done for {self.term} on {self.done_on}"
