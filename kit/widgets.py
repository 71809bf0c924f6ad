"""Widgets and choice fields every app's forms use: a select written in one pass, choices read as values."""

from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _escaped(value) -> str:
    """conditional_escape without its lazy-string wrapping, which is most of its time."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


class LongSelect(forms.Select):
    """A select written in one pass: Django's select renders a template per option, 0.3 s for the 2,000 people of
    the UN Network's scale, and 0.3 ms for each small select of a filter form shown on every page of a list."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        # Escaped and joined as plain strings: format_html per option took 13 ms for 2,000 of them.
        options = "".join(
            f'<option value="{_escaped(key)}"{" selected" if str(key) in chosen else ""}>{_escaped(label)}</option>'
            for key, label in self.choices
        )
        return format_html(
            "<select{}>{}</select>", flatatt({**self.build_attrs(self.attrs, attrs), "name": name}), mark_safe(options)
        )


class PeopleChoices(ModelChoiceIterator):
    """The people of a choice field named from their values, as Person.__str__ names them: 2,000 people read as
    model instances took 25 ms, as values 3 ms."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", "first_name", "last_name", "username", "agency__acronym")
        for pk, first_name, last_name, username, agency in rows:
            name = f"{first_name} {last_name}".strip() or username
            yield (pk, f"{name} ({agency})" if agency else name)


class PersonChoiceField(forms.ModelChoiceField):
    iterator = PeopleChoices


class ValuesChoiceIterator(ModelChoiceIterator):
    """A model choice field's choices read as (id, label) pairs, not as model instances (see `choices_as_values`)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


def choices_as_values(field: forms.ModelChoiceField, label_field: str) -> None:
    """Read a model choice field's choices as (id, `label_field`) values, for a field whose choices are labelled
    by that one field (the model's __str__): an instance per choice costs 1 ms for the 100 plans at 100x."""
    field.label_field = label_field
    field.iterator = ValuesChoiceIterator
    field.widget.choices = field.choices


class LanguageSelect(forms.Select):
    """The choice of a language: each named in itself and marked as written in it, so that a screen reader reads
    "Français" in French whatever the page's language."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option
