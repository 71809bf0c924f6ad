"""Reporting rounds reach focal points where they work: the update form and "My agency's activities"."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from tests.factories import make_activity, make_update
from workplans import services
from workplans.models import ActivityUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(cast):
    return services.reporting_round_open(
        title="First half of 2014",
        workplan=cast.plan,
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )[0]


@time_machine.travel("2014-07-01 09:00 +02:00")
def test_the_update_form_names_the_open_round_and_its_due_date(client, cast, round_):
    client.force_login(cast.focal_owner)
    page = client.get(reverse("workplans:activity_report", args=[cast.activity.pk])).text
    assert "This update answers the reporting round" in page
    assert "“First half of 2014”" in page and "updates are due on <strong>15 July 2014</strong>" in page
    # An activity the round does not ask about, and a day after the round is due, name no round.
    later = make_activity(
        output=cast.output, description="Next year", starts_on=date(2015, 1, 1), ends_on=date(2015, 6, 30)
    )
    later.lead_agencies.set([cast.owner])
    assert "reporting round" not in client.get(reverse("workplans:activity_report", args=[later.pk])).text
    with time_machine.travel("2014-07-20 09:00 +02:00"):
        assert "reporting round" not in client.get(reverse("workplans:activity_report", args=[cast.activity.pk])).text


@time_machine.travel("2014-07-01 09:00 +02:00")
def test_my_agencys_activities_filter_what_is_due_in_the_round_and_not_yet_reported(client, cast, round_):
    reported = make_activity(
        output=cast.output,
        description="Indicators on border rights",
        starts_on=date(2014, 1, 1),
        ends_on=date(2014, 12, 31),
        lead_agencies=[cast.owner],
    )
    make_update(reported, cast.owner, reported_on=date(2014, 6, 20))
    returned = make_activity(
        output=cast.output,
        description="Training of trainers",
        starts_on=date(2014, 2, 1),
        ends_on=date(2014, 3, 31),
        lead_agencies=[cast.owner],
    )
    make_update(returned, cast.owner, reported_on=date(2014, 6, 21), review=ActivityUpdate.Review.RETURNED)
    make_activity(
        output=cast.output,
        description="Out of the period",
        starts_on=date(2015, 1, 1),
        ends_on=date(2015, 3, 31),
        lead_agencies=[cast.owner],
    )
    partner_only = make_activity(
        output=cast.output, description="Side event", starts_on=date(2014, 5, 1), ends_on=date(2014, 5, 2)
    )
    partner_only.partners.set([cast.owner])
    client.force_login(cast.focal_owner)
    url = reverse("workplans:my_activities")
    names = ["Launch the key messages", "Indicators on border rights", "Training of trainers", "Out of the period"]

    def listed(**query):
        page = client.get(url, query).text
        return [name for name in [*names, "Side event"] if name in page]

    assert len(listed()) == 5
    page = client.get(url).text
    assert "Reporting round" in page and "updates are due on <strong>15 July 2014</strong>" in page
    assert listed(reporting="due") == ["Launch the key messages", "Indicators on border rights", "Training of trainers"]
    assert listed(reporting="unreported") == ["Launch the key messages", "Training of trainers"]
    # Seen as of a day the round is not open yet, nothing is due in it.
    assert listed(reporting="due", on="2013-12-01") == []
    assert client.get(url, {"reporting": "soon"}).status_code == 200


def test_with_rounds_of_several_plans_and_periods_open_an_activity_is_due_as_each_round_alone_says(cast):
    """Rounds over one period are asked about together; each keeps its own plan and its own period's answers."""
    from tests.factories import make_output, make_stream, make_workplan
    from workplans.models import Activity
    from workplans.selectors import activities_due_in_rounds

    other_plan = make_workplan(slug="other-plan")
    other_output = make_output(make_stream(other_plan), year=2014)
    spring = {"starts_on": date(2014, 3, 1), "ends_on": date(2014, 4, 30), "lead_agencies": [cast.owner]}
    autumn = {"starts_on": date(2014, 9, 1), "ends_on": date(2014, 10, 31), "lead_agencies": [cast.owner]}
    activities = [
        make_activity(output=cast.output, description="Spring here", **spring),
        make_activity(output=other_output, description="Spring there", **spring),
        make_activity(output=cast.output, description="Autumn here", **autumn),
        make_activity(output=other_output, description="Autumn there", **autumn),
    ]
    make_update(activities[1], cast.owner, reported_on=date(2013, 12, 1))  # before the first half: no answer
    make_update(activities[3], cast.owner, reported_on=date(2014, 8, 1))  # answers the second half
    chair_plan_output = make_output(cast.chair_plan.streams.first(), year=2014)
    make_activity(output=chair_plan_output, description="In a plan no round asks about", **spring)
    rounds = [
        services.reporting_round_open(
            title=f"{half} of {plan}", workplan=plan, period_starts_on=start, period_ends_on=end, due_on=end
        )[0]
        for plan in (cast.plan, other_plan)
        for half, start, end in (("First half", date(2014, 1, 1), date(2014, 6, 30)),)
    ]
    rounds.append(
        services.reporting_round_open(
            title="Second half, every plan",
            workplan=None,
            period_starts_on=date(2014, 7, 1),
            period_ends_on=date(2014, 12, 31),
            due_on=date(2015, 1, 15),
        )[0]
    )

    def round_by_round(unreported):
        due = set()
        for round in rounds:
            in_round = Activity.objects.filter(services.reporting_round_scope(round), lead_agencies=cast.owner)
            answered = ActivityUpdate.objects.filter(services.reporting_round_answer(round), agency=cast.owner)
            if unreported:
                in_round = in_round.exclude(pk__in=answered.values("activity_id"))
            due |= set(in_round.values_list("pk", flat=True))
        return due

    for unreported in (False, True):
        found = activities_due_in_rounds(
            Activity.objects.all(), agency=cast.owner, rounds=rounds, unreported=unreported
        )
        assert set(found.values_list("pk", flat=True)) == round_by_round(unreported)
    unreported = activities_due_in_rounds(Activity.objects.all(), agency=cast.owner, rounds=rounds, unreported=True)
    assert {a.description for a in unreported} >= {"Spring here", "Spring there", "Autumn here"}
    assert "Autumn there" not in {a.description for a in unreported}
    assert "In a plan no round asks about" not in {a.description for a in unreported}
