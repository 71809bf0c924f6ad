"""The deadline register page (register:deadline_register): the stored register a page at a time, filtered by
agency, kind and state as of a day, and linked from the dashboard."""

from datetime import date

import pytest
from django.urls import reverse

from groups.models import Person
from meetings.models import Meeting
from register.deadlines import computed_obligations
from register.views import REGISTER_PER_PAGE
from tests.factories import make_action_point, make_agency, make_meeting, make_person, make_term

pytestmark = pytest.mark.django_db
URL = reverse("register:deadline_register")


@pytest.fixture
def world(client):
    ilo, iom = make_agency("ILO"), make_agency("IOM")
    make_term(ilo, date(2015, 1, 1), date(2015, 12, 31))
    meeting = make_meeting(date(2015, 3, 10), title="Working level meeting", status=Meeting.Status.HELD)
    points = [
        make_action_point(meeting, [ilo, iom][n % 2], due_on=date(2015, 4, 1 + n % 28), text=f"Point {n:02d}")
        for n in range(60)
    ]
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    return {"ilo": ilo, "iom": iom, "points": points, "meeting": meeting}


def keys_of(response) -> list[str]:
    return [o.key for o in response.context["obligations"]]


def test_the_page_shows_the_register_as_computed_a_page_at_a_time_with_its_filters_kept(client, world):
    on = date(2015, 4, 10)
    response = client.get(URL, {"on": "2015-04-10", "kind": "action_point", "state": "all"})
    assert response.status_code == 200
    everything = {"first": date(2000, 1, 1), "last": date(2100, 12, 31)}
    expected = [o.key for o in computed_obligations(**everything, today=on, kinds={"action_point"})]
    page = response.context["page"]
    assert page.paginator.count == len(expected) == 60
    assert len(keys_of(response)) == REGISTER_PER_PAGE
    second = client.get(URL, {"on": "2015-04-10", "kind": "action_point", "state": "all", "page": 2})
    assert sorted(keys_of(response) + keys_of(second)) == sorted(expected)
    assert "kind=action_point&amp;state=all&amp;page=2" in response.text  # the next page keeps the filters


def test_states_follow_the_day_the_page_is_seen_as_of(client, world):
    early = client.get(URL, {"on": "2015-03-01", "kind": "action_point", "state": "upcoming"})
    assert early.context["page"].paginator.count == 60
    late = client.get(URL, {"on": "2015-05-15", "kind": "action_point", "state": "overdue"})
    assert late.context["page"].paginator.count == 60
    assert {o.state for o in late.context["obligations"]} == {"overdue"}
    due = client.get(URL, {"on": "2015-04-10", "kind": "action_point", "state": "due"})
    assert {o.state for o in due.context["obligations"]} == {"due"}
    assert all(date(2015, 4, 10) <= o.due for o in due.context["obligations"])


def test_the_agency_filter_keeps_what_the_agency_answers_for(client, world):
    response = client.get(URL, {"on": "2015-04-10", "agency": "IOM", "kind": "action_point", "state": "all"})
    assert response.context["page"].paginator.count == 30
    assert all(o.agency.acronym == "IOM" for o in response.context["obligations"])


@pytest.mark.parametrize(
    "params, message",
    [
        ({"state": "late"}, "is not a state"),
        ({"kind": "party"}, "is not a kind of obligation"),
        ({"agency": "NOPE"}, "There is no agency"),
        ({"on": "2015-13-40"}, "is not a date"),
    ],
)
def test_bad_filters_are_told_in_the_page(client, world, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.text


def test_the_dashboard_links_to_the_register_as_of_its_day(client, world):
    response = client.get(reverse("dashboard"), {"on": "2015-04-10"})
    assert f'href="{URL}?on=2015-04-10"' in response.text
    register = client.get(URL, {"on": "2015-04-10"})
    assert register.status_code == 200
    assert "Point 09" in register.text
