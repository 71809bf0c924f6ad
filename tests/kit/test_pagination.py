"""Every list shows a page at a time with its count; the page links and "show all" keep the list's filters."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from groups.models import Person
from kit.pagination import PER_PAGE
from meetings.models import Meeting
from tests.factories import make_action_point, make_activity, make_agency, make_meeting, make_person, make_workplan
from workplans.models import Output, WorkStream

DAY = date(2015, 6, 15)


@pytest.fixture
def support(db, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = make_person("support", role=Person.Role.SUPPORT)
    client.force_login(person)
    return person


def test_the_meeting_list_pages_keep_the_filters_and_show_all_shows_every_match(client, support):
    for n in range(PER_PAGE + 5):
        make_meeting(date(2015, 1, 1 + n % 28), title=f"Expert round {n}", kind=Meeting.Kind.EXPERT, status="held")
    make_meeting(date(2015, 3, 1), title="A workshop", kind=Meeting.Kind.WORKSHOP, status="held")
    url = reverse("meetings:meeting_list")
    page = client.get(url, {"kind": "expert", "year": "2015"}).content.decode()
    assert f"{PER_PAGE + 5} meetings match the filters" in page
    assert 'href="?kind=expert&amp;year=2015&amp;page=2"' in page
    assert 'href="?kind=expert&amp;year=2015&amp;all=1"' in page
    second = client.get(url, {"kind": "expert", "year": "2015", "page": "2"}).content.decode()
    assert second.count("Expert round") == 5 and "A workshop" not in second
    whole = client.get(url, {"kind": "expert", "year": "2015", "all": "1"}).content.decode()
    assert whole.count("Expert round") == PER_PAGE + 5 and "A workshop" not in whole
    assert 'href="?kind=expert&amp;year=2015"' in whole  # back to the pages, the filters kept


def test_my_agency_s_activities_come_a_page_at_a_time_with_the_filters_kept(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    iom = make_agency("IOM")
    plan = make_workplan(slug="mawp")
    stream = WorkStream.objects.create(workplan=plan, position=1, title="Data")
    output = Output.objects.create(stream=stream, year=2014, position=1, title="Output")
    for n in range(PER_PAGE + 3):
        make_activity(output=output, lead_agencies=[iom], status="delayed", description=f"Delayed survey {n}")
    make_activity(output=output, lead_agencies=[iom], status="planned", description="A planned review")
    client.force_login(make_person("fp", role=Person.Role.FOCAL_POINT, agency=iom))
    url = reverse("workplans:my_activities")
    first = client.get(url, {"status": "delayed"}).content.decode()
    assert f"{PER_PAGE + 3} activities" in first and first.count("Delayed survey") == PER_PAGE
    assert 'href="?status=delayed&amp;page=2"' in first
    second = client.get(url, {"status": "delayed", "page": "2"}).content.decode()
    assert second.count("Delayed survey") == 3 and "A planned review" not in second
    whole = client.get(url, {"status": "delayed", "all": "1"}).content.decode()
    assert whole.count("Delayed survey") == PER_PAGE + 3


@time_machine.travel(DAY, tick=False)
def test_the_dashboard_lists_the_first_overdue_action_points_with_their_count_and_a_link_to_all(client, support):
    from overview.views import POINTS_SHOWN

    ilo = make_agency("ILO")
    meeting = make_meeting(date(2015, 1, 10), title="Working-level meeting", status="held")
    for n in range(POINTS_SHOWN + 4):
        make_action_point(meeting, ilo, due_on=date(2015, 2, 1 + n), text=f"Send the note {n}")
    page = client.get(reverse("dashboard"), {"on": DAY.isoformat()}).content.decode()
    assert page.count("Send the note") == POINTS_SHOWN
    assert f'data-count="overdue-points">{POINTS_SHOWN + 4}<' in page
    assert f"All {POINTS_SHOWN + 4} overdue action points" in page
    whole = client.get(reverse("dashboard"), {"on": DAY.isoformat(), "show": "points"}).content.decode()
    assert whole.count("Send the note") == POINTS_SHOWN + 4


def test_the_action_points_come_a_page_at_a_time_with_the_filters_kept_and_the_carrying_counted(client, support):
    from tests.factories import make_group

    ilo = make_agency("ILO")
    group = make_group(slug="tf-dw")
    raised = make_meeting(date(2015, 1, 10), title="Task force meeting", group=group, status="held")
    make_meeting(date(2015, 2, 10), title="Task force follow-up", group=group, status="held")
    gmg = make_meeting(date(2015, 1, 12), title="GMG meeting", status="held")
    for n in range(PER_PAGE + 2):
        make_action_point(raised, ilo, due_on=date(2015, 3, 1), text=f"Task force point {n}")
    make_action_point(gmg, ilo, text="A GMG point")
    url = reverse("meetings:action_point_list")
    query = {"status": "open", "group": "tf-dw", "on": "2015-06-15"}
    first = client.get(url, query).content.decode()
    assert f"{PER_PAGE + 2} action points" in first and first.count("Task force point") == PER_PAGE
    assert "A GMG point" not in first
    assert 'href="?status=open&amp;group=tf-dw&amp;on=2015-06-15&amp;page=2"' in first
    assert 'href="?status=open&amp;group=tf-dw&amp;on=2015-06-15&amp;all=1"' in first
    # Each point on a page is still carried by the later meeting of its own body (not the GMG's meeting).
    assert first.count("1 meeting<") == PER_PAGE
    second = client.get(url, {**query, "page": "2"}).content.decode()
    assert second.count("Task force point") == 2 and "1 meeting<" in second
    whole = client.get(url, {**query, "all": "1"}).content.decode()
    assert whole.count("Task force point") == PER_PAGE + 2


def test_the_review_queue_of_a_round_comes_a_page_at_a_time(client, support):
    from tests.factories import make_update
    from workplans.models import ActivityUpdate, ReportingRound

    iom = make_agency("IOM")
    plan = make_workplan(slug="mawp")
    stream = WorkStream.objects.create(workplan=plan, position=1, title="Data")
    output = Output.objects.create(stream=stream, year=2014, position=1, title="Output")
    round_ = ReportingRound.objects.create(
        title="First half",
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )
    for n in range(23):
        activity = make_activity(
            output=output,
            lead_agencies=[iom],
            starts_on=date(2014, 1, 1),
            ends_on=date(2014, 12, 31),
            description=f"Survey {n}",
        )
        make_update(activity, iom, reported_on=date(2014, 6, 1), review=ActivityUpdate.Review.SUBMITTED)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Updates to review (23)" in page
    assert 'href="?page=2"' in page and 'href="?all=1"' in page
    whole = client.get(round_.get_absolute_url(), {"all": "1"}).content.decode()
    assert whole.count('id="update-') > page.count('id="update-')


def test_a_link_built_from_one_reversed_address_is_the_address_reverse_gives():
    from django.template import engines
    from django.urls import clear_script_prefix, reverse, set_script_prefix

    link = engines["django"].from_string("{% load links %}{% pk_url 'workplans:activity_edit' 42 %}")
    assert link.render({}) == reverse("workplans:activity_edit", args=[42]) == "/workplans/activities/42/edit/"
    set_script_prefix("/portal/")  # served under a prefix: the prefix is kept apart
    try:
        assert (
            link.render({}) == reverse("workplans:activity_edit", args=[42]) == "/portal/workplans/activities/42/edit/"
        )
    finally:
        clear_script_prefix()
    assert link.render({}) == "/workplans/activities/42/edit/"
