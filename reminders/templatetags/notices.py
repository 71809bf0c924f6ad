"""The bell's unread count, for the nav bar of every page."""

from django import template

from reminders.models import Notice

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user).unread().count()
