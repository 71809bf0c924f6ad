"""'My agency's activities' counts and shows what the agency leads or takes part in, read as plain values."""

from datetime import date

import pytest
from django.urls import reverse

from groups.models import Person
from tests.factories import make_activity, make_agency, make_output, make_person, make_update
from workplans import selectors
from workplans.models import Activity, ActivityUpdate
from workplans.services import activity_update_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal_owner_page(client, cast):
    client.force_login(cast.focal_owner)
    return lambda query=None: client.get(reverse("workplans:my_activities"), query or {})


def test_an_activity_the_agency_both_leads_and_takes_part_in_is_counted_once(cast, focal_owner_page):
    both = make_activity(output=cast.output, description="Led and partnered", lead_agencies=[cast.owner])
    both.partners.add(cast.owner)
    make_activity(output=cast.output, description="Partnered only", partners=[cast.owner])
    make_activity(output=cast.output, description="Someone else's", lead_agencies=[cast.other])
    expected = Activity.objects.involving(cast.owner).count()
    assert expected == 3
    assert selectors.involving_count(cast.owner) == expected
    page = focal_owner_page()
    assert page.context["listing"].count == expected
    assert "3 activities" in page.content.decode()


def test_a_filter_counts_what_it_keeps_and_a_value_that_is_not_valid_filters_nothing(cast, focal_owner_page):
    make_activity(output=make_output(cast.stream, year=2015), lead_agencies=[cast.owner], status="delayed")
    assert focal_owner_page({"status": "delayed"}).context["listing"].count == 1
    assert focal_owner_page({"year": "2015"}).context["listing"].count == 1
    not_valid = focal_owner_page({"year": "soon", "page": "1"})
    assert not_valid.context["listing"].count == 2 and "Enter a number." in not_valid.content.decode()


def test_each_row_says_the_agency_s_role_who_leads_the_status_and_the_latest_update_returned_or_not(cast):
    led = cast.activity  # UNODC leads it, ended 31 May 2014 and still planned
    partnered = make_activity(
        output=cast.output,
        description="Translate the messages",
        lead_agencies=[cast.other, cast.partner],
        partners=[cast.owner],
        ends_on=date(2014, 4, 30),
        status=Activity.Status.COMPLETED,
    )
    make_update(led, cast.owner, reported_on=date(2014, 4, 1), review=ActivityUpdate.Review.SUBMITTED)
    make_update(led, cast.owner, reported_on=date(2014, 5, 1), review=ActivityUpdate.Review.RETURNED)
    rows = selectors.agency_activity_rows([partnered.pk, led.pk], agency=cast.owner, day=date(2014, 6, 15))
    assert [row["pk"] for row in rows] == [partnered.pk, led.pk]
    first, second = rows
    assert (first["led"], first["leads"], first["overdue"], first["status_label"]) == (
        False,
        "ILO, UNICEF",
        False,
        "Completed",
    )
    assert (second["led"], second["leads"], second["overdue"]) == (True, "UNODC", True)
    assert (second["latest_update_on"], second["latest_update_review"]) == (date(2014, 5, 1), "returned")
    assert first["latest_update_on"] is None
    assert second["plan_title"] == cast.plan.title and second["stream_title"] == cast.stream.title
    assert second["url"] == led.get_absolute_url()
    assert second["report_url"] == reverse("workplans:activity_report", args=[led.pk])


def test_the_page_shows_a_row_as_it_did_when_read_from_model_instances(client, cast):
    make_update(cast.activity, cast.owner, reported_on=date(2014, 4, 1))
    client.force_login(make_person(role=Person.Role.FOCAL_POINT, agency=cast.owner))
    page = client.get(reverse("workplans:my_activities"), {"on": "2014-06-15"}).content.decode()
    assert '<tr class="table-danger">' in page
    assert "Test MAWP 2013-2015<div" in page and "Human rights and gender equality" in page
    assert "ends 31 May 2014" in page and '<span class="badge text-bg-danger">overdue</span>' in page
    assert 'Lead<div class="text-body-secondary">UNODC</div>' in page
    assert "1 Apr 2014 <span" in page and "(to review)" in page
    assert f'href="{cast.activity.get_absolute_url()}?on=2014-06-15">Launch the key messages</a>' in page


def test_a_person_of_an_agency_with_nothing_to_do_sees_an_empty_list_counted_zero(client, cast):
    client.force_login(make_person(role=Person.Role.FOCAL_POINT, agency=make_agency("UNHCR")))
    page = client.get(reverse("workplans:my_activities"))
    assert page.context["listing"].count == 0 and "No activity matches." in page.content.decode()


def test_a_database_that_cannot_order_an_aggregate_lists_the_lead_agencies_in_the_same_order(cast, monkeypatch):
    from django.db import connection

    shared = make_activity(output=cast.output, lead_agencies=[cast.partner, cast.owner, cast.other])
    ordered = selectors.agency_activity_rows([shared.pk], agency=cast.owner, day=date(2014, 6, 15))
    monkeypatch.setattr(connection.features, "supports_aggregate_order_by_clause", False)
    read_apart = selectors.agency_activity_rows([shared.pk], agency=cast.owner, day=date(2014, 6, 15))
    assert ordered == read_apart and ordered[0]["leads"] == "ILO, UNICEF, UNODC" and ordered[0]["led"]


def test_the_activities_not_overdue_on_a_day_are_all_the_others(cast):
    day = date(2014, 6, 15)
    for ends_on, status in [
        (None, Activity.Status.PLANNED),
        (date(2014, 6, 14), Activity.Status.DELAYED),
        (date(2014, 6, 14), Activity.Status.COMPLETED),
        (date(2014, 6, 14), Activity.Status.CANCELLED),
        (date(2014, 6, 15), Activity.Status.PLANNED),
        (date(2014, 6, 16), Activity.Status.ON_TRACK),
    ]:
        make_activity(output=cast.output, ends_on=ends_on, status=status)
    every = set(Activity.objects.values_list("pk", flat=True))
    overdue = set(Activity.objects.overdue_on(day).values_list("pk", flat=True))
    assert len(overdue) == 2  # the cast's activity (ended 31 May) and the delayed one
    assert set(Activity.objects.not_overdue_on(day).values_list("pk", flat=True)) == every - overdue


def test_an_update_returned_for_changes_stays_on_the_list_as_returned(client, cast):
    update = make_update(cast.activity, cast.owner, reported_on=date(2014, 4, 1))
    client.force_login(make_person(role=Person.Role.FOCAL_POINT, agency=cast.owner))
    assert "(to review)" in client.get(reverse("workplans:my_activities")).content.decode()
    activity_update_review(update=update, accept=False, comment="Add the dates", reviewer=cast.support)
    page = client.get(reverse("workplans:my_activities")).content.decode()
    assert "1 Apr 2014 <span" in page and "(returned for changes)" in page
