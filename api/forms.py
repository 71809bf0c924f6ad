from django import forms

from workplans.forms import TokenFormMixin


class ApiKeyForm(TokenFormMixin, forms.Form):
    """Create a new key (revoking the live one) or revoke the live one; the token makes a double post one key."""

    action = forms.ChoiceField(choices=[("create", "Create a new key"), ("revoke", "Revoke my key")])
