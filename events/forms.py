"""Forms of the calendar of events: an external event, an input request for it, an agency's contribution."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import Agency
from kit.forms import DATE, PortalForm
from kit.forms_flow import RevisionFormMixin, TokenFormMixin
from kit.uploads import check_update_file

from .models import ExternalEvent, InputRequest


class EventForm(PortalForm):
    class Meta:
        model = ExternalEvent
        fields = ["name", "kind", "starts_on", "ends_on", "place", "link", "note"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": _("Name"), "kind": _("Kind"), "place": _("Place"), "link": _("Link"), "note": _("Note")}
        help_texts = {"name": _("As the event names itself, e.g. “GFMD summit (2014)”.")}

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("The last day cannot come before the first day."))
        return data


class EventCreateForm(TokenFormMixin, EventForm):
    pass


class EventEditForm(RevisionFormMixin, EventForm):
    pass


class InputRequestForm(PortalForm):
    class Meta:
        model = InputRequest
        fields = ["asked", "due_on", "agencies"]
        widgets = {
            "asked": forms.Textarea(attrs={"rows": 4}),
            "due_on": DATE,
            "agencies": forms.CheckboxSelectMultiple,
        }
        help_texts = {"agencies": _("Their focal points are asked, and reminded until they answer.")}

    def __init__(self, *args, event: ExternalEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["agencies"].queryset = Agency.objects.order_by("sort_name")

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on > self.event.last_day:
            ends = date_format(self.event.last_day, "DATE_FORMAT")
            raise ValidationError(
                gettext("The input is for an event that ends on %(day)s: ask for it by then.") % {"day": ends}
            )
        return due_on

    def clean_agencies(self):
        agencies = self.cleaned_data["agencies"]
        if self.instance.pk:
            kept = {a.pk for a in agencies}
            answered = self.instance.contributions.exclude(agency_id__in=kept).select_related("agency")
            names = sorted({c.agency.acronym for c in answered})
            if names:
                raise ValidationError(
                    gettext("%(agencies)s answered already: keep them among the agencies asked.")
                    % {"agencies": ", ".join(names)}
                )
        return agencies


class InputRequestCreateForm(TokenFormMixin, InputRequestForm):
    pass


class InputRequestEditForm(RevisionFormMixin, InputRequestForm):
    pass


class ContributionForm(TokenFormMixin, forms.Form):
    """An asked agency's answer. The agency comes from the person; support staff choose whom they file for."""

    text = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text=_("The input, as text.")
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPG, text or CSV, as for progress updates."),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the tag and the buttons
        if agencies is not None:
            self.fields["agency"] = forms.ModelChoiceField(queryset=agencies, label=_("On behalf of"), empty_label=None)
            self.order_fields(["agency"])

    def clean_text(self):
        return (self.cleaned_data.get("text") or "").strip()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_update_file(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("text") and not data.get("file"):
            raise ValidationError(gettext("Attach the contribution as a file, write it as text, or both."))
        return data
