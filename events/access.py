"""Who may keep the calendar of events and answer its input requests (`kit.access`)."""

from __future__ import annotations

from groups.access import CHAIR_ROLES, is_support


def can_keep_events(person) -> bool:
    """The calendar of events and the input requests for them are the support team's (tasks viii and xi)."""
    return is_support(person)


def can_contribute(person, input_request) -> bool:
    """An asked agency's focal points and principal answer for it; support staff file an answer on its behalf."""
    if is_support(person):
        return True
    return bool(
        person.is_authenticated
        and person.is_active
        and person.role in CHAIR_ROLES
        and person.agency_id is not None
        and input_request.agencies.filter(pk=person.agency_id).exists()
    )
