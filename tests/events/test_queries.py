"""The calendar of events' pages read the record in a fixed number of queries, whatever its size."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Contribution, ExternalEvent, InputRequest
from groups.models import Person
from tests.factories import make_action_point, make_agency, make_meeting, make_person, make_term

DAY = date(2014, 4, 15)


def grow(size: int, agencies) -> None:
    """Add `size` events, each with an input request of every agency, half of them answered, and meetings."""
    for n in range(size):
        event = ExternalEvent.objects.create(
            name=f"GFMD thematic meeting {n}", kind="gfmd", starts_on=date(2014, 4, 1 + n), ends_on=date(2014, 4, 2 + n)
        )
        for k in range(2):
            asked = InputRequest.objects.create(event=event, asked=f"Input {n}.{k}", due_on=date(2014, 4, 1 + n))
            asked.agencies.set(agencies)
            for agency in agencies[: len(agencies) // 2 + k]:
                Contribution.objects.create(request=asked, agency=agency, text="Ours.", submitted_on=date(2014, 3, 30))
        meeting = make_meeting(date(2014, 4, 3 + n), title=f"Meeting {n}")
        make_action_point(meeting, agencies[n % len(agencies)], due_on=date(2014, 4, 10 + n), text=f"Action {n}")


@pytest.fixture
def record(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    agencies = [make_agency(a) for a in ("ILO", "IOM", "UNHCR", "UNODC")]
    make_term(agencies[0], date(2014, 1, 1), date(2014, 12, 31))
    grow(1, agencies)
    support = make_person("support", role=Person.Role.SUPPORT, agency=agencies[0])
    return {"agencies": agencies, "support": support}


PAGES = {
    "event_list": lambda: reverse("events:event_list"),
    "event_detail": lambda: ExternalEvent.objects.order_by("pk").first().get_absolute_url(),
    "request_detail": lambda: InputRequest.objects.order_by("pk").first().get_absolute_url(),
    "calendar_with_deadlines": lambda: reverse("register:meeting_calendar_month", args=[2014, 4]) + "?deadlines=on",
}


def count_queries(client, url) -> int:
    """What the page reads when nothing of it is kept (the record just changed: kit.record_version)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize("name", PAGES)
@time_machine.travel(DAY, tick=False)
def test_a_page_reads_the_same_number_of_queries_for_a_small_and_a_large_record(client, record, name):
    client.force_login(record["support"])
    url = PAGES[name]()
    count_queries(client, url)  # warm the session and the content types
    small = count_queries(client, url)
    grow(8, record["agencies"])
    large = count_queries(client, url)
    assert small == large, f"{name}: {small} queries with a small record, {large} with a large one"
    assert large == PINNED[name], f"{name}: {large} queries, pinned at {PINNED[name]}"


# The number of queries each page makes today (the layout: 3). The list reads the record's version (+1: the list
# and the calendar are kept under it, kit.record_version) and the events with their number of requests (+1); the
# event page the event, its requests, their agencies and contributions (+4); the request page the request with
# its event, the agencies asked and the contributions with their authors (+3); each of the two shows a History
# panel of the record and the rows that belong to it (kit.audit.record_history: +6); the calendar with its
# deadlines reads the stored register (`register.reading.obligations`, every kind but meetings: its rows and
# their agencies, +2) on top of the month's meetings and events.
PINNED = {
    "event_list": 5,
    "event_detail": 13,
    "request_detail": 12,
    "calendar_with_deadlines": 9,
}


@pytest.mark.parametrize("name", ["event_list", "calendar_with_deadlines"])
@time_machine.travel(DAY, tick=False)
def test_a_kept_page_reads_only_the_reader_and_the_version_while_the_record_does_not_change(client, record, name):
    """Once kept: the session, the person, the record's version and the layout's bell."""
    client.force_login(record["support"])
    url = PAGES[name]()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 4
