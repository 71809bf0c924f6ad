import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import Agency
from kit.forms_flow import MISSING_REVISION, MISSING_TOKEN, RevisionFormMixin, TokenFormMixin
from kit.inputs import DayField, DayInput, limit_form_fields

from .models import ChairFunctionTick, ChairTerm
from .services import record_day_problem


class ChairRecordForm(RevisionFormMixin, forms.ModelForm):
    """What the chair's people and the support team record of a term: the letter, the plan, the report."""

    class Meta:
        model = ChairTerm
        fields = ["letter_of_commitment_received_on", "workplan_endorsed_on", "annual_report_submitted_on"]
        widgets = {name: DayInput() for name in fields}
        labels = {
            "letter_of_commitment_received_on": _("Letter of commitment received on"),
            "workplan_endorsed_on": _("Annual work plan endorsed on"),
            "annual_report_submitted_on": _("Annual report submitted on"),
        }
        help_texts = {
            "annual_report_submitted_on": _("Due two months after the term ends (Annex I, working level ix)."),
        }

    def clean(self):
        data = super().clean()
        for name in self.Meta.fields:
            day = data.get(name)
            problem = day and record_day_problem(self.instance, name, day)
            if problem:
                self.add_error(name, problem)
        return data


class RotationChoiceForm(forms.Form):
    """Which proposal a person acts on: its period, so a page older than the rotation is caught."""

    starts_on = DayField(widget=forms.HiddenInput)
    proposed = forms.ModelChoiceField(queryset=Agency.objects.all(), to_field_name="acronym", widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_form_fields(self)


class RotationOverrideForm(RotationChoiceForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        label=_("Plan instead"),
        empty_label=_("Choose an agency"),
        to_field_name="acronym",
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Kept in the term's note.")
    )


class ReportTextForm(forms.Form):
    """The chair's introduction and highlights; the revision it was built from and a token for this page load."""

    introduction = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label=_("Introduction"),
        help_text=_("A blank line starts a new paragraph."),
    )
    highlights = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label=_("Highlights"),
        help_text=_('Start lines with "- " for a list of highlights.'),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_form_fields(self)
        self.initial.setdefault("token", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        # The hidden fields' errors would show nowhere: say them at the top of the form.
        if self.has_error("revision"):
            raise ValidationError(MISSING_REVISION, code="no_revision")
        if self.has_error("token"):
            raise ValidationError(MISSING_TOKEN, code="no_token")
        return cleaned


class ReportSubmittedForm(forms.Form):
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DayInput(), initial=timezone.localdate)


class ChairFunctionTickForm(TokenFormMixin, forms.ModelForm):
    """The chair's people (or the support team) tick one function of the Chair as done for their term."""

    def __init__(self, *args, term: ChairTerm, function, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("done_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.term, self.function = term, function
        # The term page draws one small form per function: ids of their own, a compact look.
        self.fields["done_on"].widget.attrs.update(id=f"id_done_on_{function.pk}", **{"class": "form-control-sm"})
        self.fields["note"].widget.attrs.update(
            id=f"id_note_{function.pk}", placeholder=_("Note (optional)"), **{"class": "form-control form-control-sm"}
        )

    class Meta:
        model = ChairFunctionTick
        fields = ["done_on", "note"]
        field_classes = {"done_on": DayField}
        widgets = {"done_on": DayInput()}
        labels = {"done_on": _("Done on"), "note": _("Note (optional)")}

    def clean_done_on(self):
        day = self.cleaned_data["done_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("A function is ticked once it is done: the day cannot be after today."))
        return day

    def clean(self):
        data = super().clean()
        if self.function.obligation_kind:
            raise forms.ValidationError(
                gettext(
                    "This function is an obligation in the register: it shows done once the register's record says "
                    "so, and is not ticked by hand."
                )
            )
        earlier = self.others(ChairFunctionTick.objects.filter(term=self.term, function=self.function)).first()
        if earlier is not None:
            raise forms.ValidationError(
                gettext("This function was already ticked as done on %(day)s by %(person)s.")
                % {"day": date_format(earlier.done_on, "d F Y"), "person": earlier.ticked_by}
            )
        return data
