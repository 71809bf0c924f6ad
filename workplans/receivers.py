"""What the work plans app does when an app below it tells of a change (connected in `WorkplansConfig.ready`)."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from groups.models import Person
from groups.signals import pending_work_asked, person_leaves
from workplans.models import ActivityUpdate, ReportingRound
from workplans.services import reporting_round_missing


def updates_and_rounds_pending(sender, person: Person, **kwargs) -> dict:
    """A person's updates not yet accepted, and the recent reporting rounds their agency still owes (as its focal
    point), shown before they are deactivated."""
    updates = list(
        ActivityUpdate.objects.filter(author=person)
        .exclude(review=ActivityUpdate.Review.ACCEPTED)
        .select_related("activity", "agency")
        .order_by("-reported_on")
    )
    rounds = []
    if person.agency_id and person.role == Person.Role.FOCAL_POINT:
        for round in ReportingRound.objects.filter(due_on__gte=timezone.localdate() - relativedelta(months=3))[:20]:
            missing = dict(reporting_round_missing(round))
            owed = next((acts for agency, acts in missing.items() if agency.pk == person.agency_id), None)
            if owed:
                rounds.append((round, owed))
    return {"updates": updates, "rounds": rounds}


def updates_handed(sender, person: Person, hand_to: Person | None, work, **kwargs) -> None:
    """The leaver's updates not yet accepted pass to the colleague, row by row (each history names the change)."""
    if hand_to is None:
        return
    for update in ActivityUpdate.objects.filter(pk__in=[u.pk for u in work.updates]):
        update.author = hand_to
        update.save(update_fields=["author"])


def connect() -> None:
    pending_work_asked.connect(updates_and_rounds_pending, dispatch_uid="workplans-pending-work")
    person_leaves.connect(updates_handed, dispatch_uid="workplans-person-leaves")
