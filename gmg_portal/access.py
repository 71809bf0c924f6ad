"""Who may change what: every permission rule of the portal, in one place (DOMAIN.md: Who uses the portal).

Views call these before every write (and `require` turns a refusal into a 403 page); templates may use them
to hide buttons, but hiding is never the check. Chair and co-chair powers follow from the records: a person
acts for the chair when their agency chairs (the actual term) and they are its focal point or principal; a
person acts for a group when their agency co-chairs it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.timezone import localdate

from chairs.models import ChairTerm
from groups.models import Group, GroupCoChair, Person
from meetings.models import Meeting
from workplans.models import Activity, ActivityUpdate, WorkPlan, WorkStream

CHAIR_ROLES = {Person.Role.FOCAL_POINT, Person.Role.PRINCIPAL}


def require(allowed: bool, reason: str = "You may not make this change.") -> None:
    if not allowed:
        raise PermissionDenied(reason)


def is_support(person) -> bool:
    return bool(
        person.is_authenticated and person.is_active and (person.role == Person.Role.SUPPORT or person.is_superuser)
    )


def can_watch_delivery(person) -> bool:
    """Failed and stuck reminders (who, what, why) are the support team's to follow up."""
    return is_support(person)


def acts_for_term(person, term: ChairTerm | None) -> bool:
    """The chair's people for a term: focal points and principal of the chairing agency."""
    return bool(
        term is not None
        and person.is_authenticated
        and person.is_active
        and person.agency_id is not None
        and person.agency_id == term.agency_id
        and person.role in CHAIR_ROLES
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


def can_edit_workplan(person, plan: WorkPlan) -> bool:
    """Support staff edit every plan; the chair edits its term's annual plan; co-chairs their group's plan."""
    if is_support(person):
        return True
    if plan.kind == WorkPlan.Kind.CHAIR_ANNUAL:
        return acts_for_term(person, plan.chair_term)
    if plan.kind == WorkPlan.Kind.GROUP:
        return acts_for_group(person, plan.group)
    return False


def can_edit_stream(person, stream: WorkStream) -> bool:
    """Beyond the plan's editors, a group's co-chairs keep the stream their group leads ("part of the plan")."""
    return can_edit_workplan(person, stream.workplan) or acts_for_group(person, stream.lead_group)


def can_report_on(person, activity: Activity) -> bool:
    """A focal point reports on the activities its agency leads or takes part in; support staff on any."""
    if is_support(person):
        return True
    if not (person.is_authenticated and person.is_active and person.role == Person.Role.FOCAL_POINT):
        return False
    agency_id = person.agency_id
    return agency_id is not None and (
        activity.lead_agencies.filter(pk=agency_id).exists() or activity.partners.filter(pk=agency_id).exists()
    )


def can_change_update(person, update: ActivityUpdate) -> bool:
    """An update is changed by its own agency's focal points (while not yet accepted) or by support staff."""
    if is_support(person):
        return True
    return (
        person.is_authenticated
        and person.is_active
        and person.role == Person.Role.FOCAL_POINT
        and person.agency_id == update.agency_id
        and update.review != ActivityUpdate.Review.ACCEPTED
    )


def can_review_updates(person) -> bool:
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


def can_edit_chair_report(person, term: ChairTerm) -> bool:
    """The chair's people, with the support team, keep their term's annual work plan and report."""
    return is_support(person) or acts_for_term(person, term)


def can_keep_group(person, group: Group) -> bool:
    """A group's page - its co-chairs, agencies, status and ToR versions - is kept by the support team and by
    the group's own co-chairs (issue 12)."""
    return is_support(person) or acts_for_group(person, group)


def can_tick_chair_functions(person, term: ChairTerm) -> bool:
    """The functions of the Chair (Annex I) a term has done are ticked by its chair's people or the support team."""
    return can_edit_chair_report(person, term)


def can_keep_record(person) -> bool:
    """Agencies, chair terms, groups, decisions: the support team's record."""
    return is_support(person)


# -- work plan editor and progress reporting ----------------------------------------------------------------------


def can_create_workplan(person) -> bool:
    """A new plan, or a copy of the last one for the next cycle, is the support team's record (seed 000)."""
    return is_support(person)


def can_edit_activity(person, activity: Activity) -> bool:
    """An activity is edited by whoever keeps its stream (support staff, the plan's chair or group, co-chairs)."""
    return can_edit_stream(person, activity.output.stream)


def can_publish_version(person, plan: WorkPlan) -> bool:
    """Publishing a version ("adopted 3 July 2013") belongs to the plan's editors."""
    return can_edit_workplan(person, plan)


def can_open_reporting_round(person) -> bool:
    """The support team calls for progress updates and follows up on them (seed 000, support team tasks)."""
    return is_support(person)


# -- external events and input requests (seed 000, support team tasks viii and xi) -------------------------------


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


# -- the archive of documents (seed 000, support team: "maintaining archives of GMG information") -----------------


def can_keep_archive(person) -> bool:
    """Uploading a document, changing its details and links, adding a version: the support team's."""
    return is_support(person)
