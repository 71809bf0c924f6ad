"""`{{ url|keep_as_of:as_of }}`: a link that keeps the day the page is seen as of (kit.as_of)."""

from django import template

from kit.as_of import with_as_of

register = template.Library()


@register.filter
def keep_as_of(url, day):
    return with_as_of(str(url), day or None)
