"""Editing without friction: renumbering an output's activities, the next number, readable comparisons, and the
publish form's optional date."""

import threading
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import make_activity
from workplans import services
from workplans.models import Activity, WorkPlanVersion

pytestmark = pytest.mark.django_db


def numbers(output) -> list[str]:
    return list(output.activities.order_by("position").values_list("number", flat=True))


def ten_activities(cast):
    for place in range(2, 11):
        make_activity(output=cast.output, description=f"Activity {place}", number=f"1.{place}")
    return cast.output


def test_renumbering_writes_1_1_to_1_n_in_plan_order_with_history_and_revision(client, cast):
    output = ten_activities(cast)
    tenth = output.activities.get(number="1.10")
    for _ in range(9):
        services.activity_move(activity=tenth, direction="up")
    assert numbers(output)[:2] == ["1.10", "1.1"]  # 1.10 now sits above 1.9, 1.1 ...
    revision = Activity.objects.get(pk=tenth.pk).revision
    client.force_login(cast.co_chair)
    response = client.post(reverse("workplans:output_renumber", args=[output.pk]), follow=True)
    assert "Renumbered 10 activities" in response.content.decode()
    assert numbers(output) == [f"1.{n}" for n in range(1, 11)]
    tenth.refresh_from_db()
    assert (tenth.number, tenth.revision) == ("1.1", revision + 1)
    assert tenth.history.first().history_change_reason == "Renumbered in plan order"
    # Posted again (a double submit), nothing changes.
    response = client.post(reverse("workplans:output_renumber", args=[output.pk]), follow=True)
    assert "already numbered in order" in response.content.decode()
    assert Activity.objects.get(pk=tenth.pk).revision == revision + 1


def test_an_edit_begun_before_a_renumbering_is_told_and_keeps_its_input(client, cast):
    output = ten_activities(cast)
    seen = Activity.objects.get(pk=cast.activity.pk)
    services.activity_move(activity=seen, direction="down")
    services.output_renumber(output=output, user=cast.support)
    with pytest.raises(services.EditConflict):
        services.activity_update(
            activity=seen,
            revision=seen.revision,
            values={"description": "Launch the messages in Geneva"},
            lead_agencies=[cast.owner],
            partners=[cast.partner],
        )
    assert Activity.objects.get(pk=seen.pk).number == "1.2"


@pytest.mark.django_db(transaction=True)
def test_two_renumberings_at_once_give_one_numbering(cast):
    output = ten_activities(cast)
    services.activity_move(activity=output.activities.get(number="1.10"), direction="up")
    results, barrier = [], threading.Barrier(2)

    def renumber():
        barrier.wait()
        try:
            results.append(services.output_renumber(output=output))
        finally:
            connection.close()

    threads = [threading.Thread(target=renumber) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 2]
    assert numbers(output) == [f"1.{n}" for n in range(1, 11)]


def test_the_suggested_number_of_a_new_activity_is_the_next_one(client, cast):
    output = ten_activities(cast)
    output.activities.get(number="1.4").delete()  # nine left, numbered up to 1.10
    client.force_login(cast.support)
    page = client.get(reverse("workplans:activity_add", args=[output.pk])).content.decode()
    assert 'value="1.11"' in page
    assert output.next_activity_number() == "1.11"


def test_a_comparison_shows_costs_and_dates_as_people_write_them(cast):
    services.activity_update(
        activity=cast.activity,
        revision=1,
        values={"estimated_cost": Decimal("25000.00"), "currency": "USD"},
        lead_agencies=[cast.owner],
        partners=[cast.partner],
    )
    before = services.workplan_snapshot(cast.plan)
    services.activity_update(
        activity=cast.activity,
        revision=2,
        values={"estimated_cost": Decimal("1250000.5"), "ends_on": date(2014, 7, 3), "status": "on_track"},
        lead_agencies=[cast.owner],
        partners=[cast.partner],
    )
    [change] = services.versions_compare(before, services.workplan_snapshot(cast.plan)).changed
    shown = {f.name: (f.before_text, f.after_text) for f in change.fields}
    assert shown["estimated_cost"] == ("25,000.00", "1,250,000.50")
    assert shown["ends_on"] == ("31 May 2014", "3 July 2014")
    assert shown["status"] == ("Planned", "On track")


def test_the_publish_form_lets_the_date_be_empty_as_its_hint_says(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:version_list", args=[cast.plan.slug])
    page = client.get(url).content.decode()
    field = page[page.index('name="dated"') - 300 : page.index('name="dated"') + 300]
    assert "required" not in field
    assert "leave it empty when the document is undated" in page
    response = client.post(url, {"token": str(uuid.uuid4()), "label": "Undated draft", "dated": ""})
    assert response.status_code == 302
    assert WorkPlanVersion.objects.get(label="Undated draft").dated is None
