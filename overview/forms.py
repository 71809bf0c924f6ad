"""The audit trail's filter."""

from django import forms

from groups.models import Person
from kit.inputs import DayField
from kit.widgets import LongSelect, PersonChoiceField


class AuditFilterForm(forms.Form):
    person = PersonChoiceField(
        # Each choice is named with its agency: read with the people, not one query per person.
        queryset=Person.objects.select_related("agency")
        .only("first_name", "last_name", "username", "agency__acronym")
        .order_by("last_name", "first_name", "username"),
        required=False,
        label="Person",
        widget=LongSelect,
    )
    since = DayField(required=False, label="From (YYYY-MM-DD)")
    until = DayField(required=False, label="To, inclusive (YYYY-MM-DD)")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError("The end of the range comes before its start.")
        return data
