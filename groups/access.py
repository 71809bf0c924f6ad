"""Who may keep agencies, people and groups, and the roles every other rule builds on (`kit.access`)."""

from __future__ import annotations

from django.utils.timezone import localdate

from groups.models import Group, Person

CHAIR_ROLES = {Person.Role.FOCAL_POINT, Person.Role.PRINCIPAL}


def can_read(person) -> bool:
    """Everyone signed in reads the record (every page asks it, by `login_required`); a deactivated account is
    signed out."""
    return bool(person.is_authenticated and person.is_active)


def is_support(person) -> bool:
    return bool(
        person.is_authenticated and person.is_active and (person.role == Person.Role.SUPPORT or person.is_superuser)
    )


def acts_for_group(person, group: Group | None) -> bool:
    """A group's co-chairs: focal points of an agency that co-chairs (co-convenes) it."""
    return bool(
        group is not None
        and person.is_authenticated
        and person.is_active
        and person.role == Person.Role.FOCAL_POINT
        and person.agency_id is not None
        and any(link.agency_id == person.agency_id for link in group.co_chair_links.all() if link.covers(localdate()))
    )


def can_keep_group(person, group: Group) -> bool:
    """A group's page - its co-chairs, agencies, status and ToR versions - is kept by the support team and by
    the group's own co-chairs (issue 12)."""
    return is_support(person) or acts_for_group(person, group)


def can_keep_record(person) -> bool:
    """Agencies, chair terms, groups, decisions: the support team's record."""
    return is_support(person)
