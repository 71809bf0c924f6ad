"""The API reads the record as the pages and commands do: the troika and the register from chairs/ and
register/deadlines.py, work plans whole, lists in pages and filtered, bad parameters refused with a reason."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chairs.services import troika_on
from register.reading import obligations
from tests.factories import make_activity, make_agency, make_output, make_stream, make_term


def test_the_troika_on_a_day_is_the_chairs_troika(api, cast):
    make_term(make_agency("UNDP"), date(2014, 1, 1), date(2014, 12, 31))
    make_term(make_agency("ZZ"), date(2016, 1, 1), date(2016, 12, 31))
    body = api.get(reverse("api:troika"), cast.viewer, on="2015-06-15").json()
    troika = troika_on(date(2015, 6, 15))
    assert body["day"] == "2015-06-15"
    assert [body[k]["agency"] for k in ("previous", "current", "next")] == ["UNDP", "WB", "ZZ"]
    assert body["current"]["term_id"] == troika.current.pk
    assert body["next_is_proposed"] is False


@pytest.mark.parametrize("value", ["15/06/2015", "2015-13-01", "0001-01-01", "9999-12-31"])
def test_a_day_that_is_no_day_is_refused_with_a_reason(api, cast, value):
    response = api.get(reverse("api:troika"), cast.viewer, on=value)
    assert response.status_code == 400
    assert "on" in response.json()


def test_the_deadlines_are_the_registers(api, cast):
    body = api.get(reverse("api:deadlines"), cast.viewer, **{"from": "2014-01-01", "to": "2015-12-31"}).json()
    expected = obligations(first=date(2014, 1, 1), last=date(2015, 12, 31))
    assert body["count"] == len(expected) > 0
    assert [row["key"] for row in body["results"]] == [o.key for o in expected][:50]
    assert {row["kind"] for row in body["results"]} >= {"activity_end", "annual_workplan"}


def test_the_deadlines_of_an_agency_and_kind(api, cast):
    params = {"from": "2014-01-01", "to": "2014-12-31", "agency": "unodc", "kind": "activity_end"}
    body = api.get(reverse("api:deadlines"), cast.viewer, **params).json()
    assert [row["title"] for row in body["results"]] == ["Activity 1.1 ends: Launch the key messages"] or [
        row["agencies"] for row in body["results"]
    ] == [["UNODC"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2015-01-01", "to": "2014-01-01"}, "to"),
        ({"from": "2000-01-01", "to": "2099-01-01"}, "to"),
        ({"kind": "birthday"}, "kind"),
        ({"overdue": "maybe"}, "overdue"),
    ],
)
def test_a_bad_register_question_is_refused_with_a_reason(api, cast, params, field):
    response = api.get(reverse("api:deadlines"), cast.viewer, **params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_work_plan_comes_with_its_streams_outputs_and_activities(api, cast):
    body = api.get(reverse("api:workplan-detail", args=[cast.plan.slug]), cast.viewer).json()
    assert body["title"] == "Test MAWP 2013-2015"
    stream = body["streams"][0]
    assert stream["title"] == "Human rights and gender equality"
    activity = stream["outputs"][0]["activities"][0]
    assert activity["description"] == "Launch the key messages"
    assert activity["lead_agencies"] == ["UNODC"] and activity["partners"] == ["UNICEF"]
    assert activity["page"].endswith(cast.activity.get_absolute_url())


def test_activities_filter_by_plan_agency_and_status(api, cast):
    url = reverse("api:activity-list")
    assert [a["id"] for a in api.get(url, cast.viewer, workplan="mawp-test").json()["results"]] == [cast.activity.pk]
    assert [a["id"] for a in api.get(url, cast.viewer, agency="UNICEF").json()["results"]] == [cast.activity.pk]
    assert api.get(url, cast.viewer, agency="ILO").json()["count"] == 0
    assert api.get(url, cast.viewer, status="completed").json()["count"] == 0
    assert api.get(url, cast.viewer, status="nonsense").status_code == 400


def test_lists_come_in_pages(api, cast):
    for n in range(60):
        make_agency(f"X{n:02d}")
    first = api.get(reverse("api:agency-list"), cast.viewer).json()
    assert first["count"] == 65 and len(first["results"]) == 50 and first["next"]
    assert len(api.get(reverse("api:agency-list"), cast.viewer, page=2).json()["results"]) == 15
    assert len(api.get(reverse("api:agency-list"), cast.viewer, page_size=200).json()["results"]) == 65
    assert api.get(reverse("api:agency-list"), cast.viewer, page=99).status_code == 404


@pytest.mark.parametrize("page_size", ["500", "0", "-1", "ten", "2.5", "", "1e2"])
def test_a_page_size_that_is_not_a_whole_number_from_1_to_200_is_refused_with_a_reason(api, cast, page_size):
    """Not ignored (a short list read as the whole one), nor echoed raw into the `next` link."""
    response = api.get(reverse("api:agency-list"), cast.viewer, page_size=page_size)
    assert response.status_code == 400
    assert response.json() == {"page_size": [f"Write a whole number from 1 to 200, not {page_size!r}."]}


def test_the_next_link_carries_the_page_size_asked_for(api, cast):
    for n in range(3):
        make_agency(f"X{n:02d}")
    body = api.get(reverse("api:agency-list"), cast.viewer, page_size=2).json()
    assert len(body["results"]) == 2 and "page_size=2" in body["next"] and "page=2" in body["next"]


def test_an_agency_no_one_has_is_not_found_in_the_register(api, cast):
    response = api.get(reverse("api:deadlines"), cast.viewer, agency="NOPE")
    assert response.status_code == 404
    assert response.json() == {"detail": "No agency has the acronym 'NOPE'."}


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("api:activity-list", {"status": ""}),
        ("api:activity-list", {"ends_before": "25/12/2014"}),
        ("api:activity-list", {"year": "2014.5"}),
        ("api:chair-term-list", {"year": "1989"}),
        ("api:decision-list", {"on_trial": "maybe"}),
        ("api:agency-list", {"member_on": "2014-1-5"}),
        ("api:troika", {"on": ""}),
    ],
)
def test_a_filter_outside_what_the_schema_says_is_refused_with_a_reason(api, cast, url, params):
    response = api.get(reverse(url), cast.viewer, **params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def grow(cast, n):
    agency = make_agency(f"GR{n}")
    for _ in range(n):
        stream = make_stream(cast.plan)
        output = make_output(stream, year=2014)
        make_activity(output=output, lead_agencies=[cast.owner, agency], partners=[cast.partner])
        make_activity(output=output, lead_agencies=[agency])


def queries(api, url, person):
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url, person).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda c: reverse("api:activity-list"),
        lambda c: reverse("api:workplan-detail", args=[c.plan.slug]),
        lambda c: reverse("api:workplan-list"),
        lambda c: reverse("api:group-list"),
        lambda c: reverse("api:meeting-list"),
    ],
    ids=["activities", "workplan", "workplans", "groups", "meetings"],
)
def test_the_number_of_queries_does_not_grow_with_the_data(api, cast, url_of):
    grow(cast, 2)
    small = queries(api, url_of(cast), cast.viewer)
    grow(cast, 10)
    assert queries(api, url_of(cast), cast.viewer) == small


def test_an_activitys_updates_answer_with_the_json_suffix_as_without(api, cast):
    plain = api.get(reverse("api:activity-updates", args=[cast.activity.pk]), cast.viewer)
    suffixed = api.get(reverse("api:activity-updates", args=[cast.activity.pk, "json"]), cast.viewer)
    assert plain.status_code == suffixed.status_code == 200
    assert plain.json() == suffixed.json()


def test_an_agency_with_a_nul_character_is_refused_with_a_reason(api, cast):
    response = api.get(reverse("api:deadlines"), cast.viewer, agency="IL\x00O")
    assert response.status_code == 400
    assert "agency" in response.json()


def test_activities_led_by_an_agency_are_listed_once_each_whatever_the_case_of_its_acronym(api, cast):
    from tests.factories import make_activity

    both = make_activity(output=cast.output, description="Co-led", lead_agencies=[cast.owner, cast.partner])
    make_activity(output=cast.output, description="Partnered only", partners=[cast.owner])
    url = reverse("api:activity-list")
    led = api.get(url, cast.viewer, lead_agency="unodc").json()
    assert [a["id"] for a in led["results"]] == [cast.activity.pk, both.pk] and led["count"] == 2
    assert api.get(url, cast.viewer, lead_agency="UNICEF").json()["count"] == 1
    assert api.get(url, cast.viewer, lead_agency="NOBODY").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_a_page_of_activities_filtered_by_agency_shows_the_same_rows_as_unfiltered_reads_of_them(api, cast):
    """The page's rows are read by id once the filter chose them: each row is whole, with both kinds of agency."""
    from tests.factories import make_activity

    for n in range(3):
        make_activity(output=cast.output, description=f"Shared {n}", lead_agencies=[cast.other], partners=[cast.owner])
    url = reverse("api:activity-list")
    everything = {a["id"]: a for a in api.get(url, cast.viewer).json()["results"]}
    filtered = api.get(url, cast.viewer, agency="UNODC", page_size=2, page=2).json()
    assert filtered["count"] == 4
    assert filtered["results"] == [everything[a["id"]] for a in filtered["results"]]
    assert filtered["results"][0]["lead_agencies"] == ["ILO"] and filtered["results"][0]["partners"] == ["UNODC"]


@pytest.mark.parametrize(
    ("method", "address"),
    [("get", "/api/activities/abc/"), ("post", "/api/activities/a%0Ab/updates/"), ("get", "/api/x")],
)
def test_an_address_the_api_does_not_have_is_answered_as_the_api_answers(client, method, address):
    response = getattr(client, method)(address)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No such address in the API; /api/docs/ lists them."}
