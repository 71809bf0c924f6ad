"""News that does not wait for the sweep: an in-app notice and a mail for each person concerned, once per occasion.

The apps below tell of their writes with signals (`meetings.signals.meeting_rescheduled`,
`workplans.signals.update_reviewed`, `groups.signals.person_leaves`), connected in `connect()` from the
reminders app's `ready`; each receiver runs inside the write's transaction, and the mails go on commit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chairs.services import actual_chair_on
from groups import services as groups
from groups.signals import person_leaves
from kit.languages import in_language_of
from meetings.models import Meeting
from meetings.signals import meeting_rescheduled
from reminders.models import Notice, Reminder, stale_before
from reminders.sweep import CHANGE_OCCASIONS, People
from workplans.models import ActivityUpdate
from workplans.signals import update_reviewed


def _words_for(person, title, body) -> tuple[str, str]:
    """A notice's title and body as written to `person`, in their language."""
    with in_language_of(person):
        written = [str(text() if callable(text) else text) for text in (title, body)]
    return written[0][:400], written[1]


def tell(
    people,
    *,
    obligation_key: str,
    kind: str,
    occasion: str,
    title: str | Callable[[], str],
    body: str | Callable[[], str],
    url: str,
    due,
    meeting=None,
) -> list[int]:
    """News that does not wait for the sweep: an in-app notice and a mail for each person, once per occasion.

    Each person reachable by mail gets a sent-log row (`Reminder`, unique per obligation, occasion, due date and
    person) delivered as soon as possible, whatever their digest setting (news is not a deadline): in-process on
    commit without a broker, else from the outbox by the relay, so the save never waits for the broker. The
    notice is tied to the row. A person without an e-mail address gets the notice alone. Returns the rows.
    `title` and `body` may be functions that write them: each person's are written in their language.
    """
    from reminders.tasks import notify

    people = list({person.pk: person for person in people}.values())
    words = {person.pk: _words_for(person, title, body) for person in people}
    rows = [
        Reminder(
            obligation_key=obligation_key,
            kind=kind,
            occasion=occasion,
            due=due,
            recipient=person,
            title=words[person.pk][0],
            body=words[person.pk][1],
            url=url,
            meeting=meeting,
            sequence=meeting.sequence if meeting is not None else 0,
            delivery=Reminder.Delivery.IMMEDIATE,
        )
        for person in people
        if person.email
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(Reminder.objects.filter(obligation_key=obligation_key, occasion=occasion, notice__isnull=True))
    Notice.objects.bulk_create(
        [Notice(recipient_id=r.recipient_id, title=r.title, body=r.body, url=r.url, reminder=r) for r in created]
        + [Notice(recipient=p, title=words[p.pk][0], body=words[p.pk][1], url=url) for p in people if not p.email],
        ignore_conflicts=True,
    )
    ids = [r.pk for r in created]
    transaction.on_commit(lambda: notify(reminder_ids=ids))
    return ids


# -- a meeting moved or cancelled ---------------------------------------------------------------------------------


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


def meeting_followed_up(sender, meeting: Meeting, cancelled: bool, moved: bool, **kwargs) -> None:
    """Drop the unsent reminders of the meeting's old day (all of them when it is cancelled), and tell the
    invitees of a cancellation or of a new day, time or place."""
    _drop_old_reminders(meeting, everything=meeting.status == Meeting.Status.CANCELLED)
    if cancelled or moved:
        _send_change(meeting, cancelled=cancelled)


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

    def title() -> str:
        if cancelled:
            return _("%(title)s is cancelled") % {"title": meeting.title}
        return _("%(title)s - now %(when)s") % {"title": meeting.title, "when": meeting.when}

    def body() -> str:
        if cancelled:
            return _("The meeting of %(when)s is cancelled.") % {"when": meeting.when}
        place = ", ".join(part for part in (meeting.venue, meeting.remote_link) if part)
        if place:
            return _("The meeting has changed: it is now on %(when)s, at %(place)s.") % {
                "when": meeting.when,
                "place": place,
            }
        return _("The meeting has changed: it is now on %(when)s.") % {"when": meeting.when}

    _supersede_changes(meeting, occasion)
    tell(
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


# -- the review loop of progress updates ----------------------------------------------------------------------------


def tell_of_review(update: ActivityUpdate, event: str) -> None:
    """The review loop's news, as an in-app notice and a mail (`tell`), on commit.

    Filed or resubmitted: the support team hears of it (the person who filed it aside). Returned or accepted:
    the focal point who filed it; when the support team filed it for the agency, or its author has left, the
    agency's focal points.
    """
    update = ActivityUpdate.objects.select_related("activity", "agency", "author").get(pk=update.pk)
    activity = update.activity
    about = f"{activity.number} {activity.description}".strip()
    about = about if len(about) <= 90 else f"{about[:89]}…"
    people = People()
    author = update.author
    if event in {"filed", "resubmitted"}:
        recipients = [p for p in people.support if author is None or p.pk != author.pk]
        filed = event == "filed"

        def title() -> str:
            if filed:
                return _("%(agency)s filed an update on %(about)s") % {"agency": update.agency.acronym, "about": about}
            return _("%(agency)s resubmitted its update on %(about)s") % {
                "agency": update.agency.acronym,
                "about": about,
            }

        def body() -> str:
            return _("Status reported: %(status)s. Accept it, or return it with a comment.") % {
                "status": update.get_status_display()
            }

        url = update.get_absolute_url()
        event = "filed"
    else:
        own = (
            author is not None
            and author.is_active
            and author.role == author.Role.FOCAL_POINT
            and author.agency_id == update.agency_id
        )
        recipients = [author] if own else people.of_agencies([update.agency_id])
        returned = event == "returned"

        def comment() -> str:
            if not update.review_comment:
                return ""
            return "\n\n" + _("The support team's comment: %(comment)s") % {"comment": update.review_comment}

        def title() -> str:
            if returned:
                return _("Your update on %(about)s was returned for changes") % {"about": about}
            return _("Your update on %(about)s was accepted") % {"about": about}

        def body() -> str:
            if returned:
                return _("Answer the comment and resubmit the update.") + comment()
            status = update.get_status_display().lower()
            return _("Its status, %(status)s, is now the activity's.") % {"status": status} + comment()

        url = reverse("workplans:update_resubmit", args=[update.pk]) if returned else update.get_absolute_url()
    key = f"activity_update:{update.pk}"
    rank = Reminder.objects.filter(obligation_key=key, occasion__startswith=f"{event}:").values("occasion").distinct()
    tell(
        recipients,
        obligation_key=key,
        kind="activity_update",
        occasion=f"{event}:{rank.count() + 1}",
        title=title,
        body=body,
        url=url,
        due=timezone.localdate(),
    )


def update_review_told(sender, update: ActivityUpdate, event: str, **kwargs) -> None:
    tell_of_review(update, event)


# -- a person leaves ------------------------------------------------------------------------------------------------


def reminders_of_leaver_dropped(sender, person, **kwargs) -> None:
    """A person who leaves gets no more reminders: the next sweep reminds who is responsible now."""
    Reminder.objects.unsent().filter(recipient=person).update(dropped_at=timezone.now())


def connect() -> None:
    meeting_rescheduled.connect(meeting_followed_up, dispatch_uid="reminders-meeting-rescheduled")
    update_reviewed.connect(update_review_told, dispatch_uid="reminders-update-reviewed")
    person_leaves.connect(reminders_of_leaver_dropped, dispatch_uid="reminders-person-leaves")
