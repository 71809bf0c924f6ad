"""The support team's forms for the public website: an article, and the publish step."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kit.forms import DATE, TIME, PortalForm
from kit.forms_flow import RevisionFormMixin, TokenFormMixin
from kit.inputs import DayField

from . import richtext
from .models import Article

# The French and Spanish versions of an article, edited beside the English one (website/models.py: Article).
TRANSLATED_FIELDS = ["title_fr", "summary_fr", "body_fr", "title_es", "summary_es", "body_es"]
BODIES = ["body", "body_fr", "body_es"]


class ArticleForm(PortalForm):
    class Meta:
        model = Article
        fields = ["kind", "title", "slug", "summary", "dated", "body", *TRANSLATED_FIELDS]
        labels = {"kind": _("Kind"), "title": _("Title"), "summary": _("Summary"), "body": _("Body")}
        # A help text is shown as HTML: the address's placeholder written as text, not as a tag.
        help_texts = {
            "slug": _(
                "The last part of its address: /news/&lt;address&gt;/ for news and statements, /&lt;address&gt;/ "
                "for a page."
            )
        }
        widgets = {
            "dated": DATE,
            **{name: forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}) for name in BODIES},
        }

    def _body(self, name: str) -> str:
        body = self.cleaned_data.get(name, "")
        self.rendered_bodies[name] = richtext.render(body)  # refuses an image from elsewhere or without a description
        return body

    def clean_body(self):
        self.rendered_bodies = getattr(self, "rendered_bodies", {})
        body = self._body("body")
        self.rendered = self.rendered_bodies["body"]
        return body

    def clean_body_fr(self):
        self.rendered_bodies = getattr(self, "rendered_bodies", {})
        return self._body("body_fr")

    def clean_body_es(self):
        self.rendered_bodies = getattr(self, "rendered_bodies", {})
        return self._body("body_es")

    def rendered_html(self) -> dict[str, str]:
        """The sanitised HTML of each version of the body, by the field that keeps it."""
        return {f"body_html{name[4:]}": rendered.html for name, rendered in self.rendered_bodies.items()}

    def rendered_images(self) -> set:
        """The archive's images that any version of the body shows."""
        return {image for rendered in self.rendered_bodies.values() for image in rendered.images}

    def clean(self):
        cleaned = super().clean()
        slug, kind = cleaned.get("slug"), cleaned.get("kind")
        if slug and kind == Article.Kind.PAGE:
            try:
                match = resolve(f"/{slug}/")
            except Resolver404:
                match = None
            if match is not None and match.view_name != "website:page":
                self.add_error(
                    "slug", gettext("/%(slug)s/ is already an address of the portal: choose another.") % {"slug": slug}
                )
        return cleaned


class ArticleCreateForm(TokenFormMixin, ArticleForm):
    class Meta(ArticleForm.Meta):
        pass

    def validate_unique(self):
        token = self.posted_token()
        if token is not None and Article.objects.filter(token=token).exists():
            return  # a second post of this very form: the save returns the article the first one made
        super().validate_unique()


class ArticleEditForm(RevisionFormMixin, ArticleForm):
    class Meta(ArticleForm.Meta):
        pass


class PublishForm(forms.Form):
    """Publish now or at a day and time (the GMG's), with the version to show where the item has versions."""

    WHEN = [("now", _("Now")), ("at", _("At a day and time"))]
    when = forms.ChoiceField(choices=WHEN, widget=forms.RadioSelect, initial="now", label=_("Publish"))
    day = DayField(label=_("Day"), required=False)
    time = forms.TimeField(label=_("Time (the GMG's time zone)"), required=False, widget=TIME)
    version = forms.TypedChoiceField(coerce=int, required=False, label=_("Version shown to visitors"))

    def __init__(self, *args, versions: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if versions:
            self.fields["version"].choices = versions
            self.fields["version"].required = True
            self.fields["version"].help_text = _(
                "The public copy is this version, whatever is uploaded or saved later."
            )
        else:
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") != "at":
            return cleaned
        day, at = cleaned.get("day"), cleaned.get("time")
        if day is None and not self.has_error("day"):
            self.add_error("day", _("Give the day it becomes public."))
        if at is None and not self.has_error("time"):
            self.add_error("time", _("Give the time it becomes public, e.g. 09:00."))
        if day is not None and at is not None and self.moment() <= timezone.now():
            self.add_error("day", _("That moment has passed: choose a later one, or publish now."))
        return cleaned

    def moment(self) -> datetime | None:
        """The moment chosen, in the GMG's time zone; None for now."""
        if self.cleaned_data.get("when") != "at":
            return None
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"]))
