"""Every calendar file the portal hands out, read as calendar programs read them: by a strict RFC 5545 parser
other than the one that writes them (`ical`), and checked for what Outlook and Google Calendar trip over -
UID, DTSTAMP and DTSTART on every event, lines folded at 75 octets and ended by CRLF, every TZID defined by a
VTIMEZONE, DTEND after DTSTART, and no timed event (or occurrence) longer than a day. A meeting over several days
with times is a daily series of sessions, not one block from the first morning to the last evening."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import get_resolver, reverse
from ical.calendar_stream import IcsCalendarStream

from groups.models import Person
from meetings.models import Meeting
from meetings.services import meeting_cancel, meeting_update
from reminders import calendar
from reminders.feeds import token_renew
from tests.factories import make_action_point, make_agency, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")
REQUIRED = ("UID", "DTSTAMP", "DTSTART")


def read_strictly(data: bytes, where: str):
    """The calendar as the strict parser reads it, after the checks it does not make itself."""
    assert data.endswith(b"\r\n"), f"{where}: does not end with CRLF"
    for number, line in enumerate(data.split(b"\r\n")[:-1], 1):
        assert b"\n" not in line and b"\r" not in line, f"{where}: line {number} ends without CRLF"
        assert len(line) <= 75, f"{where}: line {number} is {len(line)} octets, not folded at 75"
    text = data.decode("utf-8")
    lines = re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]
    stack, events, defined, used = [], [], set(), set()
    for line in lines:
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append([])
        elif name == "END":
            assert stack.pop() == value, f"{where}: END:{value} closes another component"
        else:
            if stack[-1] == "VTIMEZONE" and name == "TZID":
                defined.add(value)
            used.update(p.split("=", 1)[1] for p in params if p.startswith("TZID="))
            if stack[-1] == "VEVENT":
                events[-1].append(name)
    assert not stack, f"{where}: components left open"
    for names in events:
        for required in REQUIRED:
            assert names.count(required) == 1, f"{where}: an event has {names.count(required)} {required}"
    assert used <= defined, f"{where}: TZID {used - defined} has no VTIMEZONE"
    parsed = IcsCalendarStream.calendar_from_ics(text)  # raises on anything RFC 5545 refuses
    assert len(parsed.events) == len(events)
    for event in parsed.events:
        if event.dtend is not None:
            assert event.dtend > event.dtstart, f"{where}: {event.summary} ends before it starts"
            if isinstance(event.dtstart, datetime):
                assert event.dtend - event.dtstart <= timedelta(days=1), f"{where}: {event.summary} is one long block"
    return parsed


@pytest.fixture
def world():
    ilo = make_agency("ILO")
    person = make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo)
    support = make_person("support", role=Person.Role.SUPPORT)
    group = make_group(slug="wg-data", co_chairs=[ilo])
    today = date.today()
    shapes = {
        "one day with times": {"start_time": time(9), "end_time": time(17)},
        "two days with times": {"ends_on": today + timedelta(days=31), "start_time": time(9), "end_time": time(17)},
        "three days, all day": {"ends_on": today + timedelta(days=32)},
        "one day, a start only": {"start_time": time(10)},
        "two days, 14:00 to 12:00": {
            "ends_on": today + timedelta(days=31),
            "start_time": time(14),
            "end_time": time(12),
        },
        "an evening to an earlier hour": {"start_time": time(18), "end_time": time(9)},
    }
    meetings = {}
    for shape, fields in shapes.items():
        meetings[shape] = make_meeting(
            today + timedelta(days=30), title=f"Réunion de travail du GMG sur la migration – {shape} " * 2, **fields
        )
        meetings[shape].attendees.add(ilo)
    meetings["group"] = make_meeting(
        today + timedelta(days=40), kind=Meeting.Kind.GROUP, group=group, start_time=time(9), end_time=time(12)
    )
    held = make_meeting(today - timedelta(days=10), status=Meeting.Status.HELD)
    make_action_point(held, ilo, due_on=today + timedelta(days=20), text="Circulate the draft")
    return {"person": person, "support": support, "group": group, "meetings": meetings, "ilo": ilo}


def test_a_two_day_meeting_with_times_is_one_session_each_day(world):
    meeting = world["meetings"]["two days with times"]
    parsed = read_strictly(calendar.invitation(meeting), "invitation")
    [event] = parsed.events
    assert event.dtend - event.dtstart == timedelta(hours=8)
    sessions = list(parsed.timeline_tz(ZURICH))
    assert [(s.dtstart, s.dtend) for s in sessions] == [
        (datetime.combine(day, time(9), ZURICH), datetime.combine(day, time(17), ZURICH))
        for day in (meeting.starts_on, meeting.ends_on)
    ]
    assert {s.uid for s in sessions} == {calendar.meeting_uid(meeting)}  # one UID: updates and cancels stay whole
    cancelled = read_strictly(calendar.invitation(meeting, method="CANCEL"), "cancellation")
    assert cancelled.events[0].uid == event.uid and cancelled.events[0].status == "CANCELLED"


def test_times_that_cannot_be_daily_sessions_give_an_all_day_event_with_the_times_written(world):
    meeting = world["meetings"]["two days, 14:00 to 12:00"]
    [event] = read_strictly(calendar.invitation(meeting), "invitation").events
    assert (event.dtstart, event.dtend) == (meeting.starts_on, meeting.ends_on + timedelta(days=1))
    assert "Starts at 14:00" in event.description and "ends at 12:00" in event.description


def ics_routes():
    """Every address of the portal that answers a calendar file, as (name, route, parameters)."""

    def walk(resolver, prefix="", namespace=""):
        for key, entries in resolver.reverse_dict.lists():
            if isinstance(key, str):
                for possibilities, *_ in entries:
                    for route, params in possibilities:
                        if ".ics" in route:
                            yield f"{namespace}{key}", tuple(params)
        for name, (sub_prefix, sub) in resolver.namespace_dict.items():
            yield from walk(sub, prefix + sub_prefix, f"{namespace}{name}:")

    return set(walk(get_resolver()))


def test_every_calendar_file_the_portal_hands_out_reads_strictly(client, world, django_capture_on_commit_callbacks):
    token = token_renew(person=world["person"]).token
    values = {"token": token, "slug": world["group"].slug}
    files = {}
    routes = ics_routes()
    assert {name for name, _ in routes} >= {"reminders:person_feed", "reminders:gmg_feed", "reminders:group_feed"}
    client.force_login(world["person"])  # the addresses without a token are for signed-in people
    for name, params in routes:
        response = client.get(reverse(name, kwargs={p: values[p] for p in params}))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar"), name
        files[name] = response.content
    for shape, meeting in world["meetings"].items():
        files[f"invitation: {shape}"] = calendar.invitation(meeting, attendee=world["person"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=world["meetings"]["two days with times"], by=world["support"], venue="Geneva")
        meeting_cancel(meeting=world["meetings"]["one day with times"], by=world["support"])
    for message in mail.outbox:
        for filename, content, mimetype in message.attachments:
            if mimetype.startswith("text/calendar"):
                files[f"mail {message.subject}: {filename}"] = content.encode() if isinstance(content, str) else content
    assert sum(key.startswith("mail ") for key in files) >= 2
    for where, data in files.items():
        parsed = read_strictly(data, where)
        assert parsed.events or "invitation" not in where
    gmg = read_strictly(files["reminders:gmg_feed"], "gmg feed")
    summaries = " ".join(event.summary for event in gmg.events)
    assert "two days with times" in summaries and "Due: " in summaries
