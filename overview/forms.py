"""The audit trail's filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
        label=_("Person"),
        widget=LongSelect,
    )
    since = DayField(required=False, label=_("From (YYYY-MM-DD)"))
    until = DayField(required=False, label=_("To, inclusive (YYYY-MM-DD)"))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("The end of the range comes before its start."))
        return data
