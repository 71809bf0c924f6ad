"""Every list and the dashboard read the record in a fixed number of queries, whatever its size."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
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
    "search_kind": lambda r: f"{reverse('search')}?q=migration&kind=activities&page=2",
    "meeting_list": lambda r: reverse("meetings:meeting_list"),
    "meeting_list_filtered": lambda r: f"{reverse('meetings:meeting_list')}?group=tf-dw&year=2015&status=held",
    "meeting_calendar": lambda r: reverse("register:meeting_calendar_month", args=[2015, 5]),
    "meeting_detail": lambda r: Meeting.objects.order_by("pk").first().get_absolute_url(),
    "decision_list": lambda r: reverse("meetings:decision_list"),
    "agency_list": lambda r: reverse("groups:agency_list"),
    "agency_detail": lambda r: r["agencies"][0].get_absolute_url(),
    "group_list": lambda r: reverse("groups:group_list"),
    "group_detail": lambda r: r["group"].get_absolute_url(),
    "term_list": lambda r: reverse("chairs:term_list"),
    "action_point_list": lambda r: reverse("meetings:action_point_list"),
    "action_point_list_filtered": lambda r: f"{reverse('meetings:action_point_list')}?status=all&group=tf-dw",
    "audit": lambda r: reverse("audit"),
    "person_list": lambda r: reverse("groups:person_list"),
    "api_activities": lambda r: reverse("api:activity-list"),
    "api_meetings": lambda r: reverse("api:meeting-list"),
    "api_decisions": lambda r: reverse("api:decision-list"),
    "api_workplans": lambda r: reverse("api:workplan-list"),
    "api_agencies": lambda r: reverse("api:agency-list"),
    "api_groups": lambda r: reverse("api:group-list"),
    "api_chair_terms": lambda r: reverse("api:chair-term-list"),
    "deadline_register": lambda r: f"{reverse('register:deadline_register')}?on={DAY}",
    "deadline_register_filtered": lambda r: (
        f"{reverse('register:deadline_register')}?on={DAY}&agency=ILO&kind=action_point&state=all&page=1"
    ),
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
    url = PAGES[name](record)
    count_queries(client, url)  # warm the session and the content types
    small = count_queries(client, url)
    grow(8, record["agencies"], record["group"], record["plan"])
    large = count_queries(client, url)
    assert small == large, f"{name}: {small} queries with a small record, {large} with a large one"
    assert large == PINNED[name], f"{name}: {large} queries, pinned at {PINNED[name]}"


# Once kept (the record unchanged since): the session, the person, the record's version and, on a page of the site (not
# the API), the unread notices of the layout's bell; the register and the action points filtered by an agency or a
# group read it (+1) to check the filter.
KEPT = {
    "search": 4,
    "search_kind": 4,
    "meeting_list": 4,
    "meeting_list_filtered": 4,
    "meeting_calendar": 4,
    "decision_list": 4,
    "agency_list": 4,
    "group_list": 4,
    "term_list": 4,
    "person_list": 4,
    "action_point_list": 4,
    "action_point_list_filtered": 5,
    "audit": 4,
    "deadline_register": 4,
    "deadline_register_filtered": 5,
    "api_activities": 3,
    "api_meetings": 3,
    "api_decisions": 3,
    "api_workplans": 3,
    "api_agencies": 3,
    "api_groups": 3,
    "api_chair_terms": 3,
}


def count_kept_queries(client, url) -> int:
    """What the page reads when the record has not changed since it was last made (kit.record_version)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize("name", [name for name in PAGES if name in KEPT])
@time_machine.travel(DAY, tick=False)
def test_a_kept_page_reads_only_the_reader_and_the_version_while_the_record_does_not_change(client, record, name):
    client.force_login(record["support"])
    url = PAGES[name](record)
    cache.clear()
    small = count_kept_queries(client, url)
    grow(8, record["agencies"], record["group"], record["plan"])
    large = count_kept_queries(client, url)
    assert small == large == KEPT[name], f"{name}: {small} and {large} queries once kept, pinned at {KEPT[name]}"


# The number of queries each page makes today; a change that adds one shows here. (The layout names the
# signed-in person without reading their agency.) A record page's History panel (kit/audit.py) adds, for
# each kind of row it shows, the rows, the versions just before them and one per many-to-many field: the
# meeting page shows the meeting, its agenda items and action points (+8), the group page the group, its
# co-chairs, ToR versions and evaluations (+8), the agency page the agency (+2).
# The agency pages read the membership periods in one query (+1), the agency page its latest updates (+1);
# the rotation reads the periods of every agency in one query (+1 where the troika's proposals are read).
# The troika reads the agencies for the rotation's proposals (the chair after the last actual term may be one,
# chairs.services.chair_succession): +1 on the dashboard and the chair terms list.
# A list shown a page at a time counts its rows (+1 on the dashboard's activities and the decisions); the dashboard
# counts its overdue action points, of which it lists the first (+1). The calendar reads the month's external
# events (+1); the calendar's deadlines
# (`?deadlines=on`) are pinned in tests/events/test_queries.py.
# The action points are shown a page at a time: their count, the page, the held meetings of their bodies (+1 with a
# group: the group named in the filter). The audit page reads the page of changes of every kind of record with
# their people in one query, their rows with the versions before them in one, and names the records whose links
# changed, one query per kind of them (+1: agencies), whatever the number of record models
# (kit/audit.py); the people of its filter are read as values with their agency in one query.
# The API's lists are pages too (their count, the page, one per many-to-many field); the activities' page is sorted
# by id first (+1, api/pagination.py).
# The dashboard reads the stored deadline register for all its panels in three queries (the rows, their counts,
# the agencies); the register page reads its page of rows, their count and agencies, and the agencies to
# filter by (+1 for the agency it is filtered by).
# The archive: the meeting and group pages read their documents (+1, archive/templatetags/archive.py), the search
# the archive's documents as one more kind (+1).
# The dashboard, the search, the action points and the audit trail read the record's version first (+1), to find
# what is kept while the record has not changed (kit.record_version); made afresh as here, they read the rest.
# The search reads each kind's best rows with their count in one query; a kind's own pages count its matches and
# read the page.
# The lists (the meetings, their calendar, the decisions, the agencies, groups, chair terms and people, the
# register, and the API's lists) read the record's version first too (+1), and keep what they show under it.
PINNED = {
    "dashboard": 27,  # its panels made apart (the chair term's duties, the coming deadlines), and the plans it shows
    "dashboard_activities": 7,
    "search": 11,
    "search_kind": 6,
    "meeting_list": 7,
    "meeting_list_filtered": 8,
    "meeting_calendar": 7,
    "meeting_detail": 18,
    "decision_list": 6,
    "agency_list": 6,
    "agency_detail": 15,
    "group_list": 8,
    "group_detail": 20,
    "term_list": 8,
    "action_point_list": 8,
    "action_point_list_filtered": 9,
    "audit": 8,
    "person_list": 6,
    "api_activities": 8,
    "api_meetings": 6,
    "api_decisions": 5,
    "api_workplans": 5,
    "api_agencies": 6,
    "api_groups": 7,
    "api_chair_terms": 5,
    "deadline_register": 8,
    "deadline_register_filtered": 9,
}
