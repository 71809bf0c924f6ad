"""Every list and the dashboard read the record in a fixed number of queries, whatever its size."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Person
from meetings.models import AgendaItem, Meeting
from tests.factories import (
    make_action_point,
    make_activity,
    make_agency,
    make_decision,
    make_group,
    make_meeting,
    make_person,
    make_term,
    make_workplan,
)
from workplans.models import ActivityUpdate, Output, ReportingRound, WorkStream

DAY = date(2015, 6, 15)


def grow(size: int, agencies, group, plan) -> None:
    """Add `size` of everything: streams, outputs, activities, updates, meetings, decisions, action points."""
    for n in range(size):
        stream = WorkStream.objects.create(
            workplan=plan, position=plan.streams.count() + 1, title=f"Stream {n}", lead_group=group
        )
        output = Output.objects.create(stream=stream, year=2015, position=1, number="Output 1", title=f"Output {n}")
        for k in range(3):
            activity = make_activity(
                output=output,
                lead_agencies=agencies[k % 2 : k % 2 + 1],
                partners=agencies[2:3],
                ends_on=date(2015, 3, 1 + k),
                status=["planned", "delayed", "on_track"][k],
                description=f"Migration activity {n}.{k}",
            )
            ActivityUpdate.objects.create(
                activity=activity, agency=agencies[0], reported_on=date(2015, 5, 1), status="delayed", narrative="Late."
            )
        meeting = make_meeting(
            date(2015, 5, 1 + n), title=f"Migration meeting {n}", kind=Meeting.Kind.GROUP, group=group, status="held"
        )
        meeting.attendees.set(agencies)
        AgendaItem.objects.create(meeting=meeting, position=1, title="Welcome")
        make_decision(meeting, "1", title=f"Migration decision {n}", trial_months=12, review_on=date(2016, 5, 1))
        make_action_point(meeting, agencies[n % 3], due_on=date(2015, 6, 1 + n), text=f"Migration action {n}")
        make_person(f"fp-{size}-{n}", role=Person.Role.FOCAL_POINT, agency=agencies[n % 3])
        ReportingRound.objects.create(
            title=f"Round {size}-{n}",
            period_starts_on=date(2015, 1, 1),
            period_ends_on=date(2015, 3, 31),
            due_on=date(2015, 6, 20 + n % 5),
        )


@pytest.fixture
def record(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    agencies = [make_agency(a) for a in ("ILO", "IOM", "UNODC")]
    make_term(agencies[0], date(2014, 1, 1), date(2014, 12, 31))
    make_term(agencies[1], date(2015, 1, 1), date(2015, 12, 31))
    make_term(agencies[2], date(2016, 1, 1), date(2016, 12, 31), kind="planned")
    group = make_group(co_chairs=agencies[:2], slug="tf-dw", established_on=date(2013, 7, 3))
    plan = make_workplan(slug="mawp")
    support = make_person("support", role=Person.Role.SUPPORT, agency=agencies[0])
    grow(1, agencies, group, plan)
    return {"agencies": agencies, "group": group, "plan": plan, "support": support}


PAGES = {
    "dashboard": lambda r: f"{reverse('dashboard')}?on={DAY}",
    "dashboard_activities": lambda r: f"{reverse('dashboard_activities')}?on={DAY}&status=delayed",
    "search": lambda r: f"{reverse('search')}?q=migration",
    "meeting_list": lambda r: reverse("meetings:meeting_list"),
    "meeting_list_filtered": lambda r: f"{reverse('meetings:meeting_list')}?group=tf-dw&year=2015&status=held",
    "meeting_calendar": lambda r: reverse("meetings:meeting_calendar_month", args=[2015, 5]),
    "meeting_detail": lambda r: Meeting.objects.order_by("pk").first().get_absolute_url(),
    "decision_list": lambda r: reverse("meetings:decision_list"),
    "agency_list": lambda r: reverse("groups:agency_list"),
    "agency_detail": lambda r: r["agencies"][0].get_absolute_url(),
    "group_list": lambda r: reverse("groups:group_list"),
    "group_detail": lambda r: r["group"].get_absolute_url(),
    "term_list": lambda r: reverse("chairs:term_list"),
}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize("name", PAGES)
@time_machine.travel(DAY, tick=False)
def test_a_page_reads_the_same_number_of_queries_for_a_small_and_a_large_record(client, record, name):
    client.force_login(record["support"])
    url = PAGES[name](record)
    count_queries(client, url)  # warm the session and the content types
    small = count_queries(client, url)
    grow(8, record["agencies"], record["group"], record["plan"])
    large = count_queries(client, url)
    assert small == large, f"{name}: {small} queries with a small record, {large} with a large one"
    assert large == PINNED[name], f"{name}: {large} queries, pinned at {PINNED[name]}"


# The number of queries each page makes today; a change that adds one shows here. (The layout names the
# signed-in person without reading their agency.)
PINNED = {
    "dashboard": 34,
    "dashboard_activities": 6,
    "search": 9,
    "meeting_list": 6,
    "meeting_list_filtered": 7,
    "meeting_calendar": 5,
    "meeting_detail": 9,
    "decision_list": 4,
    "agency_list": 4,
    "agency_detail": 11,
    "group_list": 7,
    "group_detail": 11,
    "term_list": 5,
}
