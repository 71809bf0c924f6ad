"""The chair dashboard's numbers, checked against the GMG's record and against factories."""

from collections import Counter
from datetime import date
from urllib.parse import urlparse

import pytest
import time_machine
from django.urls import reverse

from chairs.services import troika_on
from groups.models import Group, Person
from kit.as_of import with_as_of
from kit.pagination import PER_PAGE
from meetings.models import Meeting
from tests.factories import (
    make_action_point,
    make_activity,
    make_agency,
    make_group,
    make_meeting,
    make_person,
    make_term,
)
from workplans.models import Activity, WorkPlan

ON = date(2015, 6, 15)


@pytest.fixture
def viewer(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    return client


def dashboard(client, on=ON):
    return client.get(reverse("dashboard"), {"on": on.isoformat()})


def test_the_troika_of_15_june_2015_is_ilo_the_world_bank_and_the_next_chair(viewer, gmg_record):
    context = dashboard(viewer).context
    troika = context["troika"]
    assert troika.previous.agency.acronym == "ILO"
    assert troika.current.agency.acronym == "World Bank"
    expected = troika_on(ON)
    assert troika.next_agency == expected.next_agency
    page = dashboard(viewer).text
    current = page[page.index('data-troika="current"') :][:400]
    assert "World Bank" in current


def test_a_proposed_next_chair_is_marked_proposed(viewer, db):
    ilo = make_agency("ILO", sort_name="International Labour")
    make_agency("IOM", sort_name="International Org")
    make_term(ilo, date(2030, 1, 1), date(2030, 12, 31))
    response = viewer.get(reverse("dashboard"), {"on": "2030-06-01"})
    assert response.context["troika"].next_is_proposed
    following = response.text[response.text.index('data-troika="next"') :][:600]
    assert "IOM" in following and "proposed" in following


def test_the_chairs_obligations_are_those_of_the_2015_term_with_their_states(viewer, gmg_record):
    obligations = dashboard(viewer).context["term_obligations"]
    assert [o.kind for o in obligations] == [
        "letter_of_commitment",
        "annual_workplan",
        "principals_meeting",
        "annual_report",
    ]
    report = obligations[-1]
    assert report.due == date(2016, 2, 29)
    assert report.state == "upcoming"


def test_progress_by_stream_counts_the_mawp_activities_by_status(viewer, gmg_record):
    context = dashboard(viewer).context
    mawp = WorkPlan.objects.get(slug="mawp-2013-2015")
    assert [p.slug for p in context["plans"]] == ["mawp-2013-2015"]
    rows = context["by_stream"]
    assert len(rows) == mawp.streams.count()
    for row, stream in zip(rows, mawp.streams.order_by("position"), strict=True):
        statuses = Counter(Activity.objects.filter(output__stream=stream).values_list("status", flat=True))
        assert dict(row.counts) == dict(statuses)
        assert row.overdue == Activity.objects.overdue_on(ON).filter(output__stream=stream).count()
    # The chart's data island carries the same numbers as the table.
    chart = context["chart"]
    planned = next(d for d in chart["datasets"] if d["status"] == "planned")
    assert planned["data"] == [row.counts["planned"] for row in rows]


def test_every_number_of_a_stream_links_to_exactly_the_activities_behind_it(viewer, gmg_record):
    context = dashboard(viewer).context
    row = context["by_stream"][0]
    for status, _label, count, url in row.cells:
        listed = viewer.get(url).context["listing"]
        assert listed.count == count, status
    overdue = viewer.get(f"{row.overdue_url}&all=1").context["activities"]
    assert {a.pk for a in overdue} == set(
        Activity.objects.overdue_on(ON).filter(output__stream_id=row.stream_id).values_list("pk", flat=True)
    )
    assert f'href="{row.overdue_url.replace("&", "&amp;")}"' in dashboard(viewer).text


def test_overdue_activities_are_those_of_the_running_plans_past_their_end(viewer, gmg_record):
    context = dashboard(viewer).context
    expected = Activity.objects.overdue_on(ON).filter(output__stream__workplan__slug="mawp-2013-2015")
    assert context["overdue_count"] == expected.count() > 0
    assert [a.pk for a in context["overdue"]] == list(expected.order_by("ends_on", "pk").values_list("pk", flat=True))[
        :12
    ]
    all_overdue = viewer.get(context["overdue_all_url"]).context["listing"]
    assert all_overdue.count == expected.count()
    assert len(all_overdue.rows) == min(expected.count(), PER_PAGE)


def test_groups_health_counts_the_meetings_held_this_year_to_the_day(viewer, db):
    ilo = make_agency("ILO")
    group = make_group(co_chairs=[ilo], slug="tf-dw", established_on=date(2013, 7, 3), min_meetings=3)
    for day in (date(2015, 2, 1), date(2015, 5, 1)):
        make_meeting(day, kind=Meeting.Kind.GROUP, group=group, status=Meeting.Status.HELD)
    make_meeting(date(2015, 9, 1), kind=Meeting.Kind.GROUP, group=group, status=Meeting.Status.HELD)  # after the day
    make_meeting(date(2014, 9, 1), kind=Meeting.Kind.GROUP, group=group, status=Meeting.Status.HELD)  # the year before
    row = next(r for r in dashboard(viewer).context["groups_health"] if r.group == group)
    assert (row.held, row.minimum, row.short) == (2, 3, True)
    assert row.next_review is None or row.next_review >= ON
    listed = viewer.get(row.meetings_url).context["listing"].count
    assert listed == 3  # the list shows the whole year's held meetings; the dashboard counts those to the day


def test_the_decent_work_task_force_owes_two_meetings_in_2016_under_its_new_terms_of_reference(viewer, gmg_record):
    rows = dashboard(viewer, on=date(2016, 6, 1)).context["groups_health"]
    decent_work = next(r for r in rows if r.group.slug == "tf-decent-work")
    assert decent_work.minimum == 2


def test_overdue_action_points_and_the_next_meetings_come_from_the_register(viewer, db):
    ilo = make_agency("ILO")
    meeting = make_meeting(date(2015, 5, 4), title="Working-level meeting", status=Meeting.Status.HELD)
    late = make_action_point(meeting, ilo, text="Send the concept note", due_on=date(2015, 6, 1))
    make_action_point(
        meeting, ilo, text="Done already", due_on=date(2015, 6, 1), status="done", done_on=date(2015, 6, 1)
    )
    coming = make_meeting(date(2015, 7, 13), title="Side event at the FfD conference")
    make_meeting(date(2015, 9, 1), title="Too far ahead")
    context = dashboard(viewer).context
    assert [p.pk for p in context["overdue_points"]] == [late.pk]
    titles = [o.title for o in context["coming"]]
    assert any(coming.title in t for t in titles)
    assert not any("Too far ahead" in t for t in titles)
    page = dashboard(viewer).text
    # Each link carries the dashboard's day (kit.as_of).
    assert with_as_of(late.get_absolute_url(), ON) in page and with_as_of(coming.get_absolute_url(), ON) in page


def test_the_latest_updates_are_those_reported_by_the_day(viewer, db):
    from workplans.models import ActivityUpdate

    ilo = make_agency("ILO")
    activity = make_activity(lead_agencies=[ilo])
    before = ActivityUpdate.objects.create(
        activity=activity, agency=ilo, reported_on=date(2015, 6, 1), status="on_track", narrative="On track."
    )
    ActivityUpdate.objects.create(
        activity=activity, agency=ilo, reported_on=date(2015, 7, 1), status="delayed", narrative="Later."
    )
    assert [u.pk for u in dashboard(viewer).context["latest_updates"]] == [before.pk]


def test_a_date_that_cannot_be_read_is_told_and_today_is_shown(viewer, db):
    with time_machine.travel(date(2016, 3, 1), tick=False):
        response = viewer.get(reverse("dashboard"), {"on": "15/06/2015"})
    assert response.status_code == 400
    assert "is not a date: write it as YYYY-MM-DD" in response.text
    assert response.context["day"] == date(2016, 3, 1)


def test_the_dashboard_has_no_inline_script(viewer, db):
    response = viewer.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Chair dashboard" in response.text
    assert "<script>" not in response.text
    assert 'id="progress-data"' not in response.text or 'type="application/json"' in response.text


def test_the_activity_list_behind_a_number_refuses_unknown_filters_plainly(viewer, db):
    response = viewer.get(reverse("dashboard_activities"), {"on": "2015-06-15", "status": "sleeping", "stream": "x"})
    assert response.status_code == 400
    assert "“sleeping” is not a status" in response.text
    assert "There is no work stream “x”" in response.text


def test_progress_by_group_counts_the_streams_it_leads(viewer, db):
    from tests.factories import make_workplan
    from workplans.models import Output, WorkStream

    ilo = make_agency("ILO")
    group = make_group(co_chairs=[ilo], slug="tf-dw")
    plan = make_workplan(slug="mawp")
    stream = WorkStream.objects.create(workplan=plan, position=1, title="Decent work", lead_group=group)
    output = Output.objects.create(stream=stream, year=2015, position=1, title="Output")
    make_activity(output=output, status="delayed", ends_on=date(2015, 3, 1))
    make_activity(output=output, status="completed", ends_on=date(2015, 3, 1))
    row = dashboard(viewer).context["by_group"][0]
    assert row.label == str(group)
    assert (row.counts["delayed"], row.counts["completed"], row.overdue) == (1, 1, 1)
    listed = viewer.get(row.link(status="delayed")).context["activities"]
    assert [a.status for a in listed] == ["delayed"]
    assert urlparse(row.link()).path == reverse("dashboard_activities")
    assert Group.objects.count() == 1
