"""What the meetings app does when an app below it tells of a change (connected in `MeetingsConfig.ready`)."""

from __future__ import annotations

from groups.models import Person
from groups.signals import pending_work_asked, person_leaves
from meetings.models import ActionPoint


def open_action_points(sender, person: Person, **kwargs) -> dict:
    """A person's open action points, shown before they are deactivated."""
    points = ActionPoint.objects.filter(owner=person, status=ActionPoint.Status.OPEN).select_related("meeting")
    return {"action_points": list(points)}


def action_points_handed(sender, person: Person, hand_to: Person | None, work, **kwargs) -> None:
    """The leaver's open action points pass to the colleague, row by row (each history names the change)."""
    if hand_to is None:
        return
    for point in ActionPoint.objects.filter(pk__in=[p.pk for p in work.action_points]):
        point.owner = hand_to
        point.save(update_fields=["owner"])


def connect() -> None:
    pending_work_asked.connect(open_action_points, dispatch_uid="meetings-pending-work")
    person_leaves.connect(action_points_handed, dispatch_uid="meetings-person-leaves")
