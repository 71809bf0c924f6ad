"""A date the record gives only as a month, a choice of months or a year is held with that precision and shown as
written: the 2010 plan's "Second meeting: April/May 2010" and "Third meeting: June 2010" are not meetings on the
first of April and of June, in no calendar on those days and no deadline; a meeting held "in December 2009" is
shown as "December 2009"."""

from datetime import date

import icalendar
import pytest
from django.urls import reverse

from groups.models import Person
from meetings.models import DatePrecision, Meeting, date_precision_of
from register.reading import obligations
from reminders.calendar import gmg_feed
from tests.factories import form_as_opened, make_person
from workplans.timeframes import read_timeframe


@pytest.mark.parametrize(
    ("written", "starts_on", "ends_on", "precision"),
    [
        ("8 February 2010", date(2010, 2, 8), None, DatePrecision.DAY),
        ("18-19 February 2013", date(2013, 2, 18), date(2013, 2, 19), DatePrecision.DAY),
        ("", date(2013, 2, 18), None, DatePrecision.DAY),
        ("24 Sept – 4 Oct NY", date(2013, 9, 24), date(2013, 10, 4), DatePrecision.DAY),  # unread: the days stand
        ("June 2010", date(2010, 6, 1), None, DatePrecision.MONTH),
        ("April/May 2010", date(2010, 4, 1), None, DatePrecision.MONTH),
        ("March", date(2010, 3, 1), None, DatePrecision.MONTH),
        ("Date: Nov. 2010", date(2010, 11, 1), None, DatePrecision.MONTH),
        ("July 2014 (precise date TBC)", date(2014, 7, 1), None, DatePrecision.MONTH),
        ("2016", date(2016, 1, 1), None, DatePrecision.YEAR),
        ("Proposed date: 27-28 May or 30 May-1 June 2010", date(2010, 5, 27), date(2010, 5, 28), DatePrecision.DAY),
    ],
)
def test_the_precision_is_read_from_the_date_as_written(written, starts_on, ends_on, precision):
    assert date_precision_of(written, starts_on, ends_on) == precision


def test_the_2010_plans_meetings_given_by_month_or_as_a_choice_are_shown_as_written(gmg_record):
    second = Meeting.objects.get(key="wl-2010-04")
    third = Meeting.objects.get(key="wl-2010-06")
    assert second.date_precision == third.date_precision == DatePrecision.MONTH
    assert second.when == "April/May 2010 (date not fixed)"
    assert third.when == "June 2010 (date not fixed)"
    held = Meeting.objects.get(key="wl-2009-12")
    assert held.status == Meeting.Status.HELD and held.date_precision == DatePrecision.MONTH
    assert held.when == "December 2009"
    # A day the plan gives stays a day.
    first = Meeting.objects.get(key="wl-2010-02-08")
    assert first.date_precision == DatePrecision.DAY and first.when == "8 Feb 2010"


def test_every_meeting_of_the_record_whose_words_give_less_than_its_days_is_not_on_a_day(gmg_record):
    """The class, not the instance: any meeting whose date as written reads as a wider period than the days kept
    is held at that precision, and a planned one is marked not fixed (the data files' rule)."""
    checked = 0
    for meeting in Meeting.objects.exclude(date_as_written="").filter(starts_on__isnull=False):
        reading = read_timeframe(meeting.date_as_written, default_year=meeting.starts_on.year)
        if not reading.readable or reading.starts_on is None:
            continue
        wider = (reading.starts_on, reading.ends_on) != (meeting.starts_on, meeting.ends_on or meeting.starts_on)
        if wider and reading.starts_on.day == 1:
            checked += 1
            assert not meeting.on_a_day, meeting.key
            assert meeting.when.startswith(meeting.date_as_written), meeting.key
            if meeting.status == Meeting.Status.PLANNED:
                assert meeting.date_tentative, meeting.key
    assert checked >= 10


def test_a_month_is_neither_a_deadline_nor_a_calendar_day(gmg_record):
    found = obligations(first=date(2009, 1, 1), last=date(2016, 12, 31), today=date(2017, 1, 1), kinds=["meeting"])
    keys = {o.subject.key for o in found}
    assert "wl-2010-02-08" in keys
    assert keys.isdisjoint({"wl-2010-04", "wl-2010-06", "call-2010-03", "wl-2009-12", "workshop-2015-05"})
    calendar = icalendar.Calendar.from_ical(gmg_feed())
    summaries = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert any("First GMG working level meeting of 2010" in s for s in summaries)
    assert not any("Second GMG working level meeting of 2010" in s for s in summaries)
    assert not any("Third GMG working level meeting of 2010" in s for s in summaries)


def test_the_month_calendar_lists_a_meeting_without_a_day_above_the_days(client, gmg_record):
    client.force_login(make_person("reader"))
    page = client.get(reverse("register:meeting_calendar_month", args=[2010, 6]))
    assert page.status_code == 200
    above, _, grid = page.text.partition("<table")
    assert "In June 2010, day not known" in above
    assert "Third GMG working level meeting of 2010" in above
    assert "Third GMG working level meeting of 2010" not in grid
    april = client.get(reverse("register:meeting_calendar_month", args=[2010, 4])).text
    assert "Second GMG working level meeting of 2010" in april.partition("<table")[0]


def test_a_meeting_kept_from_the_form_with_a_month_is_held_at_that_precision(client, db):
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    url = reverse("meetings:meeting_create")
    data = {
        **form_as_opened(client, url),
        "title": "Working-level meeting",
        "kind": Meeting.Kind.WORKING_LEVEL,
        "status": Meeting.Status.PLANNED,
        "starts_on": "2027-06-01",
        "date_as_written": "June 2027",
        "date_tentative": "on",
    }
    assert client.post(url, data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.date_precision == DatePrecision.MONTH
    assert meeting.when == "June 2027 (date not fixed)"
    page = client.get(meeting.get_absolute_url()).text
    assert "June 2027 (date not fixed)" in page
    # Fixing the day later makes it a day again.
    meeting.starts_on, meeting.date_as_written, meeting.date_tentative = date(2027, 6, 9), "9 June 2027", False
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.date_precision == DatePrecision.DAY and meeting.on_a_day
