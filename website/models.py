"""What the public website shows, and the texts the support team writes for it.

Nothing is public by default: an item of the record (an agency, a group, a terms of reference, a work plan, a
meeting, an event, an archived document, a chair's annual report) or an article appears on the public website only
while a `Publication` says so, from its `public_from` moment on (a date and time in the future schedules it). A
document's and an annual report's public copy is the version the publication names, not the latest draft.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.models import DocumentVersion
from kit.audit import audited
from kit.inputs import CheckedFields


class Publication(models.Model):
    """One item of the record on the public website: which, from when, and which version of it."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("News, statement or page")
        AGENCY = "agency", _("Member agency")
        GROUP = "group", _("Working group or task force")
        TOR = "tor", _("Terms of reference")
        WORKPLAN = "workplan", _("Work plan")
        MEETING = "meeting", _("Meeting")
        EVENT = "event", _("Event")
        DOCUMENT = "document", _("Document of the archive")
        REPORT = "report", _("Chair's annual report")

    kind = models.CharField(max_length=20, choices=Kind)
    object_id = models.PositiveBigIntegerField()
    public_from = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty: not public. In the future: scheduled to become public then.")
    )
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("The version shown: a document's version number, an annual report's text.")
    )
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now=True)
    history = audited(excluded_fields=["changed_at"])

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["kind", "object_id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="publication_one_per_item")]
        indexes = [models.Index(fields=["kind", "public_from"], name="website_publication_public_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}"

    def is_public(self, now=None) -> bool:
        return self.public_from is not None and self.public_from <= (now or timezone.now())

    def is_scheduled(self, now=None) -> bool:
        return self.public_from is not None and self.public_from > (now or timezone.now())


class Article(CheckedFields, models.Model):
    """A text the support team writes for the public website: a news item, a statement, or a page of prose."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News item")
        STATEMENT = "statement", _("Statement")
        PAGE = "page", _("Page (about, contact, ...)")

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.NEWS)
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("The last part of its address: /news/<address>/ for news and statements, /<address>/ for a page."),
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, help_text=_("One or two sentences: shown in lists, feeds, search results and link previews.")
    )
    dated = models.DateField(_("date"), default=timezone.localdate)
    body = models.TextField(
        blank=True,
        help_text=_(
            "Markdown: ## Heading, - list item, 1. numbered item, [text](https://...), "
            "![what the image shows](archive:document-key) for an image from the archive."
        ),
    )
    body_html = models.TextField(blank=True, editable=False, help_text=_("The body as visitors read it, sanitised."))
    images = models.ManyToManyField(DocumentVersion, blank=True, related_name="articles", editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # The French and Spanish versions, written beside the English one; a visitor reading a language whose version
    # is empty reads the English one, with a note saying so (`in_language`).
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    summary_fr = models.CharField(_("summary in French"), max_length=300, blank=True)
    body_fr = models.TextField(_("body in French"), blank=True)
    body_html_fr = models.TextField(blank=True, editable=False)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    summary_es = models.CharField(_("summary in Spanish"), max_length=300, blank=True)
    body_es = models.TextField(_("body in Spanish"), blank=True)
    body_html_es = models.TextField(blank=True, editable=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The one-time mark of the form that created it: the same form posted twice makes one article.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = audited(excluded_fields=["body_html", "body_html_fr", "body_html_es", "updated_at"])

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-dated", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("desk:article_desk", args=[self.pk])

    TRANSLATED = ("title", "summary", "body", "body_html")
    TRANSLATIONS = ("fr", "es")
    # As read in English (the desk's preview shows the English version): see in_language.
    language = "en"
    fallback = False

    def in_language(self, language: str) -> Article:
        """The article as a visitor reading `language` reads it: its version in that language where it has one
        (a title at least), else the English one, marked `fallback` (the page says so)."""
        code = language.split("-")[0]
        self.language = "en"
        self.fallback = code in self.TRANSLATIONS and not getattr(self, f"title_{code}")
        if code in self.TRANSLATIONS and not self.fallback:
            self.language = code
            for name in self.TRANSLATED:
                setattr(self, name, getattr(self, f"{name}_{code}") or getattr(self, name))
        return self

    def public_url(self) -> str:
        if self.kind == self.Kind.PAGE:
            return reverse("website:page", args=[self.slug])
        return reverse("website:news_item", args=[self.slug])
