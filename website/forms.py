"""The support team's forms for the public website: an article, and the publish step."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils import timezone

from kit.forms import DATE, PortalForm
from kit.forms_flow import RevisionFormMixin, TokenFormMixin

from . import richtext
from .models import Article


class ArticleForm(PortalForm):
    class Meta:
        model = Article
        fields = ["kind", "title", "slug", "summary", "dated", "body"]
        widgets = {"dated": DATE, "body": forms.Textarea(attrs={"rows": 16, "class": "font-monospace"})}

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        self.rendered = richtext.render(body)  # refuses an image from elsewhere or without a description
        return body

    def clean(self):
        cleaned = super().clean()
        slug, kind = cleaned.get("slug"), cleaned.get("kind")
        if slug and kind == Article.Kind.PAGE:
            try:
                match = resolve(f"/{slug}/")
            except Resolver404:
                match = None
            if match is not None and match.view_name != "website:page":
                self.add_error("slug", f"/{slug}/ is already an address of the portal: choose another.")
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
    """Publish now or at a moment, with the version to show where the item has versions."""

    WHEN = [("now", "Now"), ("at", "At a date and time")]
    when = forms.ChoiceField(choices=WHEN, widget=forms.RadioSelect, initial="now", label="Publish")
    at = forms.DateTimeField(
        label="Date and time (the GMG's time zone)",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    version = forms.TypedChoiceField(coerce=int, required=False, label="Version shown to visitors")

    def __init__(self, *args, versions: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if versions:
            self.fields["version"].choices = versions
            self.fields["version"].required = True
            self.fields["version"].help_text = "The public copy is this version, whatever is uploaded or saved later."
        else:
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "at":
            at: datetime | None = cleaned.get("at")
            if at is None:
                if not self.has_error("at"):
                    self.add_error("at", "Give the date and time it becomes public.")
            elif at <= timezone.now():
                self.add_error("at", "That moment has passed: choose a later one, or publish now.")
        return cleaned

    def moment(self) -> datetime | None:
        return self.cleaned_data["at"] if self.cleaned_data.get("when") == "at" else None

    def clean_at(self):
        at = self.cleaned_data.get("at")
        if at is not None and at.year > 2100:
            raise ValidationError("Choose a date before 2100.")
        return at
