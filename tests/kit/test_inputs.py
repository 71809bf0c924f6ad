"""Days and one-line text from people: a far date is refused with a message (never a 500), a line break in a
title is refused by the pages and by the admin alike, by the one rule in `kit.inputs`."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from groups.models import Person
from kit.inputs import parse_day
from meetings.models import Meeting
from tests.factories import make_agency, make_meeting, make_person, make_term


@pytest.fixture
def viewer(client, db):
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    return client


@pytest.fixture
def support(client, db):
    person = make_person("support", role=Person.Role.SUPPORT, is_staff=True, is_superuser=True)
    client.force_login(person)
    return client


@pytest.mark.parametrize("text", ["9999-12-31", "9998-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
def test_a_day_outside_the_portals_range_is_refused_with_the_range(text):
    with pytest.raises(ValidationError, match="give a day between 1900 and 2200"):
        parse_day(text)


@pytest.mark.parametrize("text", ["2015-02-31", "15/06/2015", "", "2015-6-1", "20150601", "2015-06-15\x00"])
def test_a_day_that_is_not_written_as_a_date_is_refused(text):
    with pytest.raises(ValidationError, match="is not a date"):
        parse_day(text)


def test_a_day_in_range_is_read():
    assert parse_day(" 2015-06-15 ") == date(2015, 6, 15)
    assert parse_day("1900-01-01") == date(1900, 1, 1)
    assert parse_day("2200-12-31") == date(2200, 12, 31)


@pytest.mark.parametrize("far", ["9999-12-31", "9998-12-31", "0001-01-01"])
def test_the_dashboard_as_of_a_far_day_says_so_instead_of_failing(viewer, far):
    make_term(make_agency("ILO"), date(2015, 1, 1), date(2015, 12, 31))
    response = viewer.get(reverse("dashboard"), {"on": far})
    assert response.status_code == 400
    assert "outside the dates the portal keeps" in response.text


@pytest.mark.parametrize("far", ["9999-12-31", "9998-12-31"])
def test_the_activities_behind_a_dashboard_number_refuse_a_far_day(viewer, far):
    response = viewer.get(reverse("dashboard_activities"), {"on": far})
    assert response.status_code == 400
    assert "outside the dates the portal keeps" in response.text


def test_the_troika_command_refuses_a_far_day():
    with pytest.raises(CommandError, match="--on '9999-12-31': .*between 1900 and 2200"):
        call_command("troika", on="9999-12-31")


def test_a_meeting_title_with_a_line_break_is_refused_by_the_model(db):
    meeting = make_meeting(date(2015, 5, 4))
    meeting.title = "Working-level meeting\r\nBEGIN:VEVENT"
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert "title" in refused.value.message_dict


def test_a_meeting_title_with_a_line_break_is_refused_in_the_admin(support):
    meeting = make_meeting(date(2015, 5, 4), title="Working-level meeting")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = support.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(title="Working-level\nmeeting", kind=meeting.kind, status=meeting.status, starts_on="2015-05-04")
    response = support.post(url, data)
    assert response.status_code == 200  # the admin shows the form again with the error
    assert "Write this on one line" in response.text
    assert Meeting.objects.get(pk=meeting.pk).title == "Working-level meeting"


def test_a_far_day_is_refused_by_the_model(db):
    meeting = make_meeting(date(2015, 5, 4))
    meeting.starts_on = date(9999, 12, 31)
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert "outside the dates the portal keeps" in str(refused.value.message_dict["starts_on"])


def test_a_title_kept_with_a_line_break_from_before_the_rule_still_makes_a_one_line_invitation(db):
    from reminders.calendar import invitation

    meeting = make_meeting(date(2015, 5, 4), venue="Geneva\nPalais des Nations")
    Meeting.objects.filter(pk=meeting.pk).update(title="Working-level\r\nmeeting\nBEGIN:VEVENT")
    ics = invitation(Meeting.objects.get(pk=meeting.pk)).decode()
    assert "SUMMARY:Working-level meeting BEGIN:VEVENT" in ics
    assert "LOCATION:Geneva Palais des Nations" in ics
    assert [line for line in ics.splitlines() if line == "BEGIN:VEVENT"] == ["BEGIN:VEVENT"]
