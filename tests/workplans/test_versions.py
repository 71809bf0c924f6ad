"""Versions of a work plan: a published version keeps a snapshot; two versions compare field by field."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_activity
from workplans import services
from workplans.models import WorkPlanVersion

pytestmark = pytest.mark.django_db


def test_a_published_version_keeps_the_plan_as_it_stood(client, cast):
    client.force_login(cast.support)
    response = client.post(
        reverse("workplans:version_list", args=[cast.plan.slug]),
        {"token": str(uuid.uuid4()), "label": "Draft of 28 June 2013", "dated": "2013-06-28"},
        follow=True,
    )
    page = response.content.decode()
    assert "Version “Draft of 28 June 2013” published." in page
    version = WorkPlanVersion.objects.get(workplan=cast.plan)
    assert (version.dated, version.published_by) == (date(2013, 6, 28), cast.support)
    [row] = version.snapshot["activities"]
    assert row | {"id": None} == {
        "id": None,
        "stream": "Human rights and gender equality",
        "output": "Output 1: Key messages on human rights at borders",
        "year": 2014,
        "number": "1.1",
        "description": "Launch the key messages",
        "timeframe": "Spring 2014",
        "starts_on": "2014-03-01",
        "ends_on": "2014-05-31",
        "lead": "",
        "lead_agencies": ["UNODC"],
        "partners": ["UNICEF"],
        "funding_source": "",
        "estimated_cost": None,
        "currency": "",
        "status": "planned",
    }


def test_a_label_is_used_once_per_plan(client, cast):
    services.version_publish(plan=cast.plan, label="Adopted", dated=date(2013, 7, 3))
    client.force_login(cast.support)
    response = client.post(
        reverse("workplans:version_list", args=[cast.plan.slug]),
        {"token": str(uuid.uuid4()), "label": "Adopted", "dated": "2013-07-04"},
    )
    assert response.status_code == 400
    assert "already has a version with this label" in response.content.decode()


def test_comparing_two_versions_shows_added_removed_and_changed_activities_field_by_field(client, cast):
    removed = make_activity(output=cast.output, description="Dropped later")
    draft, _ = services.version_publish(plan=cast.plan, label="Draft", dated=date(2013, 6, 28))
    removed.delete()
    make_activity(output=cast.output, description="Added later", timeframe="By Oct 2014")
    services.activity_update(
        activity=cast.activity,
        revision=1,
        values={"timeframe": "June 2014", "ends_on": date(2014, 6, 30)},
        lead_agencies=[cast.owner, cast.other],
        partners=[cast.partner],
    )
    adopted, _ = services.version_publish(plan=cast.plan, label="Adopted", dated=date(2013, 7, 3))

    comparison = services.versions_compare(draft.snapshot, adopted.snapshot)
    assert [row["description"] for row in comparison.added] == ["Added later"]
    assert [row["description"] for row in comparison.removed] == ["Dropped later"]
    [change] = comparison.changed
    assert [(f.label, f.before_text, f.after_text) for f in change.fields] == [
        ("timeframe", "Spring 2014", "June 2014"),
        ("end date", "31 May 2014", "30 June 2014"),
        ("lead agencies", "UNODC", "ILO, UNODC"),
    ]

    client.force_login(cast.focal_other)  # everyone signed in reads
    page = client.get(
        reverse("workplans:version_compare", args=[cast.plan.slug]), {"before": draft.pk, "after": adopted.pk}
    ).content.decode()
    assert "1 added, 1 removed, 1 changed" in page
    assert "<td>Spring 2014</td><td>June 2014</td>" in page


def test_a_version_compares_with_the_plan_as_it_stands(client, cast):
    draft, _ = services.version_publish(plan=cast.plan, label="Draft", dated=date(2013, 6, 28))
    make_activity(output=cast.output, description="Added since")
    client.force_login(cast.support)
    page = client.get(
        reverse("workplans:version_compare", args=[cast.plan.slug]), {"before": draft.pk, "after": "current"}
    ).content.decode()
    assert "1 added, 0 removed, 0 changed" in page and "Added since" in page


def test_a_bad_choice_or_a_version_without_contents_is_explained(client, cast):
    recorded = WorkPlanVersion.objects.create(workplan=cast.plan, label="From the documents", dated=date(2013, 6, 28))
    client.force_login(cast.support)
    url = reverse("workplans:version_compare", args=[cast.plan.slug])
    response = client.get(url, {"before": "9999", "after": "current"})
    assert response.status_code == 400
    assert "Choose two versions of this plan" in response.content.decode()
    response = client.get(url, {"before": recorded.pk, "after": "current"})
    assert "was recorded from the documents without the plan&#x27;s contents" in response.content.decode()
