"""The annual report page and the action point list read the record in a fixed number of queries, whatever its
size."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Person
from meetings.models import Meeting
from tests.factories import (
    make_action_point,
    make_activity,
    make_agency,
    make_decision,
    make_group,
    make_meeting,
    make_output,
    make_person,
    make_stream,
    make_term,
    make_update,
    make_workplan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    ilo, iom = make_agency("ILO"), make_agency("IOM")
    return {
        "agencies": [ilo, iom],
        "term": make_term(ilo, date(2014, 1, 1), date(2014, 12, 31)),
        "plan": make_workplan(slug="mawp"),
        "group": make_group(co_chairs=[ilo, iom], slug="tf"),
        "person": make_person("support", role=Person.Role.SUPPORT),
    }


def grow(world, size: int) -> None:
    ilo, iom = world["agencies"]
    for n in range(size):
        stream = make_stream(world["plan"], lead_group=world["group"])
        output = make_output(stream, year=2014)
        for k in range(3):
            activity = make_activity(
                output=output, lead_agencies=[ilo], partners=[iom], ends_on=date(2014, 6, 1), status="on_track"
            )
            make_update(activity, ilo, reported_on=date(2014, 5, 1 + k))
        meeting = make_meeting(
            date(2014, 3, 1 + n), kind=Meeting.Kind.GROUP, group=world["group"], status="held", title=f"TF {n}"
        )
        make_decision(meeting, "1")
        make_action_point(meeting, iom, due_on=date(2014, 4, 1))


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@time_machine.travel(date(2015, 2, 20), tick=False)
def test_the_report_page_reads_in_a_fixed_number_of_queries(client, world):
    client.force_login(world["person"])
    url = reverse("chairs:report", args=[world["term"].pk])
    grow(world, 1)
    small = queries(client, url)
    grow(world, 6)
    assert queries(client, url) == small


@time_machine.travel(date(2015, 2, 20), tick=False)
def test_the_action_point_list_reads_in_a_fixed_number_of_queries(client, world):
    client.force_login(world["person"])
    url = reverse("meetings:action_point_list") + "?status=all"
    grow(world, 1)
    small = queries(client, url)
    grow(world, 6)
    assert queries(client, url) == small


@time_machine.travel(date(2015, 2, 20), tick=False)
def test_a_groups_year_reads_in_a_fixed_number_of_queries(client, world):
    client.force_login(world["person"])
    url = reverse("groups:group_report", args=[world["group"].slug, 2014])
    grow(world, 1)
    small = queries(client, url)
    grow(world, 6)
    assert queries(client, url) == small


@time_machine.travel(date(2015, 2, 20), tick=False)
def test_the_report_is_seen_as_of_the_portals_day(client, world):
    client.force_login(world["person"])
    grow(world, 1)
    url = reverse("chairs:report", args=[world["term"].pk])
    assert "as of 20 February 2015" in client.get(url).text
    page = client.get(url + "?on=2014-06-30")
    assert "as of 30 June 2014" in page.text
    # Activities ending 1 June 2014 are overdue on 30 June 2014; none of the term was overdue a day before it began.
    assert "3 activities, 3 overdue" in page.text
    assert "3 activities." in client.get(url + "?on=2013-12-31").text
