"""The base of the portal's record forms: rendered by crispy-forms inside the page's own <form>, with the fields'
limits, and the date and time inputs every form uses."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from kit.inputs import DayInput, limit_form_fields

DATE = DayInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PortalForm(forms.ModelForm):
    """Rendered by crispy-forms without its own <form> tag: the page writes the tag and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_form_fields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
