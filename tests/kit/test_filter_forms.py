"""`filter_field` writes a filter form's field as crispy's `as_crispy_field` does: the same elements, attributes
and text, whitespace aside."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from kit.templatetags.filter_forms import filter_field
from kit.widgets import LongSelect


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.found.append(f"/{tag}")

    def handle_data(self, data):
        if data.split():
            self.found.append(" ".join(data.split()))


def elements(html: str) -> list:
    parser = Elements()
    parser.feed(str(html))
    return parser.found


class Filters(forms.Form):
    plan = forms.ChoiceField(choices=[("", "Any plan"), ("1", "MAWP")], required=False, widget=LongSelect)
    status = forms.ChoiceField(choices=[("", "Any status"), ("planned", "Planned")], required=False)
    year = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 1990}))
    stream = forms.ChoiceField(choices=[("", "Any stream")], required=False, help_text="Choose a <em>plan</em> first.")
    title = forms.CharField(label="Title & words", required=True)
    overdue = forms.BooleanField(required=False)


@pytest.mark.parametrize(
    "data",
    [None, {}, {"plan": "1", "status": "planned", "year": "2014", "title": "x"}, {"year": "soon", "plan": "9"}],
)
@pytest.mark.parametrize("name", ["plan", "status", "year", "stream", "title", "overdue"])
def test_a_field_is_written_as_crispy_writes_it(data, name):
    theirs, ours = Filters(data), Filters(data)
    if data is not None:
        theirs.is_valid(), ours.is_valid()
    assert elements(filter_field(ours[name])) == elements(as_crispy_field(theirs[name]))
