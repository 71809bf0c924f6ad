from django import forms
from django.utils.translation import gettext_lazy as _

from workplans.forms import TokenFormMixin


class ApiKeyForm(TokenFormMixin, forms.Form):
    """Create a new key (revoking the live one) or revoke the live one; the token makes a double post one key."""

    action = forms.ChoiceField(choices=[("create", _("Create a new key")), ("revoke", _("Revoke my key"))])
