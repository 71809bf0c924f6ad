"""The work plan editor's forms keep every write: a form posted twice makes one row, two editors of one stream
or output do not overwrite each other, and only the people the rules name may write (`kit.access`)."""

import pytest
from django.urls import reverse

from tests.factories import form_as_opened, make_update
from workplans.models import ActivityUpdate, Output, ReportingRound, WorkPlan, WorkStream


def test_a_new_work_plan_posted_twice_is_one_plan(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:workplan_create")
    data = {
        **form_as_opened(client, url),
        "title": "MAWP 2016-2018",
        "slug": "mawp-2016-2018",
        "kind": "multi_annual",
        "status": "draft",
        "starts_on": "2016-01-01",
        "ends_on": "2018-12-31",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert WorkPlan.objects.filter(slug="mawp-2016-2018").count() == 1


def test_a_copy_posted_twice_makes_one_new_plan(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:workplan_copy", args=[cast.plan.slug])
    data = form_as_opened(client, url)
    plans = WorkPlan.objects.count()
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert "This copy was already made." in again.text
    assert WorkPlan.objects.count() == plans + 1


def test_a_copy_sent_by_htmx_lands_on_the_new_plan_as_one_whole_page(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:workplan_copy", args=[cast.plan.slug])
    response = client.post(url, form_as_opened(client, url), headers={"HX-Request": "true"})
    copy = WorkPlan.objects.exclude(pk__in=[cast.plan.pk, cast.chair_plan.pk]).get()
    assert response.headers["HX-Redirect"] == copy.get_absolute_url()


@pytest.mark.parametrize("role", ["focal_owner", "co_chair", "chair", "viewer"])
def test_only_the_support_team_copies_a_plan(client, cast, role):
    client.force_login(cast.support)
    url = reverse("workplans:workplan_copy", args=[cast.plan.slug])
    data = form_as_opened(client, url)
    client.force_login(getattr(cast, role))
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert WorkPlan.objects.count() == 2


def test_a_new_stream_and_output_posted_twice_are_one_each(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:stream_add", args=[cast.plan.slug])
    data = {**form_as_opened(client, url), "new-stream-title": "Data and evidence"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert WorkStream.objects.filter(title="Data and evidence").count() == 1
    url = reverse("workplans:output_add", args=[cast.stream.pk])
    prefix = f"new-output-{cast.stream.pk}"
    data = {**form_as_opened(client, url), f"{prefix}-title": "A handbook", f"{prefix}-year": "2014"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Output.objects.filter(title="A handbook").count() == 1


def test_two_editors_of_a_stream_or_an_output_are_told(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:stream_edit", args=[cast.stream.pk])
    prefix = f"stream-{cast.stream.pk}"
    first, second = form_as_opened(client, url), form_as_opened(client, url)
    assert client.post(url, {**first, f"{prefix}-title": "Theirs"}).status_code == 302
    response = client.post(url, {**second, f"{prefix}-title": "Mine"})
    assert response.status_code == 409
    assert 'value="Mine"' in response.text
    assert WorkStream.objects.get(pk=cast.stream.pk).title == "Theirs"
    url = reverse("workplans:output_edit", args=[cast.output.pk])
    prefix = f"output-{cast.output.pk}"
    first, second = form_as_opened(client, url), form_as_opened(client, url)
    assert client.post(url, {**first, f"{prefix}-title": "Theirs"}).status_code == 302
    assert client.post(url, {**second, f"{prefix}-title": "Mine"}).status_code == 409
    assert Output.objects.get(pk=cast.output.pk).title == "Theirs"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("support", True), ("co_chair", True), ("focal_owner", False), ("chair", False), ("viewer", False)],
)
def test_only_the_plans_editors_add_edit_and_remove_streams_and_outputs(client, cast, role, allowed):
    """The stream is led by the co-chairs' group: they edit it and its outputs; adding a stream to the plan and
    removing one are the plan editors' (the support team's here); everyone else is refused, and nothing moves."""
    client.force_login(cast.support)
    forms = {
        "output_add": reverse("workplans:output_add", args=[cast.stream.pk]),
        "output_edit": reverse("workplans:output_edit", args=[cast.output.pk]),
        "stream_edit": reverse("workplans:stream_edit", args=[cast.stream.pk]),
        "activity_add": reverse("workplans:activity_add", args=[cast.output.pk]),
    }
    data = {name: form_as_opened(client, url) for name, url in forms.items()}
    client.force_login(getattr(cast, role))
    for name, url in forms.items():
        # The forms as opened: an edit saves as it is, a new output or activity lacks its title (400).
        expected = (400 if name.endswith("_add") else 302) if allowed else 403
        assert client.post(url, data[name]).status_code == expected, name
    moves = [
        (reverse("workplans:output_move", args=[cast.output.pk]), {"direction": "down"}),
        (reverse("workplans:output_remove", args=[cast.output.pk]), {"confirm": "on"}),
    ]
    for url, payload in moves:
        assert client.post(url, payload).status_code == (302 if allowed else 403), url
    plan_only = role == "support"
    assert client.post(
        reverse("workplans:stream_add", args=[cast.plan.slug]), {"new-stream-title": ""}
    ).status_code == (400 if plan_only else 403)
    response = client.post(reverse("workplans:stream_remove", args=[cast.stream.pk]), {"confirm": "on"})
    assert response.status_code == (302 if plan_only else 403)
    assert WorkStream.objects.filter(pk=cast.stream.pk).exists() == (not plan_only)


@pytest.mark.parametrize("role", ["focal_owner", "co_chair", "chair", "viewer"])
def test_only_the_support_team_reviews_an_update(client, cast, role):
    update = make_update(cast.activity, cast.owner)
    client.force_login(getattr(cast, role))
    response = client.post(reverse("workplans:update_review", args=[update.pk]), {"decision": "accept"})
    assert response.status_code == 403
    assert ActivityUpdate.objects.get(pk=update.pk).review == ActivityUpdate.Review.SUBMITTED


def test_a_new_reporting_round_posted_twice_is_one_round(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:round_create")
    data = {
        **form_as_opened(client, url),
        "title": "First half of 2014",
        "period_starts_on": "2014-01-01",
        "period_ends_on": "2014-06-30",
        "due_on": "2014-07-15",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert "This reporting round was already opened." in again.text
    assert ReportingRound.objects.count() == 1
