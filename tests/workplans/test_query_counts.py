"""Every list page of the work plans reads in the same number of queries for a small and a big plan."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_activity, make_agency, make_output, make_stream, make_update, make_workplan
from workplans import services
from workplans.models import ActivityUpdate, ReportingRound, UpdateAttachment

pytestmark = pytest.mark.django_db


def grow(cast, *, streams: int, outputs: int, activities: int) -> None:
    """Add streams, outputs and activities led by the cast's agency, each with updates, links and history."""
    partner = make_agency()
    for s in range(streams):
        stream = make_stream(cast.plan, title=f"Grown stream {s}")
        for o in range(outputs):
            output = make_output(stream, year=2013 + o % 3)
            for _ in range(activities):
                activity = make_activity(
                    output=output,
                    timeframe="Spring 2014",
                    starts_on=date(2014, 3, 1),
                    ends_on=date(2014, 5, 31),
                    lead_agencies=[cast.owner],
                    partners=[partner, cast.partner],
                )
                update = make_update(activity, cast.owner, author=cast.focal_owner, reported_on=date(2014, 4, 1))
                UpdateAttachment.objects.create(update=update, url="https://example.org/report")
                make_update(
                    activity,
                    cast.owner,
                    author=cast.focal_owner,
                    reported_on=date(2014, 4, 2),
                    review=ActivityUpdate.Review.RETURNED,
                )
    services.version_publish(plan=cast.plan, label=f"Version {streams}", dated=date(2014, 1, 1))
    make_workplan(title=f"Another plan {streams}")


def pages(cast):
    round_ = ReportingRound.objects.get_or_create(
        title="First half of 2014",
        defaults={
            "period_starts_on": date(2014, 1, 1),
            "period_ends_on": date(2014, 6, 30),
            "due_on": date(2014, 7, 15),
        },
    )[0]
    return [
        (cast.support, reverse("workplans:workplan_list")),
        (cast.support, cast.plan.get_absolute_url()),
        (cast.co_chair, cast.plan.get_absolute_url()),
        (cast.focal_owner, cast.plan.get_absolute_url()),
        (cast.focal_owner, reverse("workplans:my_activities")),
        (cast.focal_owner, reverse("workplans:my_activities") + f"?plan={cast.plan.pk}&status=planned&overdue=yes"),
        (cast.focal_owner, reverse("workplans:my_activities") + "?reporting=unreported"),
        (cast.support, reverse("workplans:version_list", args=[cast.plan.slug])),
        (cast.support, reverse("workplans:round_list")),
        (cast.support, round_.get_absolute_url()),
        (cast.support, cast.activity.get_absolute_url()),
    ]


def count_queries(client, person, url) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_list_pages_read_in_a_fixed_number_of_queries_whatever_the_plan_size(client, cast, django_assert_num_queries):
    grow(cast, streams=1, outputs=1, activities=1)
    small = [count_queries(client, person, url) for person, url in pages(cast)]
    grow(cast, streams=4, outputs=3, activities=5)
    for (person, url), expected in zip(pages(cast), small, strict=True):
        client.force_login(person)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_the_activity_page_reads_its_updates_and_history_in_a_fixed_number_of_queries(client, cast):
    make_update(cast.activity, cast.owner, author=cast.focal_owner)
    small = count_queries(client, cast.support, cast.activity.get_absolute_url())
    for day in range(1, 8):
        update = make_update(cast.activity, cast.partner, author=cast.focal_partner, reported_on=date(2014, 4, day))
        UpdateAttachment.objects.create(update=update, url=f"https://example.org/{day}")
        services.activity_update(
            activity=cast.activity,
            revision=cast.activity.revision + day - 1,
            values={"description": f"Launch, take {day}"},
            lead_agencies=[cast.owner],
            partners=[cast.partner],
            user=cast.support,
        )
    assert count_queries(client, cast.support, cast.activity.get_absolute_url()) == small


def test_a_big_plan_opens_stream_by_stream_in_a_fixed_number_of_queries(client, cast, monkeypatch):
    """Closed, one stream open (?stream=), or whole (?all=1): the same queries for a plan of any size."""
    from workplans import selectors

    monkeypatch.setattr(selectors, "PLAN_SHOWN_WHOLE_UP_TO", 3)
    grow(cast, streams=2, outputs=1, activities=2)
    first = cast.plan.streams.order_by("position").first()

    def urls():
        plan_url = cast.plan.get_absolute_url()
        return [plan_url, f"{plan_url}?stream={first.pk}", f"{plan_url}?all=1"]

    small = [count_queries(client, cast.support, url) for url in urls()]
    grow(cast, streams=3, outputs=2, activities=4)
    large = [count_queries(client, cast.support, url) for url in urls()]
    assert small == large
    closed = client.get(cast.plan.get_absolute_url()).content.decode()
    assert "show the whole plan" in closed and "Grown stream 0" in closed
    assert cast.activity.description not in closed  # its stream is closed
    assert f'hx-get="{reverse("workplans:stream_partial", args=[first.pk])}"' in closed
    whole = client.get(f"{cast.plan.get_absolute_url()}?all=1").content.decode()
    assert cast.activity.description in whole and "Show it stream by stream" in whole
    one = client.get(f"{cast.plan.get_absolute_url()}?stream={first.pk}").content.decode()
    assert one.count('class="card mb-4"') == cast.plan.streams.count()
