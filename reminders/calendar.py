"""iCalendar: meeting invitations (.ics attached to e-mails) and the calendar feeds people subscribe to.

A meeting is one event whatever happens to it: its UID is stable (meeting-<pk>@gmg-portal) and its SEQUENCE is
the meeting's `sequence`, raised on every change of day, time, place or status, so a calendar replaces the
event it holds instead of adding a second. A cancelled meeting is sent with METHOD:CANCEL and
STATUS:CANCELLED. Deadlines from the register are all-day events, each with a link back to the record.

A meeting over several days with times (start_time on each day, end_time on each day) is written as it is held:
a daily series of sessions, DTSTART-DTEND on the first day with RRULE:FREQ=DAILY;COUNT=<days>, not one event
from the first morning to the last evening (a two-day meeting was a 32-hour block in people's calendars). One
UID and one VEVENT, so an invitation stays one iTIP object: Outlook reads only the first UID of an attachment
that holds several, while Outlook and Google Calendar both show a daily series as one session per day, replace it
whole on a higher SEQUENCE and remove it whole on METHOD:CANCEL. When the times cannot be daily sessions (no end
time, or an end before the start, e.g. from 14:00 on the first day to 12:00 on the last), the meeting is an
all-day event over its days and the times are written in its description.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from chairs.models import ChairTerm
from groups.models import Group, Person
from kit.inputs import one_line
from meetings.models import Meeting
from register import deadlines, reading
from register.deadlines import Obligation

UID_DOMAIN = "gmg-portal"
PRODUCT_ID = "-//Global Migration Group//GMG Portal//EN"
# A feed reaches this far ahead; it starts with the record's first day (the GMG's history is part of it).
FEED_YEARS_AHEAD = 2


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _calendar(name: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _moment(day: date, at) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def meeting_event(meeting: Meeting, *, cancelled: bool = False, attendee: Person | None = None) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", one_line(meeting.title))
    days = (meeting.last_day - meeting.starts_on).days + 1
    start, end = meeting.start_time, meeting.end_time
    daily_sessions = start is not None and end is not None and end > start
    times = None
    if start is None or (days > 1 and not daily_sessions):
        event.add("dtstart", meeting.starts_on)
        event.add("dtend", meeting.last_day + timedelta(days=1))  # all-day: DTEND is the day after, exclusive
        if start is not None:
            starts = {"start": f"{start:%H:%M}", "day": date_format(meeting.starts_on, "SHORT_DATE_FORMAT")}
            if end is None:
                times = _("Starts at %(start)s on %(day)s") % starts
            else:
                times = _("Starts at %(start)s on %(day)s, ends at %(end)s on %(last_day)s") % {
                    **starts,
                    "end": f"{end:%H:%M}",
                    "last_day": date_format(meeting.last_day, "SHORT_DATE_FORMAT"),
                }
    else:
        event.add("dtstart", _moment(meeting.starts_on, start))
        if daily_sessions:
            event.add("dtend", _moment(meeting.starts_on, end))
        if days > 1:
            event.add("rrule", {"freq": "daily", "count": days})
            times = _("Each day, %(days)s days: %(start)s-%(end)s") % {
                "days": days,
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
            }
    location = one_line(", ".join(part for part in (meeting.venue, meeting.remote_link) if part))
    if location:
        event.add("location", location)
    link = absolute(meeting.get_absolute_url())
    event.add("url", link)
    description = [meeting.get_kind_display()]
    if times:
        description.append(times)
    if meeting.group_id:
        description.append(str(meeting.group))
    if meeting.remote_link:
        description.append(_("Join: %(link)s") % {"link": meeting.remote_link})
    description.append(link)
    event.add("description", "\n".join(description))
    is_cancelled = cancelled or meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if is_cancelled else "TENTATIVE" if meeting.date_tentative else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    organizer.params["cn"] = vText(_("GMG support team"))
    event.add("organizer", organizer)
    if attendee is not None and attendee.email:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.get_full_name() or attendee.username)
        address.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", address)
    return event


def invitation(meeting: Meeting, *, method: str = "REQUEST", attendee: Person | None = None) -> bytes:
    """The .ics of an invitation, an update (same UID, higher SEQUENCE) or a cancellation (METHOD:CANCEL)."""
    cal = _calendar(one_line(meeting.title), method=method)
    cal.add_component(meeting_event(meeting, cancelled=method == "CANCEL", attendee=attendee))
    cal.add_missing_timezones()
    return cal.to_ical()


def deadline_event(obligation: Obligation) -> Event:
    event = Event()
    event.add("uid", f"deadline-{obligation.key.replace(':', '-')}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("summary", one_line(_("Due: %(title)s") % {"title": obligation.title}))
    event.add("dtstart", obligation.due)
    event.add("dtend", obligation.due + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    link = absolute(obligation.url)
    event.add("url", link)
    who = ", ".join(str(a) for a in obligation.agencies) or (str(obligation.agency) if obligation.agency else "")
    lines = [str(obligation.kind_label), _("State: %(state)s") % {"state": obligation.state.label}]
    if who:
        lines.append(_("Responsible: %(who)s") % {"who": who})
    lines.append(link)
    event.add("description", "\n".join(lines))
    event.add("categories", [str(obligation.kind_label)])
    return event


def feed(name: str, meetings: Iterable[Meeting], obligations: Iterable[Obligation]) -> bytes:
    cal = _calendar(name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting))
    for obligation in obligations:
        if obligation.kind != deadlines.MEETING:  # meetings are already there as events
            cal.add_component(deadline_event(obligation))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_window(today: date | None = None) -> tuple[date, date]:
    """From the record's first day to FEED_YEARS_AHEAD years ahead."""
    today = today or timezone.localdate()
    starts = [
        Meeting.objects.aggregate(first=Min("starts_on"))["first"],
        ChairTerm.objects.aggregate(first=Min("starts_on"))["first"],
    ]
    first = min((day for day in starts if day), default=today)
    return min(first, today), today.replace(year=today.year + FEED_YEARS_AHEAD, day=min(today.day, 28))


def _dated_meetings():
    return Meeting.objects.on_a_day().select_related("group").order_by("starts_on", "start_time", "pk")


def person_meetings(person: Person):
    """A person's meetings: all for the support team; else the GMG-wide ones, those their agency attends, and
    those of the groups it co-chairs or takes part in."""
    meetings = _dated_meetings()
    if person.role == Person.Role.SUPPORT or person.is_superuser:
        return meetings
    everyone = Q(group__isnull=True, attendees__isnull=True)
    if not person.agency_id:
        return meetings.filter(everyone).distinct()
    agency = person.agency_id
    return meetings.filter(
        everyone | Q(attendees=agency) | Q(group__co_chairs=agency) | Q(group__participating=agency)
    ).distinct()


def person_feed(person: Person) -> bytes:
    first, last = feed_window()
    if person.role == Person.Role.SUPPORT or person.is_superuser:
        found = reading.obligations(first=first, last=last)
    elif person.agency_id:
        found = reading.obligations(first=first, last=last, agency=person.agency)
    else:
        found = []
    return feed(f"GMG - {person.get_full_name() or person.username}", person_meetings(person), found)


def group_feed(group: Group) -> bytes:
    first, last = feed_window()
    found = [o for o in reading.obligations(first=first, last=last) if o.group is not None and o.group.pk == group.pk]
    return feed(f"GMG - {group}", _dated_meetings().filter(group=group), found)


def gmg_feed() -> bytes:
    first, last = feed_window()
    return feed(_("GMG calendar"), _dated_meetings(), reading.obligations(first=first, last=last))
