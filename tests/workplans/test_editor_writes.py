"""The editor's writes kept, proved by posting them: an edit posted twice saves once, a move or a removal at the
same time as someone else's work loses nothing of it, a removal posted twice removes one row.

These are the work plan rows of the write-URL gate (tests/test_write_urls.py) for the edits, moves and removals.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import form_as_opened, make_activity, make_output, make_stream, make_update
from workplans import services
from workplans.models import Activity, Output, WorkPlan, WorkStream

pytestmark = pytest.mark.django_db

# name: (its address, its row as saved, the form field written)
EDITS = {
    "workplan_edit": (
        lambda c: reverse("workplans:workplan_edit", args=[c.plan.slug]),
        lambda c: WorkPlan.objects.get(pk=c.plan.pk),
        lambda c: "title",
    ),
    "stream_edit": (
        lambda c: reverse("workplans:stream_edit", args=[c.stream.pk]),
        lambda c: WorkStream.objects.get(pk=c.stream.pk),
        lambda c: f"stream-{c.stream.pk}-title",
    ),
    "output_edit": (
        lambda c: reverse("workplans:output_edit", args=[c.output.pk]),
        lambda c: Output.objects.get(pk=c.output.pk),
        lambda c: f"output-{c.output.pk}-title",
    ),
    "activity_edit": (
        lambda c: reverse("workplans:activity_edit", args=[c.activity.pk]),
        lambda c: Activity.objects.get(pk=c.activity.pk),
        lambda c: f"activity-{c.activity.pk}-description",
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_posted_twice_saves_once_and_the_second_post_is_told(client, cast, name):
    address, row, field = (f(cast) for f in EDITS[name])
    client.force_login(cast.support)
    before = row.revision
    data = {**form_as_opened(client, address), field: "Changed once"}
    assert client.post(address, data).status_code == 302
    again = client.post(address, data)
    assert again.status_code == 409
    assert "Someone else saved this" in again.text
    saved = EDITS[name][1](cast)
    assert saved.revision == before + 1
    assert "Changed once" in {getattr(saved, "title", ""), getattr(saved, "description", "")}


def _three_activities(cast):
    second = make_activity(output=cast.output, description="Second")
    third = make_activity(output=cast.output, description="Third")
    return cast.activity, second, third


def _positions(output):
    return list(output.activities.order_by("position").values_list("pk", flat=True))


def test_an_edit_begun_before_a_move_saves_and_the_move_stays(client, cast):
    first, second, third = _three_activities(cast)
    client.force_login(cast.support)
    edit = reverse("workplans:activity_edit", args=[third.pk])
    data = {**form_as_opened(client, edit), f"activity-{third.pk}-description": "Third, reworded"}
    assert client.post(reverse("workplans:activity_move", args=[third.pk]), {"direction": "up"}).status_code == 302
    assert client.post(edit, data).status_code == 302
    assert Activity.objects.get(pk=third.pk).description == "Third, reworded"
    assert _positions(cast.output) == [first.pk, third.pk, second.pk]


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_at_once_keep_every_row_and_every_position_unique(cast):
    first, second, third = _three_activities(cast)
    barrier, answers = threading.Barrier(2), []

    def move(activity, direction):
        client = Client()
        client.force_login(cast.support)
        barrier.wait()
        try:
            url = reverse("workplans:activity_move", args=[activity.pk])
            answers.append(client.post(url, {"direction": direction}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(third, "up")), threading.Thread(target=move, args=(first, "down"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302, 302]
    order = _positions(cast.output)
    # Both moves happened, one after the other under the row lock, in either order.
    assert order in ([third.pk, first.pk, second.pk], [second.pk, third.pk, first.pk])
    positions = list(cast.output.activities.values_list("position", flat=True))
    assert len(set(positions)) == 3
    assert set(cast.output.activities.values_list("description", flat=True)) == {first.description, "Second", "Third"}


# name: (its address, the rows it moves among)
MOVES = {
    "stream_move": (
        lambda c, extra: reverse("workplans:stream_move", args=[extra.pk]),
        lambda c: make_stream(c.plan, title="Data and research"),
        lambda c: WorkStream.objects.filter(workplan=c.plan),
    ),
    "output_move": (
        lambda c, extra: reverse("workplans:output_move", args=[extra.pk]),
        lambda c: make_output(c.stream, year=2014, title="Human rights indicators"),
        lambda c: Output.objects.filter(stream=c.stream),
    ),
    "activity_move": (
        lambda c, extra: reverse("workplans:activity_move", args=[extra.pk]),
        lambda c: make_activity(output=c.output, description="Second"),
        lambda c: Activity.objects.filter(output=c.output),
    ),
}


@pytest.mark.parametrize("name", sorted(MOVES))
def test_a_move_posted_twice_makes_no_row_and_keeps_every_position_unique(client, cast, name):
    address, make_extra, siblings = MOVES[name]
    extra = make_extra(cast)
    url = address(cast, extra)
    rows = siblings(cast).count()
    client.force_login(cast.support)
    assert client.post(url, {"direction": "up"}).status_code == 302
    again = client.post(url, {"direction": "up"}, follow=True)
    assert "is already the first" in again.text
    assert siblings(cast).count() == rows
    assert siblings(cast).order_by("position").first().pk == extra.pk
    positions = list(siblings(cast).values_list("position", flat=True))
    assert len(set(positions)) == len(positions)
    assert client.post(url, {"direction": "sideways"}).status_code == 400


# name: (its address, its row, the form that edits it, the rows that must stay)
REMOVES = {
    "stream_remove": (
        lambda c: reverse("workplans:stream_remove", args=[c.stream.pk]),
        lambda c: WorkStream.objects.filter(pk=c.stream.pk),
        lambda c: reverse("workplans:stream_edit", args=[c.stream.pk]),
        lambda c: WorkStream.objects.filter(workplan=c.chair_plan),
    ),
    "output_remove": (
        lambda c: reverse("workplans:output_remove", args=[c.output.pk]),
        lambda c: Output.objects.filter(pk=c.output.pk),
        lambda c: reverse("workplans:output_edit", args=[c.output.pk]),
        lambda c: WorkStream.objects.filter(pk=c.stream.pk),
    ),
    "activity_remove": (
        lambda c: reverse("workplans:activity_remove", args=[c.activity.pk]),
        lambda c: Activity.objects.filter(pk=c.activity.pk),
        lambda c: reverse("workplans:activity_edit", args=[c.activity.pk]),
        lambda c: Output.objects.filter(pk=c.output.pk),
    ),
}


@pytest.mark.parametrize("name", sorted(REMOVES))
def test_a_removal_posted_twice_removes_one_row_and_the_second_finds_none(client, cast, name):
    address, row, _edit, kept = (f(cast) for f in REMOVES[name])
    client.force_login(cast.support)
    staying = list(kept.values_list("pk", flat=True))
    activities = Activity.objects.count()
    assert client.post(address, {}).status_code == 400  # not confirmed: asked again, nothing removed
    assert row.exists()
    assert client.post(address, {"confirm": "on"}).status_code == 302
    assert not row.exists()
    assert client.post(address, {"confirm": "on"}).status_code == 404
    assert list(kept.values_list("pk", flat=True)) == staying
    assert Activity.objects.count() == activities - 1  # the cast's one activity, and nobody else's


@pytest.mark.parametrize("name", sorted(REMOVES))
def test_an_edit_posted_after_a_removal_is_refused_and_brings_nothing_back(client, cast, name):
    address, row, edit, _kept = (f(cast) for f in REMOVES[name])
    client.force_login(cast.support)
    data = form_as_opened(client, edit)
    assert client.post(address, {"confirm": "on"}).status_code == 302
    assert client.post(edit, data).status_code == 404
    assert not row.exists()


def _returned_update(cast):
    update = make_update(cast.activity, cast.owner, author=cast.focal_owner)
    services.activity_update_review(update=update, accept=False, comment="Add the paper.", reviewer=cast.support)
    return update


def test_a_resubmission_posted_twice_answers_once(client, cast):
    update = _returned_update(cast)
    client.force_login(cast.focal_owner)
    url = reverse("workplans:update_resubmit", args=[update.pk])
    data = {"status": "completed", "narrative": "Paper launched.", "links": "https://x.org/p"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert "not returned for changes" in again.text
    update.refresh_from_db()
    assert (update.review, update.narrative) == ("submitted", "Paper launched.")
    assert [a.url for a in update.attachments.all()] == ["https://x.org/p"]


def test_a_resubmission_sent_after_the_update_was_answered_and_accepted_is_told_and_changes_nothing(client, cast):
    update = _returned_update(cast)
    url = reverse("workplans:update_resubmit", args=[update.pk])
    client.force_login(cast.focal_owner)
    late = {**form_as_opened(client, url), "narrative": "An older draft of the answer."}
    assert client.post(url, {**late, "narrative": "Paper launched."}).status_code == 302
    services.activity_update_review(update=update, accept=True, comment="", reviewer=cast.support)
    # An accepted update is no longer the agency's to change: the late answer is refused with the reason.
    response = client.post(url, late)
    assert response.status_code == 403
    assert "Only the agency that filed this update changes it." in response.text
    update.refresh_from_db()
    assert (update.review, update.narrative) == ("accepted", "Paper launched.")
