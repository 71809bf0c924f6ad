"""Activities are listed in their plan's order by a stored key (workplans/plan_order.py), which follows every
change of the plan's start, a stream's, an output's or an activity's place, however the change is written."""

from datetime import date

import pytest
from django.db.models import F
from django.urls import reverse

from tests.factories import make_activity, make_agency, make_output, make_stream, make_workplan
from workplans import plan_order, services
from workplans.models import Activity, Output, WorkPlan, WorkStream

pytestmark = pytest.mark.django_db

LAST_DAY = date(2040, 12, 31)


def order_by_joins(activities=None) -> list[int]:
    """The plan's order read through the plan, stream and output themselves (what the key stands for)."""
    activities = Activity.objects.all() if activities is None else activities
    return list(
        activities.order_by(
            "output__stream__workplan__starts_on",
            "output__stream__workplan_id",
            "output__stream__position",
            F("output__year").asc(nulls_last=True),
            "output__position",
            "position",
        ).values_list("pk", flat=True)
    )


def order_by_key(activities=None) -> list[int]:
    activities = Activity.objects.all() if activities is None else activities
    return list(activities.in_plan_order().values_list("pk", flat=True))


def assert_keys_current() -> None:
    assert plan_order.refresh(Activity.objects.all()) == 0, "some activity's stored key was stale"
    assert order_by_key() == order_by_joins()


@pytest.fixture
def plans():
    """Two plans starting the same day, a later and an earlier one; streams, outputs (one without a year) and
    activities created out of their order."""
    same_day = make_workplan(slug="same-day", starts_on=date(2013, 1, 1), ends_on=LAST_DAY)
    first = make_workplan(slug="first", starts_on=date(2013, 1, 1), ends_on=LAST_DAY)
    later = make_workplan(slug="later", starts_on=date(2016, 1, 1), ends_on=LAST_DAY)
    earlier = make_workplan(slug="earlier", starts_on=date(2010, 1, 1), ends_on=LAST_DAY)
    for plan in (later, first, same_day, earlier):
        second_stream = make_stream(plan, position=2)
        first_stream = make_stream(plan, position=1)
        for stream in (second_stream, first_stream):
            undated = make_output(stream, year=None, position=1)
            for year in (2015, 2014):
                for position in (2, 1):
                    output = make_output(stream, year=year, position=position)
                    for place in (3, 1, 2):
                        make_activity(output=output, position=place)
            make_activity(output=undated, position=1)
    return {"same_day": same_day, "first": first, "later": later, "earlier": earlier}


def test_activities_are_listed_plan_by_plan_stream_by_stream_year_by_year_and_in_their_place(plans):
    listed = [Activity.objects.select_related("output__stream__workplan").get(pk=pk) for pk in order_by_key()]
    assert listed[0].output.stream.workplan == plans["earlier"]
    assert listed[-1].output.stream.workplan == plans["later"]
    places = [(a.output.stream.position, a.output.year or 9999, a.output.position, a.position) for a in listed[:26]]
    assert places == sorted(places)
    assert listed[12].output.year is None  # an output without a year comes after the stream's dated ones
    assert_keys_current()


def test_two_plans_starting_the_same_day_are_listed_one_after_the_other_not_interleaved(plans):
    listed = list(Activity.objects.in_plan_order().values_list("output__stream__workplan__slug", flat=True))
    runs = [slug for index, slug in enumerate(listed) if index == 0 or listed[index - 1] != slug]
    assert runs == ["earlier", "same-day", "first", "later"]


def test_the_order_follows_an_activity_added_moved_or_moved_to_another_output(plans):
    output = Output.objects.filter(stream__workplan=plans["first"], year=2014).order_by("stream__position").first()
    added, _ = services.activity_create(output=output, values={"description": "Added"}, lead_agencies=[], partners=[])
    assert order_by_key(output.activities.all())[-1] == added.pk
    assert services.activity_move(activity=added, direction="up")
    assert order_by_key(output.activities.all())[-2] == added.pk
    elsewhere = Output.objects.filter(stream__workplan=plans["earlier"], year=None).first()
    added.refresh_from_db()
    services.activity_update(
        activity=added,
        revision=added.revision,
        values={"output": elsewhere, "position": services.next_position_in(elsewhere)},
        lead_agencies=[],
        partners=[],
    )
    assert order_by_key(elsewhere.activities.all())[-1] == added.pk
    assert_keys_current()


def test_renumbering_an_output_changes_its_activities_numbers_not_their_order(plans):
    output = Output.objects.filter(stream__workplan=plans["first"], position=2).first()  # numbered 1.1, 1.2, ...
    before = order_by_key()
    assert services.output_renumber(output=output) > 0
    assert order_by_key() == before
    assert_keys_current()


def test_the_order_follows_an_output_moved_or_given_another_year(plans):
    stream = WorkStream.objects.get(workplan=plans["first"], position=1)
    second = stream.outputs.get(year=2014, position=2)
    assert services.output_move(output=second, direction="up")
    assert order_by_key(Activity.objects.filter(output__stream=stream))[0] in set(
        second.activities.values_list("pk", flat=True)
    )
    second.refresh_from_db()
    services.output_update(output=second, revision=second.revision, values={"title": second.title, "year": 2015})
    assert_keys_current()


def test_the_order_follows_a_stream_moved_and_a_plan_given_another_start(plans):
    second = WorkStream.objects.get(workplan=plans["first"], position=2)
    assert services.stream_move(stream=second, direction="up")
    first_listed = Activity.objects.get(
        pk=order_by_key(Activity.objects.filter(output__stream__workplan=plans["first"]))[0]
    )
    assert first_listed.output.stream_id == second.pk
    plan = WorkPlan.objects.get(pk=plans["later"].pk)
    services.workplan_update(plan=plan, revision=plan.revision, values={"starts_on": date(2009, 1, 1)})
    assert Activity.objects.get(pk=order_by_key()[0]).output.stream.workplan == plan
    assert_keys_current()


def test_a_plan_saved_with_its_start_unchanged_rewrites_none_of_its_activities(plans):
    plan = WorkPlan.objects.get(pk=plans["first"].pk)
    assert plan_order.refresh_for(plan) == 0
    services.workplan_update(
        plan=plan, revision=plan.revision, values={"title": "Renamed", "starts_on": plan.starts_on}
    )
    assert plan_order.refresh_for(plan) == 0


def test_rows_saved_outside_the_services_are_ordered_too(plans):
    """The admin, the loaders and the factories save() plans, streams, outputs and activities themselves."""
    stream = WorkStream.objects.get(workplan=plans["same_day"], position=1)
    stream.position = 3
    stream.save()
    output = Output.objects.get(stream__workplan=plans["later"], stream__position=2, year=2014, position=1)
    output.year = None
    output.position = 2
    output.save(update_fields=["year", "position"])
    activity = Activity.objects.filter(output__stream__workplan=plans["earlier"]).first()
    activity.position = 99
    activity.save(update_fields=["position"])
    plan = plans["first"]
    plan.starts_on = date(2020, 1, 1)
    plan.save()
    assert_keys_current()


def test_a_plan_copied_for_the_next_cycle_lists_its_activities_in_the_same_order(plans):
    source = plans["earlier"]
    copy, _ = services.workplan_copy_for_next_cycle(
        source=source, slug="next", title="Next cycle", starts_on=date(2030, 1, 1), ends_on=date(2032, 12, 31)
    )
    numbers = lambda plan: [  # noqa: E731
        (a.output.stream.position, a.output.position, a.position)
        for a in Activity.objects.filter(output__stream__workplan=plan).in_plan_order().select_related("output__stream")
    ]
    assert numbers(copy) == numbers(source)
    assert order_by_key()[-len(numbers(copy)) :] == order_by_joins(
        Activity.objects.filter(output__stream__workplan=copy)
    )
    assert_keys_current()


def test_my_agencys_activities_and_the_api_list_activities_in_plan_order(client, plans):
    from groups.models import Person
    from tests.factories import make_person

    agency = make_agency("IOM")
    involved = Activity.objects.filter(pk__in=order_by_key()[::3])
    for activity in involved:
        activity.partners.add(agency)
    person = make_person(role=Person.Role.FOCAL_POINT, agency=agency)
    client.force_login(person)
    page = client.get(reverse("workplans:my_activities"), {"all": "1"})
    assert [row["pk"] for row in page.context["activities"]] == order_by_joins(involved)
    api = client.get(reverse("api:activity-list"), {"format": "json", "page_size": 200}).json()
    assert [row["id"] for row in api["results"]] == order_by_joins()[:200]
