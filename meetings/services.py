"""Writes about meetings that others must hear of: a meeting moved or cancelled reaches its invitees.

RFC 5545 and the GMG's calendar of events (seed 000, support team tasks): a meeting keeps one calendar event;
each change of day, time, place or status raises its SEQUENCE, and the invitees receive the new invitation
(or, for a cancellation, METHOD:CANCEL). Reminders for the old day never fire: the unsent ones are dropped here
at once, and the sweep keys every reminder with the due date.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chairs.services import actual_chair_on
from gmg_portal.access import can_edit_meeting, require
from groups import services as groups
from meetings.models import Meeting, Notice, Reminder
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
    from meetings.tasks import enqueue

    occasion = f"{'cancel' if cancelled else 'update'}:{meeting.sequence}"
    if cancelled:
        title, body = f"{meeting.title} is cancelled", f"The meeting of {meeting.when} is cancelled."
    else:
        title = f"{meeting.title} - now {meeting.when}"
        place = ", ".join(part for part in (meeting.venue, meeting.remote_link) if part)
        body = f"The meeting has changed: it is now on {meeting.when}{f', at {place}' if place else ''}."
    rows = [
        Reminder(
            obligation_key=f"meeting:{meeting.pk}",
            kind="meeting",
            occasion=occasion,
            due=meeting.starts_on or timezone.localdate(),
            recipient=person,
            title=title[:400],
            body=body,
            url=meeting.get_absolute_url(),
            meeting=meeting,
            sequence=meeting.sequence,
            delivery=Reminder.Delivery.IMMEDIATE,  # a change to a meeting does not wait for a digest
        )
        for person in meeting_invitees(meeting)
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Reminder.objects.filter(obligation_key=f"meeting:{meeting.pk}", occasion=occasion, notice__isnull=True)
    )
    Notice.objects.bulk_create(
        [Notice(recipient_id=r.recipient_id, title=r.title, body=r.body, url=r.url, reminder=r) for r in created],
        ignore_conflicts=True,
    )
    ids = [r.pk for r in created]
    transaction.on_commit(lambda: enqueue(reminder_ids=ids))
