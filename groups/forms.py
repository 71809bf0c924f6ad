from django import forms

from .models import Person


class ReminderDeliveryForm(forms.ModelForm):
    """A person's own choice of how reminders reach them (issue 4: immediate mails or a daily or weekly digest)."""

    class Meta:
        model = Person
        fields = ["reminder_delivery"]
        widgets = {"reminder_delivery": forms.RadioSelect}
        help_texts = {
            "reminder_delivery": "In-app notices arrive at once whatever you choose; this sets how e-mails come."
        }
