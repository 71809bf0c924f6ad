"""`generate_scale_data` adds synthetic records in the GMG's shape, the same for the same seed, and removes them."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from groups.models import Agency, Person
from meetings.models import ActionPoint, Meeting
from workplans import plan_order
from workplans.models import Activity, ActivityUpdate, WorkPlan


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Agency, Person, WorkPlan, Activity, ActivityUpdate, Meeting, ActionPoint)
    }


def fingerprint() -> list:
    return list(
        ActivityUpdate.objects.order_by("activity__description", "reported_on", "narrative").values_list(
            "activity__description", "agency__acronym", "reported_on", "status", "narrative"
        )[:50]
    )


def test_one_unit_has_the_shape_of_a_plan_with_its_updates_meetings_and_people(gmg_record):
    before = counts()
    call_command("generate_scale_data", factor=1, seed=7)
    after = counts()
    assert after["WorkPlan"] - before["WorkPlan"] == 1
    assert after["Activity"] - before["Activity"] == 196
    assert after["ActivityUpdate"] - before["ActivityUpdate"] == 1960
    assert after["Meeting"] - before["Meeting"] == 50
    assert after["ActionPoint"] - before["ActionPoint"] == 100
    assert after["Person"] - before["Person"] == 20
    assert (
        Activity.objects.filter(output__stream__workplan__slug__startswith="scale-", lead_agencies__isnull=True).count()
        == 0
    )
    synthetic = Activity.objects.filter(output__stream__workplan__slug__startswith="scale-")
    assert synthetic.filter(description__icontains="migration").count() == 196
    assert plan_order.refresh(synthetic) == 0, "the synthetic activities are made with their place in the plan"


def test_the_same_seed_makes_the_same_records_and_remove_leaves_the_record_as_it_was(gmg_record):
    before = counts()
    call_command("generate_scale_data", factor=2, seed=7)
    first = fingerprint()
    call_command("generate_scale_data", remove=True)
    assert counts() == before
    call_command("generate_scale_data", factor=2, seed=7)
    assert fingerprint() == first
    call_command("generate_scale_data", factor=2, seed=8, remove=True)
    assert counts() == before


def test_it_refuses_to_add_a_second_set_on_top_of_the_first(gmg_record):
    call_command("generate_scale_data", factor=1)
    with pytest.raises(CommandError, match="remove them first"):
        call_command("generate_scale_data", factor=1)
