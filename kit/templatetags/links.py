"""Links to the rows of a big table without a `reverse` per row: `{% pk_url 'workplans:activity_edit' activity.pk %}`
gives what `{% url %}` gives for a URL that takes one id (kit.pagination.url_for_each)."""

from django import template

from kit.pagination import url_for_each

register = template.Library()


@register.simple_tag
def pk_url(name: str, pk) -> str:
    return url_for_each(name)(int(pk))
