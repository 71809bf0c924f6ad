"""The work plan editor: add, edit, reorder and remove streams, outputs and activities, as plain forms and htmx."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_activity, make_output, make_stream
from tests.workplans.test_permissions import activity_form
from workplans import services
from workplans.models import Activity, Output, WorkPlan, WorkStream

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def new_activity_form(output: Output, **fields) -> dict:
    data = {
        "token": str(uuid.uuid4()),
        "number": "1.9",
        "description": "Hold a side event at the GFMD",
        "timeframe": "Spring 2014",
        "starts_on": "",
        "ends_on": "",
        "lead": "",
        "lead_agencies": [],
        "partners": [],
        "funding_source": "",
        "estimated_cost": "",
        "currency": "",
        "cost_as_written": "",
        "status": "planned",
        "note": "",
        **fields,
    }
    return {f"new-activity-{output.pk}-{key}": value for key, value in data.items()}


def test_an_activity_added_without_javascript_reads_its_timeframe_and_keeps_its_agencies(client, cast):
    client.force_login(cast.support)
    data = new_activity_form(
        cast.output,
        lead_agencies=[cast.owner.pk],
        partners=[cast.partner.pk, cast.other.pk],
        estimated_cost="75000",
        currency="usd",
        funding_source="KNOMAD funded",
    )
    response = client.post(reverse("workplans:activity_add", args=[cast.output.pk]), data)
    assert response.status_code == 302
    activity = Activity.objects.get(description="Hold a side event at the GFMD")
    assert response["Location"].endswith(f"#activity-{activity.pk}")
    assert (activity.starts_on, activity.ends_on) == (date(2014, 3, 1), date(2014, 5, 31))
    assert activity.timeframe == "Spring 2014"
    assert activity.position == 2
    assert list(activity.lead_agencies.all()) == [cast.owner]
    assert set(activity.partners.all()) == {cast.partner, cast.other}
    assert (activity.estimated_cost, activity.currency) == (Decimal("75000"), "USD")
    history = activity.history.get()
    assert (history.history_type, history.history_user) == ("+", cast.support)


def test_an_activity_added_with_htmx_returns_the_output_with_the_new_row_and_a_message(client, cast):
    client.force_login(cast.support)
    response = client.post(
        reverse("workplans:activity_add", args=[cast.output.pk]), new_activity_form(cast.output), headers=HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith(f'<tbody id="output-{cast.output.pk}"')
    assert "Hold a side event at the GFMD" in page
    assert 'hx-swap-oob="true"' in page and "Activity 1.9 added." in page


def test_a_bad_currency_or_a_cost_without_currency_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:activity_add", args=[cast.output.pk])
    response = client.post(url, new_activity_form(cast.output, estimated_cost="100", currency="DOL"))
    assert response.status_code == 400
    assert "three-letter ISO 4217 code" in response.content.decode()
    response = client.post(url, new_activity_form(cast.output, estimated_cost="100", currency=""))
    assert "Give the currency of the estimated cost" in response.content.decode()
    response = client.post(url, new_activity_form(cast.output, estimated_cost="-5", currency="USD"))
    assert response.status_code == 400
    assert "The estimated cost cannot be negative." in response.content.decode()
    assert not Activity.objects.filter(description="Hold a side event at the GFMD").exists()


def test_a_form_error_under_htmx_swaps_the_form_itself_not_the_output(client, cast):
    client.force_login(cast.support)
    response = client.post(
        reverse("workplans:activity_add", args=[cast.output.pk]),
        new_activity_form(cast.output, description=""),
        headers=HTMX,
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == f"#output-{cast.output.pk}-new-activity-form"
    assert response["HX-Reswap"] == "outerHTML"
    assert "This field is required." in response.content.decode()


def test_an_unreadable_timeframe_is_kept_and_the_dates_typed_by_hand_are_used(client, cast):
    client.force_login(cast.support)
    data = new_activity_form(
        cast.output, timeframe="After the GFMD summit", starts_on="2014-11-01", ends_on="2014-11-30"
    )
    client.post(reverse("workplans:activity_add", args=[cast.output.pk]), data)
    activity = Activity.objects.get(timeframe="After the GFMD summit")
    assert (activity.starts_on, activity.ends_on, activity.timeframe_unread) == (
        date(2014, 11, 1),
        date(2014, 11, 30),
        False,
    )


def test_the_timeframe_reading_is_shown_as_people_type(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:timeframe_reading")
    page = client.get(url, {"new-activity-3-timeframe": "Spring 2014", "year": "2014"}).content.decode()
    assert "1 March 2014 to 31 May 2014" in page
    page = client.get(url, {"timeframe": "October", "year": "2013"}).content.decode()
    assert "1 October 2013 to 31 October 2013" in page
    page = client.get(url, {"timeframe": "whenever we can", "year": "x"}).content.decode()
    assert "enter dates by hand" in page


def test_editing_an_activity_records_who_changed_what(client, cast):
    client.force_login(cast.co_chair)
    data = activity_form(cast.activity, description="Launch the key messages in Geneva", timeframe="June 2014")
    response = client.post(reverse("workplans:activity_edit", args=[cast.activity.pk]), data)
    assert response.status_code == 302
    cast.activity.refresh_from_db()
    assert (cast.activity.revision, cast.activity.ends_on) == (2, date(2014, 6, 30))
    page = client.get(cast.activity.get_absolute_url()).content.decode()
    assert "changed by ohchr-fp" in page
    assert "Launch the key messages</del>" in page and "Launch the key messages in Geneva</ins>" in page


def test_the_edit_form_opens_in_the_activitys_row_under_htmx(client, cast):
    client.force_login(cast.support)
    response = client.get(reverse("workplans:activity_edit", args=[cast.activity.pk]), headers=HTMX)
    page = response.content.decode()
    assert page.strip().startswith(f'<tr id="activity-{cast.activity.pk}">')
    assert f'name="activity-{cast.activity.pk}-revision" value="1"' in page
    assert 'hx-trigger="keyup changed delay:300ms, change"' in page


def test_move_buttons_swap_neighbours_and_stop_at_the_ends(client, cast):
    second = make_activity(output=cast.output, description="Second")
    third = make_activity(output=cast.output, description="Third")
    client.force_login(cast.support)
    url = reverse("workplans:activity_move", args=[third.pk])
    response = client.post(url, {"direction": "up"}, headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Third") < page.index("Second")
    order = list(cast.output.activities.order_by("position").values_list("description", flat=True))
    assert order == ["Launch the key messages", "Third", "Second"]
    client.post(url, {"direction": "up"})
    client.post(url, {"direction": "up"})
    order = list(cast.output.activities.order_by("position").values_list("pk", flat=True))
    assert order == [third.pk, cast.activity.pk, second.pk]
    assert client.post(url, {"direction": "sideways"}).status_code == 400


def test_streams_and_outputs_move_within_their_plan_and_year(client, cast):
    other_stream = make_stream(cast.plan, title="Data and research")
    later_output = make_output(cast.stream, year=2014, title="Human rights indicators")
    make_output(cast.stream, year=2015, title="Publication on indicators")
    client.force_login(cast.support)
    client.post(reverse("workplans:stream_move", args=[other_stream.pk]), {"direction": "up"})
    assert list(cast.plan.streams.order_by("position")) == [other_stream, cast.stream]
    client.post(reverse("workplans:output_move", args=[later_output.pk]), {"direction": "up"})
    titles = list(cast.stream.outputs.order_by("year", "position").values_list("title", flat=True))
    assert titles == ["Human rights indicators", "Key messages on human rights at borders", "Publication on indicators"]
    response = client.post(reverse("workplans:output_move", args=[later_output.pk]), {"direction": "up"})
    assert response.status_code == 302


def test_removing_asks_first_and_removes_only_when_confirmed(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:activity_remove", args=[cast.activity.pk])
    page = client.get(url).content.decode()
    assert "Remove activity 1.1" in page and "Yes, remove it" in page
    client.post(url, {})
    assert Activity.objects.filter(pk=cast.activity.pk).exists()
    response = client.post(url, {"confirm": "on"}, headers=HTMX)
    assert response.status_code == 200
    assert not Activity.objects.filter(pk=cast.activity.pk).exists()
    assert Activity.history.filter(id=cast.activity.pk, history_type="-", history_user=cast.support).exists()


def test_a_stream_and_an_output_are_added_edited_and_removed_in_place(client, cast):
    client.force_login(cast.support)
    response = client.post(
        reverse("workplans:stream_add", args=[cast.plan.slug]),
        {
            "new-stream-token": str(uuid.uuid4()),
            "new-stream-title": "Capacity development",
            "new-stream-kind": "thematic",
        },
        headers=HTMX,
    )
    assert response.status_code == 200 and response.content.decode().startswith('<div id="streams">')
    stream = WorkStream.objects.get(title="Capacity development")
    assert stream.position == 2
    prefix = f"new-output-{stream.pk}"
    response = client.post(
        reverse("workplans:output_add", args=[stream.pk]),
        {f"{prefix}-token": str(uuid.uuid4()), f"{prefix}-year": "2019", f"{prefix}-title": "A workshop"},
    )
    assert response.status_code == 400
    assert "The plan runs from 2013 to 2015" in response.content.decode()
    client.post(
        reverse("workplans:output_add", args=[stream.pk]),
        {f"{prefix}-token": str(uuid.uuid4()), f"{prefix}-year": "2014", f"{prefix}-title": "A workshop"},
    )
    output = stream.outputs.get()
    prefix = f"output-{output.pk}"
    client.post(
        reverse("workplans:output_edit", args=[output.pk]),
        {f"{prefix}-revision": "1", f"{prefix}-year": "2015", f"{prefix}-title": "A second workshop"},
    )
    output.refresh_from_db()
    assert (output.year, output.title, output.revision) == (2015, "A second workshop", 2)
    client.post(reverse("workplans:stream_remove", args=[stream.pk]), {"confirm": "on"})
    assert not WorkStream.objects.filter(pk=stream.pk).exists()


def test_copying_the_last_plan_starts_the_next_cycle_with_moved_dates_and_planned_statuses(client, cast):
    cast.activity.status = Activity.Status.COMPLETED
    cast.activity.save()
    make_activity(output=cast.output, description="Ongoing work", timeframe="2014-15", lead_agencies=[cast.owner])
    client.force_login(cast.support)
    url = reverse("workplans:workplan_copy", args=[cast.plan.slug])
    page = client.get(url).content.decode()
    assert 'value="2016-01-01"' in page and 'value="2018-12-31"' in page
    data = {
        "token": str(uuid.uuid4()),
        "title": "Test MAWP 2016-2018",
        "slug": "mawp-2016-2018",
        "starts_on": "2016-01-01",
        "ends_on": "2018-12-31",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    client.post(url, data)  # posted twice: one copy
    plan = WorkPlan.objects.get(slug="mawp-2016-2018")
    copied = Activity.objects.filter(output__stream__workplan=plan).order_by("position")
    assert [(a.timeframe, a.starts_on, a.ends_on, a.status) for a in copied] == [
        ("Spring 2017", date(2017, 3, 1), date(2017, 5, 31), "planned"),
        ("2017-18", date(2017, 1, 1), date(2018, 12, 31), "planned"),
    ]
    assert copied[0].output.year == 2017
    assert list(copied[0].lead_agencies.all()) == [cast.owner]
    assert list(copied[0].partners.all()) == [cast.partner]
    assert WorkPlan.objects.filter(title="Test MAWP 2016-2018").count() == 1
    assert not copied[0].updates.exists()


def test_a_copy_needs_a_free_short_name_and_an_end_after_the_start(client, cast):
    client.force_login(cast.support)
    response = client.post(
        reverse("workplans:workplan_copy", args=[cast.plan.slug]),
        {
            "token": str(uuid.uuid4()),
            "title": "X",
            "slug": cast.plan.slug,
            "starts_on": "2016-01-01",
            "ends_on": "2015-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "already has this short name" in page and "must end after it starts" in page


def test_years_in_a_timeframe_move_with_the_cycle():
    assert services.shift_years_in_text("April-October 2013", 3) == "April-October 2016"
    assert services.shift_years_in_text("Bangladesh 2016 / Morocco / Germany 2017-18", 3) == (
        "Bangladesh 2019 / Morocco / Germany 2020-21"
    )
    assert services.shift_years_in_text("On-going", 3) == "On-going"
