"""Calendar feeds and invitations, read back with the real icalendar parser."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from groups.models import Person
from meetings.models import Meeting
from reminders import calendar
from reminders.feeds import token_renew
from reminders.models import CalendarToken
from tests.factories import make_action_point, make_agency, make_group, make_meeting, make_person, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def early_2030():
    """Feeds reach two years ahead of today; the record below is of 2030."""
    with time_machine.travel(datetime(2030, 2, 1, 9, tzinfo=ZoneInfo("Europe/Zurich")), tick=False):
        yield


@pytest.fixture
def record():
    ilo, undp, who = make_agency("ILO"), make_agency("UNDP"), make_agency("WHO")
    group = make_group(slug="decent-work", co_chairs=[ilo], name="TF on Migration and Decent Work")
    make_term(ilo, date(2030, 1, 1), date(2030, 12, 31))
    return {
        "ilo": ilo,
        "undp": undp,
        "group": group,
        "ilo_fp": make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo),
        "who_fp": make_person("who_fp", role=Person.Role.FOCAL_POINT, agency=who),
        "gmg_meeting": make_meeting(date(2030, 3, 10), title="Working level meeting", start_time=time(14, 30)),
        "group_meeting": make_meeting(
            date(2030, 4, 2), title="Decent Work TF meeting", kind=Meeting.Kind.GROUP, group=group, venue="Geneva"
        ),
        "undp_meeting": make_meeting(date(2030, 5, 5), title="UNDP-only workshop", group=None),
        "point": make_action_point(
            make_meeting(date(2030, 1, 5)), ilo, due_on=date(2030, 6, 30), text="Send the draft"
        ),
    }


def events(content: bytes) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(content).walk("VEVENT")}


def test_an_invitation_has_a_stable_uid_the_meetings_sequence_and_its_time_zone(record):
    meeting = record["gmg_meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(sequence=3)
    meeting.refresh_from_db()
    parsed = Calendar.from_ical(calendar.invitation(meeting))
    event = parsed.walk("VEVENT")[0]
    assert parsed["METHOD"] == "REQUEST"
    assert event["UID"] == f"meeting-{meeting.pk}@gmg-portal" and event["SEQUENCE"] == 3
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (14, 30, "Europe/Zurich")
    assert parsed.walk("VTIMEZONE")
    assert str(event["URL"]).endswith(f"/meetings/{meeting.pk}/")


def test_a_cancellation_says_cancel_and_cancelled(record):
    parsed = Calendar.from_ical(calendar.invitation(record["gmg_meeting"], method="CANCEL"))
    assert (parsed["METHOD"], parsed.walk("VEVENT")[0]["STATUS"]) == ("CANCEL", "CANCELLED")


def test_a_person_subscribes_to_their_feed_and_sees_their_meetings_and_deadlines(client, record):
    record["undp_meeting"].attendees.add(record["undp"])
    token = token_renew(person=record["ilo_fp"])
    response = client.get(reverse("reminders:person_feed", args=[token.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    found = events(response.content)
    assert {"Working level meeting", "Decent Work TF meeting"} <= set(found)
    assert "UNDP-only workshop" not in found
    report = next(e for summary, e in found.items() if "annual report on the 2030 term" in summary)
    assert report.decoded("DTSTART") == date(2031, 2, 28)  # all day, two months after the term ends
    assert "Send the draft" in " ".join(found)
    assert all(str(e["URL"]).startswith("http") for e in found.values())


def test_a_revoked_or_unknown_token_shows_nothing(client, record):
    token = token_renew(person=record["ilo_fp"])
    renewed = token_renew(person=record["ilo_fp"])
    assert client.get(reverse("reminders:person_feed", args=[token.token])).status_code == 404
    assert client.get(reverse("reminders:person_feed", args=[renewed.token])).status_code == 200
    assert client.get(reverse("reminders:person_feed", args=["not-a-token"])).status_code == 404


def test_the_group_and_gmg_feeds_are_for_signed_in_people_or_a_live_token(client, record):
    group_url = reverse("reminders:group_feed", args=["decent-work"])
    gmg_url = reverse("reminders:gmg_feed")
    assert client.get(group_url).status_code == 403
    assert client.get(gmg_url).status_code == 403
    token = token_renew(person=record["who_fp"])
    # The token travels in the path, never in the query string (which access logs keep).
    assert client.get(group_url, {"token": token.token}).status_code == 403
    group = events(client.get(reverse("reminders:group_feed_token", args=["decent-work", token.token])).content)
    assert "Decent Work TF meeting" in group and "Working level meeting" not in group
    assert any("at least 3 meetings in 2030" in summary for summary in group)
    client.force_login(record["who_fp"])
    whole = events(client.get(gmg_url).content)
    assert {"Working level meeting", "Decent Work TF meeting", "UNDP-only workshop"} <= set(whole)
    assert client.get(reverse("reminders:group_feed", args=["no-such-group"])).status_code == 404
    client.logout()
    assert client.get(reverse("reminders:gmg_feed_token", args=[token.token])).status_code == 200
    token_renew(person=record["who_fp"])
    assert client.get(reverse("reminders:gmg_feed_token", args=[token.token])).status_code == 404


def test_the_feed_page_gives_the_shared_feeds_with_the_token_in_their_path(client, record):
    client.force_login(record["ilo_fp"])
    token = token_renew(person=record["ilo_fp"])
    page = client.get(reverse("reminders:subscribe")).content.decode()
    assert reverse("reminders:gmg_feed_token", args=[token.token]) in page
    assert reverse("reminders:group_feed_token", args=["decent-work", token.token]) in page
    assert "?token=" not in page


def test_the_feed_page_creates_regenerates_and_revokes_the_address(client, record):
    client.force_login(record["ilo_fp"])
    page = reverse("reminders:subscribe")
    assert "You have no calendar address yet" in client.get(page).content.decode()
    response = client.post(page, {"action": "regenerate"}, follow=True)
    first = CalendarToken.objects.get(person=record["ilo_fp"], revoked_at__isnull=True)
    assert first.token in response.content.decode() and "A new calendar address is ready" in response.content.decode()
    client.post(page, {"action": "regenerate"})
    second = CalendarToken.objects.get(person=record["ilo_fp"], revoked_at__isnull=True)
    assert second.token != first.token
    response = client.post(page, {"action": "revoke"}, follow=True)
    assert "revoked" in response.content.decode()
    assert not CalendarToken.objects.filter(revoked_at__isnull=True).exists()
    assert client.post(page, {"action": "delete-everything"}).status_code == 400


def test_the_feed_page_needs_a_signed_in_person(client):
    response = client.get(reverse("reminders:subscribe"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_gmg_feed_of_the_real_record_holds_its_history(client, gmg_record):
    client.force_login(make_person("reader"))
    parsed = Calendar.from_ical(client.get(reverse("reminders:gmg_feed")).content)
    principals = Meeting.objects.get(key="principals-2013-07-03")
    by_uid = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    event = by_uid[f"meeting-{principals.pk}@gmg-portal"]
    assert event.decoded("DTSTART") == date(2013, 7, 3)
    # The ILO's 2014 annual report: due two months after its term ends (Annex I, working level ix).
    report = next(e for e in by_uid.values() if str(e["SUMMARY"]) == "Due: ILO: annual report on the 2014 term")
    assert report.decoded("DTSTART") == date(2015, 2, 28)
