"""Forms of the archive: a new document with its first file, its details and links, a new version of it."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chairs.models import ChairTerm
from kit.forms import DATE, PortalForm
from kit.forms_flow import RevisionFormMixin, TokenFormMixin
from kit.uploads import check_update_file
from meetings.models import Decision, Meeting
from workplans.models import Activity

from .models import Document
from .text import ReadText, Unreadable, read_text

FILE_HELP = format_lazy(
    _(
        "PDF, Word, Excel, PowerPoint, PNG, JPG, text or CSV, as for progress updates; at most {mb} MB. The text of "
        "PDF, Word and PowerPoint files is read for the search."
    ),
    mb=getattr(settings, "GMG_UPDATE_FILE_MAX_MB", 10),
)
LINKS = ["meetings", "groups", "chair_terms", "decisions", "activities"]


def checked_file(upload) -> tuple[object, ReadText]:
    """The upload, checked as update files are (type, size, first bytes), with the text read from it (or why not)."""
    check_update_file(upload)
    try:
        return upload, read_text(upload)
    except Unreadable as refusal:
        raise forms.ValidationError(refusal.reason) from None


class DocumentForm(PortalForm):
    class Meta:
        model = Document
        fields = ["title", "title_fr", "title_es", "kind", "dated", "date_as_written", "language", "note", *LINKS]
        labels = {
            "title": _("Title"),
            "kind": _("Kind"),
            "date_as_written": _("Date as written"),
            "language": _("Language"),
            "note": _("Note"),
            "meetings": _("Meetings"),
            "decisions": _("Decisions"),
            "activities": _("Activities"),
        }
        widgets = {
            "title_fr": forms.TextInput(attrs={"lang": "fr"}),
            "title_es": forms.TextInput(attrs={"lang": "es"}),
            "dated": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.SelectMultiple(attrs={"size": 6}) for name in LINKS},
        }
        help_texts = {
            "title": _(
                "As the document names itself, e.g. “Minutes of the working-level meeting of 18 February 2013”."
            ),
            "title_fr": _("What the public website shows visitors reading French; without it, the English title."),
            "title_es": _("What the public website shows visitors reading Spanish; without it, the English title."),
            **dict.fromkeys(LINKS, _("The records this document belongs to (Ctrl or Cmd to choose several).")),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meetings"].queryset = Meeting.objects.order_by("-starts_on", "title")
        self.fields["chair_terms"].queryset = ChairTerm.objects.select_related("agency").order_by("starts_on")
        self.fields["decisions"].queryset = Decision.objects.select_related("meeting").order_by(
            "-meeting__starts_on", "number"
        )
        self.fields["activities"].queryset = Activity.objects.order_by("pk")

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("dated") and not data.get("date_as_written"):
            self.add_error("dated", _("Give the document's date, or say under “Date as written” what it gives."))
        return data


class DocumentCreateForm(TokenFormMixin, DocumentForm):
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)

    def clean_file(self):
        upload, self.read = checked_file(self.cleaned_data["file"])
        return upload


class DocumentEditForm(RevisionFormMixin, DocumentForm):
    pass


class VersionForm(TokenFormMixin, forms.Form):
    """A new version of a document: the old ones stay and can still be opened."""

    file = forms.FileField(label=_("File"), help_text=FILE_HELP)
    note = forms.CharField(
        label=_("What changed"), required=False, max_length=300, help_text=_("E.g. “as adopted”, “signed copy”.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page writes the <form> and its button: a second <form> inside would end the page's form early,
        # leaving its button outside it (nothing would send).
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload, self.read = checked_file(self.cleaned_data["file"])
        return upload

    def clean_note(self):
        return (self.cleaned_data.get("note") or "").strip()
