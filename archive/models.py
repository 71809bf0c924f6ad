"""The archive: every document the GMG produces or receives, kept once with its versions and its links.

Seed 000 (support team tasks) asks the support team to "ensure continuity and institutional memory of the GMG by
maintaining archives of GMG information". A document (ToR, minutes, an annual report, slides, a letter of
commitment...) is uploaded once and linked to the records it belongs to - meetings, groups, chair terms,
decisions, activities - and each record's page lists its documents. A new version of a document keeps the old
ones; the text of the latest version is copied onto the document, where the portal's search finds it.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from chairs.models import ChairTerm
from groups.models import Group
from kit.audit import audited
from kit.inputs import CheckedFields
from meetings.models import Decision, Meeting
from workplans.models import Activity


class Document(CheckedFields, models.Model):
    class Kind(models.TextChoices):
        TERMS_OF_REFERENCE = "tor", _("Terms of reference")
        MINUTES = "minutes", _("Minutes")
        SUMMARY_RECORD = "summary_record", _("Summary record")
        DECISIONS = "decisions", _("Decisions")
        ANNUAL_REPORT = "annual_report", _("Annual report")
        WORK_PLAN = "work_plan", _("Work plan version")
        PRESENTATION = "presentation", _("Presentation")
        POSITION_PAPER = "position_paper", _("Position paper")
        LETTER_OF_COMMITMENT = "letter_of_commitment", _("Letter of commitment")
        OTHER = "other", _("Other document")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        SPANISH = "es", _("Spanish")
        ARABIC = "ar", _("Arabic")
        CHINESE = "zh", _("Chinese")
        RUSSIAN = "ru", _("Russian")
        OTHER = "other", _("Other language")

    key = models.SlugField(
        max_length=80, unique=True, null=True, blank=True, help_text=_("Stable key from the GMG data files.")
    )
    title = models.CharField(max_length=300)
    # The title in French and Spanish, as the public website shows it to a visitor reading one of them (the
    # support team writes them; without one, the English title, marked as English).
    title_fr = models.CharField(_("title in French"), max_length=300, blank=True)
    title_es = models.CharField(_("title in Spanish"), max_length=300, blank=True)
    kind = models.CharField(max_length=30, choices=Kind)
    dated = models.DateField(_("date"), null=True, blank=True, help_text=_("The document's own date, if it has one."))
    date_as_written = models.CharField(
        max_length=100, blank=True, help_text=_("When the document gives no day, what it says (e.g. “2010”).")
    )
    language = models.CharField(max_length=10, choices=Language, default=Language.ENGLISH)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    # The text of the latest version (extracted from its file at upload), kept here for the search.
    text = models.TextField(blank=True, editable=False)
    meetings = models.ManyToManyField(Meeting, blank=True, related_name="documents")
    groups = models.ManyToManyField(Group, blank=True, related_name="documents", verbose_name=_("groups"))
    chair_terms = models.ManyToManyField(ChairTerm, blank=True, related_name="documents", verbose_name=_("chair terms"))
    decisions = models.ManyToManyField(Decision, blank=True, related_name="documents")
    activities = models.ManyToManyField(Activity, blank=True, related_name="documents")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every save from a form: a form built from an older revision is refused (no lost updates).
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The token of the form that created the row: a form posted twice creates one row.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Kept by a PostgreSQL trigger on every insert and update (migration 0001); read by overview.search.
    search_vector = SearchVectorField(null=True, editable=False)

    history = audited(
        excluded_fields=["search_vector", "text"],
        m2m_fields=["meetings", "groups", "chair_terms", "decisions", "activities"],
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-dated", "title"]
        indexes = [models.Index(fields=["dated"], name="archive_document_dated_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("archive:document_detail", args=[self.pk])

    @property
    def when(self) -> str:
        if self.dated:
            return date_format(self.dated, "DATE_FORMAT")
        return self.date_as_written or gettext("Undated")

    @property
    def shown_title(self) -> str:
        """The title in the reader's language where the support team wrote one, else the English one."""
        code = (get_language() or "en").split("-")[0]
        return getattr(self, f"title_{code}", "") or self.title

    @property
    def title_lang(self) -> str:
        """"en" when a French or Spanish reader is shown the English title (their page marks it), else ""."""
        code = (get_language() or "en").split("-")[0]
        return "en" if code in ("fr", "es") and not getattr(self, f"title_{code}") else ""


def version_path(version: "DocumentVersion", filename: str) -> str:
    return f"archive/{version.document_id}/{version.number}/{Path(filename).name}"


class DocumentVersion(CheckedFields, models.Model):
    """One version of a document: its file (checked as update files are) and the text read from it.

    The documents shipped with the GMG record have their text only (the source documents' text, data/gmg/).
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text=_("The file's name as uploaded."))
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, help_text=_("The text read from the file at upload."))
    # Why the file's text was not read (archive/text.py: a type without text, or the reading's time or memory
    # limit); blank when it was read.
    text_problem = models.CharField(_("why the text was not read"), max_length=300, blank=True, editable=False)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = audited(excluded_fields=["text", "text_problem"])

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document}, version {self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}#version-{self.number}"
