"""Filters for the cells of big tables: what `truncatechars` and `date:"j M Y"` give, at a fraction of their cost
(a table of 200 rows calls them hundreds of times; Django's parse the format or scan the text on every call).
`{% load tables %}{{ activity.description|clip:140 }} {{ activity.ends_on|day_month_year }}`."""

import unicodedata
from datetime import date
from functools import lru_cache

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import get_language, pgettext

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def clip(value: str, length) -> str:
    """`truncatechars`: the text cut to `length` characters with an ellipsis; text that fits is not scanned."""
    text = unicodedata.normalize("NFC", value)
    try:
        length = int(length)
    except ValueError:
        return value
    if length <= 0:
        return ""
    # Combining characters count for nothing, so text no longer than `length` code points is never cut, and
    # ASCII text (no combining character) is cut where Truncator's count would cut it.
    if len(text) <= length:
        return text
    if text.isascii():
        ellipsis = _ellipsis(get_language())
        return add_truncation_text(text[: calculate_truncate_chars_length(length, ellipsis)], ellipsis)
    return Truncator(text).chars(length)


@lru_cache(maxsize=64)
def _ellipsis(language: str | None) -> str:
    return pgettext("String to return when truncating text", "%(truncated_text)s…")  # as Truncator's


@lru_cache(maxsize=256)
def _month(language: str | None, month: int) -> str:
    """The month as the language's short days write it (gmg_portal/formats: "Jun", "juin", "juil.", "jun")."""
    letter = get_format("MONTH_DAY_FORMAT").replace("j", "").strip() or "M"
    return format_date(date(2000, month, 1), letter)


@register.filter(expects_localtime=True)
def day_month(value) -> str:
    """`date:"j M"`: "5 Mar"."""
    if value in (None, ""):
        return ""
    return f"{value.day} {_month(get_language(), value.month)}"


@register.filter(expects_localtime=True)
def day_month_year(value) -> str:
    """`date:"j M Y"`: "5 Mar 2014"."""
    if value in (None, ""):
        return ""
    return f"{value.day} {_month(get_language(), value.month)} {value.year:04d}"
