"""The public meetings and events as one iCalendar feed: title, days, place and the public page; nothing else
(no remote link, no attendee, no address)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event

from . import selectors
from .models import Publication
from .publishable import of

Kind = Publication.Kind


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _event(uid: str, title: str, first, last, place: str, url: str, status: str = "CONFIRMED") -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("summary", _one_line(title))
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))
    if place:
        event.add("location", _one_line(place))
    event.add("url", url)
    event.add("description", url)
    event.add("status", status)
    return event


def public_calendar() -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Global Migration Group//Public website//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", gettext("Global Migration Group: meetings and events"))
    domain = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "gmg"
    for meeting in selectors.meetings():
        if meeting.starts_on is None:
            continue
        status = (
            "CANCELLED" if meeting.status == "cancelled" else "TENTATIVE" if meeting.date_tentative else "CONFIRMED"
        )
        cal.add_component(
            _event(
                f"public-meeting-{meeting.pk}@{domain}",
                meeting.title,
                meeting.starts_on,
                meeting.last_day,
                meeting.venue,
                settings.SITE_URL + of(Kind.MEETING).public_url(meeting),
                status,
            )
        )
    for event in selectors.events():
        cal.add_component(
            _event(
                f"public-event-{event.pk}@{domain}",
                event.name,
                event.starts_on,
                event.last_day,
                event.place,
                settings.SITE_URL + of(Kind.EVENT).public_url(event),
            )
        )
    return cal.to_ical()
