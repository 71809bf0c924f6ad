"""Writes about meetings that others must hear of: a meeting moved or cancelled reaches its invitees.

RFC 5545 and the GMG's calendar of events (seed 000, support team tasks): a meeting keeps one calendar event;
each change of day, time, place or status raises its SEQUENCE, and `meeting_rescheduled` is sent: the reminders
app (above this one) gives the invitees the new invitation (or, for a cancellation, METHOD:CANCEL) and drops the
unsent reminders of the old day at once; the sweep keys every reminder with the due date.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.access import require
from meetings.access import can_edit_meeting
from meetings.models import Decision, Meeting
from meetings.signals import meeting_rescheduled

# A change to one of these reissues the meeting's invitation (Meeting.sequence).
SCHEDULE_FIELDS = ("starts_on", "ends_on", "start_time", "end_time", "venue", "remote_link", "status")
# The invitees hear of a change of these; a meeting marked held raises the sequence but is no news to them.
NEWS_FIELDS = ("starts_on", "ends_on", "start_time", "end_time", "venue", "remote_link")


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, before: dict | None = None, **fields) -> Meeting:
    """Change a meeting (or record a change already saved, with `before` its previous schedule) and follow it up.

    When its day, time, place or status changed: raise `sequence`, drop the unsent reminders of its old day, and
    send each invitee an update with the new .ics - or, cancelled, a cancellation. Enqueued on commit.
    """
    require(by is None or can_edit_meeting(by, meeting), _("Only the support team and the group's co-chairs do this."))
    if before is None:
        before = {name: getattr(meeting, name) for name in SCHEDULE_FIELDS}
    unknown = set(fields) - {f.name for f in Meeting._meta.get_fields() if f.concrete and not f.many_to_many}
    if unknown:
        raise ValueError(f"Meetings have no field {', '.join(sorted(unknown))}.")
    if fields:
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.full_clean(exclude=["key"])
        meeting.save()
    changed = [name for name in SCHEDULE_FIELDS if before.get(name) != getattr(meeting, name)]
    if not changed:
        return meeting
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    meeting.refresh_from_db(fields=["sequence", "updated_at"])
    cancelled = meeting.status == Meeting.Status.CANCELLED and before.get("status") != Meeting.Status.CANCELLED
    moved = any(name in NEWS_FIELDS for name in changed) and meeting.status != Meeting.Status.CANCELLED
    # The reminders app drops the reminders of the old day and tells the invitees (reminders.news).
    meeting_rescheduled.send(sender=Meeting, meeting=meeting, cancelled=cancelled, moved=moved)
    return meeting


def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    """Cancel a meeting: its invitees receive a cancellation (METHOD:CANCEL, STATUS:CANCELLED)."""
    return meeting_update(meeting=meeting, by=by, status=Meeting.Status.CANCELLED)


# -- decisions (issue 12: the support team records a meeting's decisions and their reviews) --------------------

DECISION_FIELDS = ("number", "title", "text", "trial_months", "review_on", "source")


def _decision_links(decision: Decision, *, establishes, adopts) -> None:
    """What a decision establishes (groups) or adopts (work plans): each names the decision as its origin."""
    from groups.models import Group
    from workplans.models import WorkPlan

    if establishes is not None:
        for group in Group.objects.filter(establishing_decision=decision).exclude(pk__in=[g.pk for g in establishes]):
            group.establishing_decision = None
            group.save(update_fields=["establishing_decision"])
        for group in establishes:
            if group.establishing_decision_id != decision.pk:
                group.establishing_decision = decision
                group.save(update_fields=["establishing_decision"])
    if adopts is not None:
        for plan in WorkPlan.objects.filter(adopting_decision=decision).exclude(pk__in=[p.pk for p in adopts]):
            plan.adopting_decision = None
            plan.save(update_fields=["adopting_decision"])
        for plan in adopts:
            if plan.adopting_decision_id != decision.pk:
                plan.adopting_decision = decision
                plan.save(update_fields=["adopting_decision"])


def decision_record(
    *,
    meeting: Meeting,
    values: dict,
    establishes=None,
    adopts=None,
    reviews: Decision | None = None,
    outcome: str = "",
    token: uuid.UUID | None = None,
) -> tuple[Decision, bool]:
    """Record a decision taken at a meeting; a form posted twice records it once (its token).

    A review's outcome (extended, adapted, cancelled) is a decision of its own, linked to the decision it reviews;
    recording it marks that decision reviewed on the review's meeting day, which settles its review in the
    deadline register (decision 1: the rotation on trial for three years; decision 2: the support team for 18
    months).
    """
    from kit.forms_flow import create_once as _create_once

    with transaction.atomic():
        decision, created = _create_once(
            Decision, token=token, meeting=meeting, reviews=reviews, outcome=outcome, **values
        )
        if created:
            _decision_links(decision, establishes=establishes, adopts=adopts)
            if reviews is not None and reviews.reviewed_on is None:
                reviews.reviewed_on = meeting.starts_on or timezone.localdate()
                reviews.save(update_fields=["reviewed_on"])
    return decision, created


def decision_update(*, decision: Decision, revision: int, values: dict, establishes=None, adopts=None) -> Decision:
    from kit.forms_flow import EditConflict, save_if_unchanged

    with transaction.atomic():
        if not save_if_unchanged(Decision, pk=decision.pk, revision=revision, values=values):
            raise EditConflict(Decision.objects.get(pk=decision.pk))
        decision = Decision.objects.get(pk=decision.pk)
        decision.save(update_fields=["revision"])  # one history row for the change
        _decision_links(decision, establishes=establishes, adopts=adopts)
    return decision
