"""The work plan pages render, as whole pages and as the htmx partials the editor swaps in."""

import pytest
from django.urls import reverse

from tests.factories import make_person
from workplans.models import Activity, WorkPlan

pytestmark = pytest.mark.django_db


def test_every_work_plan_page_renders_for_support_staff_as_a_page_and_as_a_partial(client, cast):
    client.force_login(cast.support)
    for url in [
        reverse("workplans:workplan_list"),
        cast.plan.get_absolute_url(),
        cast.activity.get_absolute_url(),
        reverse("workplans:activity_edit", args=[cast.activity.pk]),
        reverse("workplans:activity_add", args=[cast.output.pk]),
        reverse("workplans:activity_remove", args=[cast.activity.pk]),
        reverse("workplans:activity_report", args=[cast.activity.pk]),
        reverse("workplans:version_list", args=[cast.plan.slug]),
        reverse("workplans:round_list"),
        reverse("workplans:round_create"),
        reverse("workplans:workplan_create"),
        reverse("workplans:workplan_copy", args=[cast.plan.slug]),
        reverse("workplans:workplan_edit", args=[cast.plan.slug]),
        reverse("workplans:stream_add", args=[cast.plan.slug]),
        reverse("workplans:stream_edit", args=[cast.stream.pk]),
        reverse("workplans:stream_remove", args=[cast.stream.pk]),
        reverse("workplans:output_add", args=[cast.stream.pk]),
        reverse("workplans:output_edit", args=[cast.output.pk]),
        reverse("workplans:output_remove", args=[cast.output.pk]),
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert b"<!doctype html>" in page.content, url
        partial = client.get(url, headers={"HX-Request": "true"})
        assert partial.status_code == 200, url
        assert b"<!doctype html>" not in partial.content or url in {
            reverse("workplans:workplan_list"),
            cast.plan.get_absolute_url(),
            cast.activity.get_absolute_url(),
            reverse("workplans:activity_report", args=[cast.activity.pk]),
            reverse("workplans:version_list", args=[cast.plan.slug]),
            reverse("workplans:round_list"),
            reverse("workplans:round_create"),
            reverse("workplans:workplan_create"),
            reverse("workplans:workplan_copy", args=[cast.plan.slug]),
            reverse("workplans:workplan_edit", args=[cast.plan.slug]),
        }, url


def test_an_unknown_plan_or_activity_is_a_404_not_a_500(client, cast):
    client.force_login(cast.viewer)
    assert client.get(reverse("workplans:workplan_detail", args=["no-such-plan"])).status_code == 404
    assert client.get(reverse("workplans:activity_detail", args=[999999])).status_code == 404
    assert client.get(reverse("workplans:activity_report", args=[999999])).status_code == 404


def test_the_mawp_page_shows_each_activity_as_the_record_gives_it(client, gmg_record):
    client.force_login(make_person())
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    page = client.get(plan.get_absolute_url()).content.decode()
    side_event = Activity.objects.get(output__stream__workplan=plan, description__startswith="Hold a GMG side event")
    row = page[page.index(f'<tr id="activity-{side_event.pk}">') :]
    row = row[: row.index("</tr>")]
    assert "October 2013" in row and "1 Oct 2013 – 31 Oct 2013" in row
    assert "IOM" in row and "GMG chair and &amp; members staff costs" in row
    assert page.count('<tr id="activity-') == Activity.objects.filter(output__stream__workplan=plan).count()
