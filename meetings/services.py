"""Writes about meetings that others must hear of: a meeting moved or cancelled reaches its invitees.

RFC 5545 and the GMG's calendar of events (seed 000, support team tasks): a meeting keeps one calendar event;
each change of day, time, place or status raises its SEQUENCE, and the invitees receive the new invitation
(or, for a cancellation, METHOD:CANCEL). Reminders for the old day never fire: the unsent ones are dropped here
at once, and the sweep keys every reminder with the due date.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from chairs.services import actual_chair_on
from groups import services as groups
from kit.access import require
from meetings import notices
from meetings.access import can_edit_meeting
from meetings.models import Decision, Meeting, Reminder
from meetings.reminders import CHANGE_OCCASIONS, People

# A change to one of these reissues the meeting's invitation (Meeting.sequence).
SCHEDULE_FIELDS = ("starts_on", "ends_on", "start_time", "end_time", "venue", "remote_link", "status")
# The invitees hear of a change of these; a meeting marked held raises the sequence but is no news to them.
NEWS_FIELDS = ("starts_on", "ends_on", "start_time", "end_time", "venue", "remote_link")


def meeting_invitees(meeting: Meeting, people: People | None = None) -> list:
    """The attending agencies' focal points; without attendees recorded, the group's co-chairs' focal points or
    the chair's people; the support team when nobody in the portal speaks for them."""
    people = people or People()
    agency_ids = list(meeting.attendees.values_list("pk", flat=True))
    principals = False
    if not agency_ids and meeting.group_id:
        agency_ids = [agency.pk for agency in groups.co_chairs_in_order(meeting.group)]
    if not agency_ids and meeting.starts_on:
        term = actual_chair_on(meeting.starts_on)
        agency_ids, principals = ([term.agency_id], True) if term else ([], False)
    found = people.of_agencies(agency_ids, principals=principals) or list(people.support)
    return list({person.pk: person for person in found}.values())


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, before: dict | None = None, **fields) -> Meeting:
    """Change a meeting (or record a change already saved, with `before` its previous schedule) and follow it up.

    When its day, time, place or status changed: raise `sequence`, drop the unsent reminders of its old day, and
    send each invitee an update with the new .ics - or, cancelled, a cancellation. Enqueued on commit.
    """
    require(by is None or can_edit_meeting(by, meeting), "Only the support team and the group's co-chairs do this.")
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
    _drop_old_reminders(meeting, everything=meeting.status == Meeting.Status.CANCELLED)
    moved = any(name in NEWS_FIELDS for name in changed) and meeting.status != Meeting.Status.CANCELLED
    if cancelled or moved:
        _send_change(meeting, cancelled=cancelled)
    return meeting


def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    """Cancel a meeting: its invitees receive a cancellation (METHOD:CANCEL, STATUS:CANCELLED)."""
    return meeting_update(meeting=meeting, by=by, status=Meeting.Status.CANCELLED)


def _drop_old_reminders(meeting: Meeting, *, everything: bool) -> None:
    pending = Reminder.objects.unsent().filter(obligation_key=f"meeting:{meeting.pk}")
    for prefix in CHANGE_OCCASIONS:
        pending = pending.exclude(occasion__startswith=prefix)
    if not everything:
        pending = pending.exclude(due=meeting.starts_on)
    pending.update(dropped_at=timezone.now())


def _send_change(meeting: Meeting, *, cancelled: bool) -> None:
    """Notices and mails of a change to the invitees, superseding the unsent ones of earlier changes: one mail
    with the meeting as it now is, however many saves came before it went. The mails wait in the outbox (the
    save never waits for the broker)."""
    occasion = f"{'cancel' if cancelled else 'update'}:{meeting.sequence}"
    if cancelled:
        title, body = f"{meeting.title} is cancelled", f"The meeting of {meeting.when} is cancelled."
    else:
        title = f"{meeting.title} - now {meeting.when}"
        place = ", ".join(part for part in (meeting.venue, meeting.remote_link) if part)
        body = f"The meeting has changed: it is now on {meeting.when}{f', at {place}' if place else ''}."
    _supersede_changes(meeting, occasion)
    notices.tell(
        meeting_invitees(meeting),
        obligation_key=f"meeting:{meeting.pk}",
        kind="meeting",
        occasion=occasion,
        title=title,
        body=body,
        url=meeting.get_absolute_url(),
        due=meeting.starts_on or timezone.localdate(),
        meeting=meeting,
    )


def _supersede_changes(meeting: Meeting, occasion: str) -> int:
    """Drop the unsent change mails of earlier changes that no worker holds (one being sent still goes)."""
    from meetings.reminders import stale_before

    now = timezone.now()
    pending = (
        Reminder.objects.unsent()
        .filter(
            Q(occasion__startswith=CHANGE_OCCASIONS[0]) | Q(occasion__startswith=CHANGE_OCCASIONS[1]),
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before(now)),
            obligation_key=f"meeting:{meeting.pk}",
        )
        .exclude(occasion=occasion)
    )
    return pending.update(dropped_at=now)


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
