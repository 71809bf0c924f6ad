"""Every date field of the portal is one widget that writes its value as YYYY-MM-DD, whatever the language.

A browser's `<input type="date">` takes only a "valid date string" (2026-12-06) as its value: given the en-gb
"06/12/2026" it shows an empty field and, for a required field, refuses to send the form. The walk finds every
form and filter of the portal's apps, so a new form with a date field of its own cannot bring the blank back.
"""

from __future__ import annotations

import importlib
import re
from datetime import date
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.utils import translation

from kit.inputs import DayInput

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 12, 6)
DATE_INPUT = re.compile(r"<input\b[^>]*\btype=\"(?:date|datetime-local)\"[^>]*>")
VALUE = re.compile(r"\bvalue=\"([^\"]*)\"")
ISO_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_apps() -> set[str]:
    return {config.name for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)}


def _load_forms() -> set[str]:
    own = _project_apps()
    for name in own:
        for module in ("forms", "filters", "views", "admin"):
            try:
                importlib.import_module(f"{name}.{module}")
            except ModuleNotFoundError as error:
                if error.name != f"{name}.{module}":
                    raise
    return own


def _date_fields():
    """(where, field) of every date field declared by a form or filter of the portal's own apps."""
    own = _load_forms()
    for form in _subclasses(forms.BaseForm):
        if form.__module__.split(".")[0] in own:
            for name, field in getattr(form, "base_fields", {}).items():
                if isinstance(field, forms.DateField | forms.DateTimeField):
                    yield f"{form.__module__}.{form.__qualname__}.{name}", field
    for filterset in _subclasses(django_filters.FilterSet):
        if filterset.__module__.split(".")[0] in own:
            for name, declared in filterset.base_filters.items():
                if issubclass(declared.field_class, forms.DateField | forms.DateTimeField):
                    yield f"{filterset.__module__}.{filterset.__qualname__}.{name}", declared.field


def date_inputs_not_iso(html: str) -> list[str]:
    """The date inputs of a page whose value a browser would not show (anything but empty or ISO)."""
    wrong = []
    for tag in DATE_INPUT.findall(html):
        value = VALUE.search(tag)
        if value and value.group(1) and not ISO_VALUE.fullmatch(value.group(1)):
            wrong.append(tag)
    return wrong


def test_the_walk_finds_the_date_fields_of_the_chair_and_the_work_plans():
    found = dict(_date_fields())
    assert "chairs.forms.ChairFunctionTickForm.done_on" in found
    assert "chairs.forms.ReportSubmittedForm.submitted_on" in found
    assert "workplans.forms.ReportingRoundForm.due_on" in found
    assert "api.filters.ActivityFilter.ends_after" in found
    assert len(found) > 60


def test_every_date_field_of_every_form_uses_the_portals_day_widget():
    wrong = [
        f"{where}: {type(field.widget).__name__}"
        for where, field in _date_fields()
        if not isinstance(field.widget, DayInput | forms.HiddenInput)
    ]
    assert not wrong, "Use kit.inputs.DayInput for these date fields: " + "; ".join(wrong)


@pytest.mark.parametrize("language", ["en-gb", "en-us", "fr", "es"])
def test_every_date_field_writes_its_value_as_an_iso_day_in_any_language(language):
    wrong = []
    with translation.override(language):
        for where, field in _date_fields():
            html = field.widget.render("day", field.prepare_value(DAY))
            if isinstance(field.widget, forms.HiddenInput):
                continue
            if not DATE_INPUT.search(html) or date_inputs_not_iso(html):
                wrong.append(f"{where}: {html}")
    assert not wrong, "\n".join(wrong)


def test_the_check_tells_an_en_gb_value_from_an_iso_one():
    assert date_inputs_not_iso('<input type="date" name="d" value="06/12/2026">')
    assert not date_inputs_not_iso('<input type="date" name="d" value="2026-12-06"><input type="date" name="e">')
