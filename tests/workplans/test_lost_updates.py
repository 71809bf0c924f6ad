"""No lost updates: two editors at once, a form posted twice, a background task racing a person."""

import threading
import uuid
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from tests.factories import make_update
from tests.workplans.test_editor import new_activity_form
from tests.workplans.test_permissions import activity_form
from workplans import services
from workplans.models import Activity, ActivityUpdate, WorkPlan, WorkPlanVersion

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@time_machine.travel("2014-04-02 09:15 +02:00", tick=False)
def test_the_second_editor_is_told_who_saved_and_keeps_their_own_input(client, cast):
    url = reverse("workplans:activity_edit", args=[cast.activity.pk])
    first = activity_form(cast.activity, description="Launch in Geneva", funding_source="OHCHR")
    second = activity_form(cast.activity, description="Launch in New York", timeframe="June 2014")
    client.force_login(cast.co_chair)
    assert client.post(url, first).status_code == 302

    client.force_login(cast.support)
    response = client.post(url, second)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this activity while you were editing (by ohchr-fp at 09:15)." in page
    # Their saved values beside the person's own unsaved input, which is still in the form.
    assert "Launch in Geneva" in page and "Launch in New York" in page
    assert 'value="June 2014"' in page
    assert "Nothing you typed is lost" in page
    activity = Activity.objects.get(pk=cast.activity.pk)
    assert (activity.description, activity.funding_source, activity.revision) == ("Launch in Geneva", "OHCHR", 2)
    # The form now carries the current revision: saving again keeps the second editor's version on purpose.
    assert f'name="activity-{cast.activity.pk}-revision" value="2"' in page
    second[f"activity-{cast.activity.pk}-revision"] = 2
    assert client.post(url, second).status_code == 302
    activity.refresh_from_db()
    assert (activity.description, activity.timeframe, activity.revision) == ("Launch in New York", "June 2014", 3)


def test_the_conflict_under_htmx_is_shown_in_place_of_the_form(client, cast):
    url = reverse("workplans:activity_edit", args=[cast.activity.pk])
    stale = activity_form(cast.activity, description="Mine")
    services.activity_update(
        activity=cast.activity,
        revision=1,
        values={"description": "Theirs"},
        lead_agencies=[cast.owner],
        partners=[],
        user=cast.co_chair,
    )
    client.force_login(cast.support)
    response = client.post(url, stale, headers=HTMX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#activity-{cast.activity.pk}-form"
    page = response.content.decode()
    assert "Someone else saved this activity while you were editing" in page
    # The partner they removed, shown against the person's input that keeps it.
    assert '<th scope="row">Partners</th><td>(empty)</td><td>UNICEF</td>' in page


def test_two_editors_of_a_plans_details_do_not_overwrite_each_other(client, cast):
    url = reverse("workplans:workplan_edit", args=[cast.plan.slug])
    base = {
        "revision": 1,
        "slug": cast.plan.slug,
        "kind": "multi_annual",
        "status": "draft",
        "starts_on": "2013-01-01",
        "ends_on": "2015-12-31",
    }
    client.force_login(cast.support)
    assert client.post(url, {**base, "title": "MAWP (adopted)"}).status_code == 302
    response = client.post(url, {**base, "title": "MAWP (revised draft)"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this work plan while you were editing" in page and "MAWP (revised draft)" in page
    assert WorkPlan.objects.get(pk=cast.plan.pk).title == "MAWP (adopted)"


def test_the_conditional_update_changes_nothing_when_the_revision_moved_on(cast):
    assert services.save_if_unchanged(Activity, pk=cast.activity.pk, revision=1, values={"note": "a"})
    assert not services.save_if_unchanged(Activity, pk=cast.activity.pk, revision=1, values={"note": "b"})
    cast.activity.refresh_from_db()
    assert (cast.activity.note, cast.activity.revision) == ("a", 2)


def test_an_activity_form_posted_twice_creates_one_activity(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:activity_add", args=[cast.output.pk])
    data = new_activity_form(cast.output)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "This activity was already added." in response.content.decode()
    assert Activity.objects.filter(description="Hold a side event at the GFMD").count() == 1


def test_an_update_posted_twice_creates_one_update(client, cast):
    client.force_login(cast.focal_owner)
    url = reverse("workplans:activity_report", args=[cast.activity.pk])
    data = {"token": str(uuid.uuid4()), "status": "on_track", "narrative": "Paper launched.", "links": ""}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first["Location"] == second["Location"]
    assert ActivityUpdate.objects.filter(activity=cast.activity).count() == 1


def test_a_version_posted_twice_is_published_once(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:version_list", args=[cast.plan.slug])
    data = {"token": str(uuid.uuid4()), "label": "Adopted 3 July 2013", "dated": "2013-07-03"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert WorkPlanVersion.objects.filter(workplan=cast.plan).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_update_form_create_one_row(cast):
    """Both requests pass the first look-up; the unique token lets only one insert through."""
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    results = []

    def submit():
        try:
            barrier.wait()
            results.append(
                services.activity_update_submit(
                    activity=cast.activity,
                    author=cast.focal_owner,
                    agency=cast.owner,
                    status="on_track",
                    narrative="Paper launched.",
                    token=token,
                )[1]
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert ActivityUpdate.objects.filter(token=token).count() == 1


# -- the background task and a person ---------------------------------------------------------------------------


def accept(update: ActivityUpdate, reviewer):
    ActivityUpdate.objects.filter(pk=update.pk).update(review=ActivityUpdate.Review.ACCEPTED, reviewed_by=reviewer)


def test_the_status_task_takes_the_latest_accepted_update(cast):
    accept(make_update(cast.activity, cast.owner, status="delayed", reported_on=date(2014, 4, 1)), cast.support)
    make_update(cast.activity, cast.owner, status="completed", reported_on=date(2014, 5, 1))  # not yet accepted
    assert services.activity_set_status_from_updates(activity_id=cast.activity.pk)
    cast.activity.refresh_from_db()
    assert cast.activity.status == "delayed"
    assert not services.activity_set_status_from_updates(activity_id=cast.activity.pk)  # nothing left to do
    record = cast.activity.history.order_by("-history_date").first()
    assert record.history_change_reason == "Status taken from an accepted progress update"


def test_a_person_who_saves_between_the_tasks_read_and_write_keeps_their_edit(cast):
    accept(make_update(cast.activity, cast.owner, status="completed"), cast.support)
    seen = Activity.objects.values("revision").get(pk=cast.activity.pk)["revision"]  # the task reads
    services.activity_update(  # a person saves in between
        activity=cast.activity,
        revision=seen,
        values={"description": "Launched in Geneva on 12 May"},
        lead_agencies=[cast.owner],
        partners=[cast.partner],
        user=cast.support,
    )
    # The task's write, built on what it read, changes nothing ...
    assert not services.activity_status_write(activity_id=cast.activity.pk, status="completed", seen_revision=seen)
    activity = Activity.objects.get(pk=cast.activity.pk)
    assert (activity.description, activity.status) == ("Launched in Geneva on 12 May", "planned")
    # ... and run again it reads afresh, writing the status only: the person's edit survives.
    assert services.activity_set_status_from_updates(activity_id=cast.activity.pk)
    activity.refresh_from_db()
    assert (activity.description, activity.status, activity.revision) == (
        "Launched in Geneva on 12 May",
        "completed",
        3,
    )


def test_a_person_whose_form_predates_the_tasks_save_is_told_instead_of_undoing_it(client, cast):
    form = activity_form(cast.activity, description="Launch in Geneva")  # the person opens the form
    accept(make_update(cast.activity, cast.owner, status="completed"), cast.support)
    services.activity_set_status_from_updates(activity_id=cast.activity.pk)  # the task saves meanwhile
    client.force_login(cast.support)
    response = client.post(reverse("workplans:activity_edit", args=[cast.activity.pk]), form)
    assert response.status_code == 409
    assert "by an automatic update" in response.content.decode()
    assert Activity.objects.get(pk=cast.activity.pk).status == "completed"


def test_accepting_an_update_sets_the_activitys_status_after_the_review(
    client, cast, django_capture_on_commit_callbacks
):
    update = make_update(cast.activity, cast.owner, status="completed", author=cast.focal_owner)
    client.force_login(cast.support)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workplans:update_review", args=[update.pk]), {"decision": "accept"})
    assert response.status_code == 302
    assert Activity.objects.get(pk=cast.activity.pk).status == "completed"


def test_the_conflict_lists_only_the_fields_that_really_differ(client, cast):
    cast.activity.estimated_cost = 75000
    cast.activity.currency = "USD"
    cast.activity.save()
    stale = activity_form(cast.activity, estimated_cost="75000", currency="USD", note="Mine")
    services.save_if_unchanged(Activity, pk=cast.activity.pk, revision=1, values={"note": "Theirs"})
    client.force_login(cast.support)
    page = client.post(reverse("workplans:activity_edit", args=[cast.activity.pk]), stale).content.decode()
    table = page[page.index("<tbody>", page.index("The saved values next to yours")) :]
    table = table[: table.index("</tbody>")]
    assert table.count("<tr>") == 1
    assert '<th scope="row">Note</th><td>Theirs</td><td>Mine</td>' in table
