"""Who may add and keep meetings, and follow the reminders' delivery (`kit.access`)."""

from __future__ import annotations

from django.utils.timezone import localdate

from groups.access import acts_for_group, is_support
from groups.models import Group, GroupCoChair
from meetings.models import Meeting


def can_watch_delivery(person) -> bool:
    """Failed and stuck reminders (who, what, why) are the support team's to follow up."""
    return is_support(person)


def can_edit_meeting(person, meeting: Meeting) -> bool:
    """Support staff keep every meeting; a group's co-chairs keep their group's meetings."""
    return is_support(person) or (meeting.group_id is not None and acts_for_group(person, meeting.group))


def can_add_meetings(person) -> bool:
    """Support staff add any meeting; a group's co-chairs add their own group's meetings.

    One query whatever the number of groups: the groups the person's agency co-chairs are read once, and each is
    then checked with `acts_for_group` on its prefetched co-chairs.
    """
    if is_support(person):
        return True
    if not (person.is_authenticated and person.agency_id):
        return False
    links = GroupCoChair.objects.covering(localdate()).filter(agency_id=person.agency_id)
    groups = Group.objects.filter(co_chair_links__in=links).prefetch_related("co_chair_links")[:1]
    return any(acts_for_group(person, group) for group in groups)
