"""`{{ day|weekday_and_day }}`: a day with its weekday in the reader's language (kit/languages.py)."""

from django import template

from kit.languages import weekday_and_day as _weekday_and_day

register = template.Library()


@register.filter
def weekday_and_day(day) -> str:
    return _weekday_and_day(day) if day else ""
