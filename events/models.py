"""Events outside the GMG that it takes part in, and input requests (seed 000, support team tasks viii and xi).

The support team "maintains an annual calendar of events" (viii) and "coordinates GMG agencies' input to meetings,
conferences and events such as the HLD, GFMD, ... the IOM Council" (xi). An input request asks some agencies for
their input to an event by a day; each asked agency answers with a contribution (a file, a text, or both). The
register (`register.deadlines`) reminds the agencies that have not answered.
"""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import Agency
from kit.audit import audited
from kit.inputs import CheckedFields


class ExternalEvent(CheckedFields, models.Model):
    class Kind(models.TextChoices):
        HLD = "hld", _("UN General Assembly High-level Dialogue (HLD)")
        GFMD = "gfmd", _("Global Forum on Migration and Development (GFMD)")
        HRC = "hrc", _("Human Rights Council session")
        CSW = "csw", _("Commission on the Status of Women (CSW)")
        ECOSOC = "ecosoc", _("ECOSOC session")
        OTHER = "other", _("Other event")

    key = models.SlugField(
        max_length=80, unique=True, null=True, blank=True, help_text=_("Stable key from the GMG data files.")
    )
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True, help_text=_("Empty for a one-day event."))
    place = models.CharField(max_length=200, blank=True)
    link = models.URLField(max_length=500, blank=True, help_text=_("The event's own page, if any."))
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    # Raised by every save from a form: a form built from an older revision is refused (no lost updates).
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        verbose_name = _("external event")
        verbose_name_plural = _("external events")
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="event_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])

    @property
    def last_day(self) -> date:
        return self.ends_on or self.starts_on

    @property
    def when(self) -> str:
        if not self.ends_on or self.ends_on == self.starts_on:
            return date_format(self.starts_on, "DATE_FORMAT")
        return f"{date_format(self.starts_on, "DATE_FORMAT")} - {date_format(self.ends_on, "DATE_FORMAT")}"


class InputRequest(CheckedFields, models.Model):
    """The support team asks some agencies for their input to an event by a day."""

    event = models.ForeignKey(ExternalEvent, on_delete=models.PROTECT, related_name="input_requests")
    asked = models.TextField(
        _("what is asked"), help_text=_("The input wanted, e.g. a paragraph for the GMG's statement.")
    )
    due_on = models.DateField(_("due on"))
    agencies = models.ManyToManyField(Agency, related_name="input_requests", verbose_name=_("agencies asked"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    asked_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited(m2m_fields=["agencies"])

    class Meta:
        verbose_name = _("input request")
        verbose_name_plural = _("input requests")
        ordering = ["-due_on", "-pk"]

    def __str__(self) -> str:
        return gettext("Input to %(event)s, due %(day)s") % {
            "event": self.event,
            "day": date_format(self.due_on, "DATE_FORMAT"),
        }

    def get_absolute_url(self) -> str:
        return reverse("events:request_detail", args=[self.pk])

    @property
    def agency_acronyms(self) -> str:
        """The asked agencies' acronyms, as a page lists them ("IOM, UNHCR")."""
        return ", ".join(agency.acronym for agency in self.agencies.all())


def contribution_path(contribution: "Contribution", filename: str) -> str:
    return f"contributions/{contribution.request_id}/{Path(filename).name}"


class Contribution(CheckedFields, models.Model):
    """An asked agency's answer to an input request: a file (checked as update files are), a text, or both."""

    request = models.ForeignKey(InputRequest, on_delete=models.CASCADE, related_name="contributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contributions")
    text = models.TextField(_("answer"), blank=True)
    file = models.FileField(upload_to=contribution_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text=_("The file's name as uploaded."))
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["request", "agency", "submitted_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | ~Q(file=""), name="contribution_has_a_file_or_a_text"),
        ]

    def __str__(self) -> str:
        return gettext("%(agency)s: input to %(event)s") % {"agency": self.agency, "event": self.request.event}

    def get_absolute_url(self) -> str:
        return f"{self.request.get_absolute_url()}#contribution-{self.pk}"
