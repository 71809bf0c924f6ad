from django import forms
from django.utils import timezone

from groups.models import Agency

from .models import ChairTerm


class ChairRecordForm(forms.ModelForm):
    """What the chair's people and the support team record of a term: the letter, the plan, the report."""

    class Meta:
        model = ChairTerm
        fields = ["letter_of_commitment_received_on", "workplan_endorsed_on", "annual_report_submitted_on"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in fields}
        labels = {
            "letter_of_commitment_received_on": "Letter of commitment received on",
            "workplan_endorsed_on": "Annual work plan endorsed on",
            "annual_report_submitted_on": "Annual report submitted on",
        }
        help_texts = {
            "annual_report_submitted_on": "Due two months after the term ends (Annex I, working level ix).",
        }

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in self.Meta.fields:
            day = data.get(name)
            if day and day > today:
                self.add_error(name, "This date is in the future: record it once it has happened.")
        return data


class RotationChoiceForm(forms.Form):
    """Which proposal a person acts on: its period, so a page older than the rotation is caught."""

    starts_on = forms.DateField(widget=forms.HiddenInput)
    proposed = forms.ModelChoiceField(queryset=Agency.objects.all(), to_field_name="acronym", widget=forms.HiddenInput)


class RotationOverrideForm(RotationChoiceForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), label="Plan instead", empty_label="Choose an agency", to_field_name="acronym"
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 2}), help_text="Kept in the term's note."
    )
