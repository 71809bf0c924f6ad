"""The portal's form renderer writes select boxes in Python: the same markup Django's templates write, byte for
byte, whatever the select holds; other widgets still go through the templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from groups.models import Agency
from kit.form_renderer import PortalFormRenderer
from tests.factories import make_agency

CHOICES = [("", "Any"), ("a&b", 'A "quoted" <label>'), (3, "Three"), ("x", gettext_lazy("Lazy label"))]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    required = forms.ChoiceField(choices=CHOICES[1:], help_text="Pick one")
    multiple = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    grouped = forms.ChoiceField(
        choices=[("Europe", [("ch", "Switzerland"), ("fr", "France")]), ("us", "United States")], required=False
    )
    attrs = forms.ChoiceField(
        choices=CHOICES,
        required=False,
        widget=forms.Select(attrs={"data-searchable": True, "disabled": False, "data-note": mark_safe("<b>&</b>")}),
    )
    safe_labels = forms.ChoiceField(choices=[("s", mark_safe("<em>safe</em>"))], required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.order_by("acronym"), required=False)
    agencies = forms.ModelMultipleChoiceField(queryset=Agency.objects.order_by("acronym"), required=False)
    text = forms.CharField(required=False)
    ticks = forms.MultipleChoiceField(choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False)


DATA = [
    None,
    {"plain": "a&b", "required": "3", "multiple": ["a&b", "x"], "grouped": "fr", "attrs": "x"},
    {"plain": "nope", "required": "", "grouped": "us", "agency": "999"},  # invalid: errors and aria attributes
]


@pytest.mark.django_db
@pytest.mark.parametrize("data", DATA, ids=["unbound", "chosen", "invalid"])
def test_every_field_renders_as_djangos_templates_render_it(data):
    make_agency("ILO")
    make_agency("IOM & co")
    ours, django = Everything(data, renderer=PortalFormRenderer()), Everything(data, renderer=DjangoTemplates())
    if data:
        ours.is_valid(), django.is_valid()
        django.agency = ours.agency = Agency.objects.first()
    for name in Everything.base_fields:
        assert str(ours[name]) == str(django[name]), name
    assert str(ours) == str(django)


def test_the_portal_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PortalFormRenderer)
