"""What the portal accepts from people: days within the record's range, single-line text on one line.

One statement of each rule, used wherever a value comes in - query strings (`parse_day`), forms (`DayField`,
`SingleLineField`) and models (`CheckedFields`, so that the admin refuses what the pages refuse):

- A day is between 1 January 1900 and 31 December 2200. The GMG's record starts in 2006; the date maths of the
  rotation, the troika and the reviews adds years to a day, which fails near the calendar's end (year 9999), so a
  day far out is refused with a message instead of breaking a page.
- A single-line field (a title, a name, a place) holds no line break, tab-like control character or NUL byte: a
  meeting title with a line break cannot go into a calendar invitation (RFC 5545 folds lines; icalendar refuses it).
  Nor does it hold the invisible marks that reorder the text around them (bidi overrides and isolates: a title with
  U+202E shows reversed, and reverses what follows it in a list or a mail's subject) or a pile of combining marks on
  one letter (text that spills over the lines above and below). Arabic or Chinese text, and an accent written as a
  combining mark (e + U+0301), are kept as typed.
- An identifier (an agency's acronym, an output's or activity's number, a currency) is written with Latin letters,
  digits, spaces and a few signs (. - / ( ) & '): it is how people and the GMG's files name a thing, it is sorted,
  numbered from (3 -> 3.1, 3.2) and matched in imports, so look-alike letters and invisible marks would make two
  of one.
- Free text (a description, minutes, a narrative) takes any character but NUL, up to FREE_TEXT_MAX_LENGTH
  characters; every text field has a maximum, said in the message when it is passed.

`limit_form_fields(form)` gives a form these rules from its fields' names and widgets; `form_flow` applies it to
every form it binds, so a new form gets them without asking.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)

# Line breaks (including the Unicode ones) and the C0 controls other than the tab.
_NOT_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
# The marks that reorder text around them: embeddings, overrides, isolates (and the Arabic letter mark).
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069\u061c]")
# More than two combining marks on one letter ("Zalgo" text); one or two are accents as typed.
_STACKED_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{3,}")
_IDENTIFIER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .\-/()&']*)")

# The longest free text kept (minutes, descriptions, narratives): about 25 pages, far above the GMG's longest
# minutes; more is a paste gone wrong, or an attack on the pages and files that show it.
FREE_TEXT_MAX_LENGTH = 50_000
# Field names that hold an identifier, in every form.
IDENTIFIER_FIELDS = frozenset({"acronym", "number", "currency"})
# Field names that hold a one-line title or name, even where the form draws them in a box of two lines.
ONE_LINE_FIELDS = frozenset({"title", "name", "full_name", "sort_name", "label", "venue", "place"})


def day_out_of_range_message(day: date) -> str:
    return gettext("%(day)s is outside the dates the portal keeps: give a day between %(first)s and %(last)s.") % {
        "day": date_format(day, "DATE_FORMAT"),
        "first": FIRST_DAY.year,
        "last": LAST_DAY.year,
    }


def check_day(day: date) -> None:
    """Refuse a day outside the portal's range (ValidationError, code "day_range")."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(day_out_of_range_message(day), code="day_range")


def parse_day(text: str) -> date:
    """A day written as YYYY-MM-DD, within the portal's range; ValidationError with the reason otherwise."""
    value = (text or "").strip()
    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(
            gettext("“%(value)s” is not a date: write it as YYYY-MM-DD (e.g. 2015-06-15).") % {"value": value[:40]},
            code="invalid_day",
        )
    check_day(day)
    return day


def parse_day_option(text: str, option: str) -> date:
    """`parse_day` for a command's option: a CommandError naming the option."""
    from django.core.management.base import CommandError

    try:
        return parse_day(text)
    except ValidationError as error:
        if error.code == "day_range":
            raise CommandError(f"{option} {text!r}: {error.messages[0]}") from None
        raise CommandError(f"{option} {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2015-02-28.") from None


def validate_single_line(value) -> None:
    if isinstance(value, str) and _NOT_ONE_LINE.search(value):
        raise ValidationError(
            gettext("Write this on one line: line breaks and control characters are not kept here."),
            code="single_line",
        )


def validate_plain_title(value) -> None:
    """A title or a name: one line, no mark that reorders the text around it, no pile of combining marks."""
    validate_single_line(value)
    if isinstance(value, str) and _BIDI_CONTROLS.search(value):
        raise ValidationError(
            gettext(
                "Remove the invisible direction marks (U+202A-U+202E, U+2066-U+2069): they reverse the text around "
                "this one wherever it is shown. Right-to-left text itself is kept as typed."
            ),
            code="bidi_control",
        )
    if isinstance(value, str) and _STACKED_MARKS.search(value):
        raise ValidationError(
            gettext("A letter here carries more than two accents or marks: write it as it is meant to be read."),
            code="stacked_marks",
        )


def validate_identifier(value) -> None:
    """An acronym, a number or a code: Latin letters, digits, spaces and . - / ( ) & ' only."""
    if isinstance(value, str) and value and not _IDENTIFIER.fullmatch(value):
        raise ValidationError(
            gettext(
                "Write this with Latin letters (A-Z), digits, spaces and . - / ( ) & ' only, starting with a letter "
                "or a digit: it names the record in lists, numbers and files, where look-alike letters and invisible "
                "marks would make two of one."
            ),
            code="identifier",
        )


# CharField's kin whose value is not text as typed (or that check their own shape).
_NOT_TEXT = (forms.UUIDField, forms.JSONField, forms.SlugField, forms.EmailField)


class AmountField(forms.DecimalField):
    """An amount as the reader's language writes it: its decimal sign (Django's formats), its grouping by spaces,
    no-break spaces, or the language's thousands separator where that is not the decimal sign."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f']", "", value)
            decimal = get_format("DECIMAL_SEPARATOR")
            for thousands in {get_format("THOUSAND_SEPARATOR").strip(), ".", ","} - {decimal, ""}:
                grouped = value.split(decimal)[0]
                groups = rf"-?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+"
                if value.count(decimal) <= 1 and re.fullmatch(groups, grouped):
                    value = grouped.replace(thousands, "") + value[len(grouped) :]
        return super().to_python(value)


def limit_form_fields(form: forms.BaseForm) -> forms.BaseForm:
    """Give each text field of `form` the rules of its kind (see the module's docstring) - once per form.

    A field without a maximum gets FREE_TEXT_MAX_LENGTH; identifiers, titles and one-line fields get their
    validators; a day, the portal's range (as DayField). Returns the form.
    """
    for name, field in form.fields.items():
        if getattr(field, "_gmg_limited", False):
            continue
        field._gmg_limited = True
        if isinstance(field, forms.DateField) and not isinstance(field, DayField):
            field.validators.append(check_day)
        if isinstance(field, forms.DecimalField) and isinstance(field.widget, forms.NumberInput):
            # An amount is typed as the reader's language writes it ("25 000,50" in French, "25,000.50" in
            # English) and shown so; a number input would take only the browser's idea of a decimal sign.
            field.localize = field.widget.is_localized = True
            if type(field) is forms.DecimalField:
                field.__class__ = AmountField
            field.widget.input_type = "text"
            field.widget.attrs.update(inputmode="decimal", autocomplete="off")
            field.widget.attrs.pop("step", None)
        if not isinstance(field, forms.CharField) or isinstance(field, _NOT_TEXT):
            continue
        if field.max_length is None:
            field.max_length = FREE_TEXT_MAX_LENGTH
            field.validators.append(validators.MaxLengthValidator(FREE_TEXT_MAX_LENGTH))
            field.widget.attrs.setdefault("maxlength", str(FREE_TEXT_MAX_LENGTH))
        for validator in field.validators:
            if isinstance(validator, validators.MaxLengthValidator):
                validator.message = gettext("Keep this to %(limit)s characters (it has %%(show_value)d).") % {
                    "limit": f"{validator.limit_value:,}"
                }
        if name in IDENTIFIER_FIELDS:
            field.validators.append(validate_identifier)
        elif name in ONE_LINE_FIELDS or not isinstance(field.widget, forms.Textarea | forms.HiddenInput):
            field.validators.append(validate_plain_title)
    return form


def one_line(text: str) -> str:
    """Text made one line for places that cannot hold more (a calendar's summary, a mail's subject): rows kept
    from before the one-line rule, or from the record's files, may still carry a line break."""
    return " ".join(_NOT_ONE_LINE.sub(" ", text or "").split())


# What a browser's date input accepts as their value (HTML's "valid date string"), whatever the
# portal's language writes dates as: given "06/12/2026" (en-gb), the browser shows an empty field and, for a
# required field, refuses to send the form.
ISO_DAY = "%Y-%m-%d"


class DayInput(forms.DateInput):
    """The portal's one widget for a day: `<input type="date">` with the value as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DAY)


class DayField(forms.DateField):
    """A form's date field that refuses days outside the portal's range."""

    widget = DayInput

    def validate(self, value):
        super().validate(value)
        if value:
            check_day(value)


class SingleLineField(forms.CharField):
    """A form's text field for one line (a title, a name, a place)."""

    default_validators = [validate_single_line]


class CheckedFields:
    """A model mixin: its text fields other than TextField stay on one line, its days within the portal's range.

    Runs in `clean_fields`, which every model form (the pages' and the admin's) calls before saving.
    """

    def clean_fields(self, exclude=None):
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            value = getattr(self, field.attname, None)
            if value in (None, ""):
                continue
            try:
                if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                    if isinstance(value, date):
                        check_day(value)
                elif isinstance(field, models.CharField):
                    validate_single_line(value)
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)
