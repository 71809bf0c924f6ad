"""Who may edit work plans, report progress on activities and review the updates (`kit.access`)."""

from __future__ import annotations

from chairs.access import acts_for_term
from groups.access import acts_for_group, is_support
from groups.models import Person
from workplans.models import Activity, ActivityUpdate, WorkPlan, WorkStream


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
