"""Editing a work plan's details: who may (role x method), a concurrent edit, the same form posted twice."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from groups.models import Person
from tests.factories import form_as_opened, make_agency, make_group, make_person, make_term, make_workplan
from workplans.models import WorkPlan

# Support staff edit every plan; the chair's people its term's annual plan; nobody else. Someone signed out (or
# deactivated) is sent to sign in.
EXPECTED = {
    "anonymous": {"GET": 302, "POST": 302},
    "deactivated": {"GET": 302, "POST": 302},
    "viewer": {"GET": 403, "POST": 403},
    "focal_other": {"GET": 403, "POST": 403},
    "co_chair": {"GET": 403, "POST": 403},
    "chair": {"GET": 200, "POST": 302},
    "principal": {"GET": 200, "POST": 302},
    "support": {"GET": 200, "POST": 302},
}


@pytest.fixture
def cast(db):
    ilo, unhcr, wb = make_agency("ILO"), make_agency("UNHCR"), make_agency("WB")
    make_group(co_chairs=[ilo], slug="tf-decent-work")
    term = make_term(wb, date(2015, 1, 1), date(2015, 12, 31))
    plan = make_workplan(
        slug="wb-2015",
        title="GMG Work Plan 2015",
        kind=WorkPlan.Kind.CHAIR_ANNUAL,
        chair_term=term,
        starts_on=date(2015, 1, 1),
        ends_on=date(2015, 12, 31),
    )
    people = {
        "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
        "viewer": make_person("viewer", role=Person.Role.VIEWER),
        "focal_other": make_person("focal-unhcr", role=Person.Role.FOCAL_POINT, agency=unhcr),
        "co_chair": make_person("focal-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "chair": make_person("focal-wb", role=Person.Role.FOCAL_POINT, agency=wb),
        "principal": make_person("principal-wb", role=Person.Role.PRINCIPAL, agency=wb),
        "support": make_person("support", role=Person.Role.SUPPORT),
    }
    return {"plan": plan, "people": people, "url": reverse("workplans:workplan_edit", args=[plan.slug])}


def _signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_each_role_may_edit_a_plans_details_where_it_should_and_nothing_more(cast, role, method):
    url, plan = cast["url"], cast["plan"]
    data = {**form_as_opened(_signed_in(cast["people"]["support"]), url), "summary": f"Summary by {role}"}
    client = Client() if role == "anonymous" else _signed_in(cast["people"][role])
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == EXPECTED[role][method], f"{role} {method}: {response.status_code}"
    if role in ("anonymous", "deactivated"):
        assert response["Location"].startswith(reverse("login"))
    plan.refresh_from_db()
    written = method == "POST" and EXPECTED[role]["POST"] == 302 and role not in ("anonymous", "deactivated")
    assert plan.summary == (f"Summary by {role}" if written else "")


def test_two_editors_of_a_plans_details_the_second_is_told_and_loses_nothing(cast):
    first, second = _signed_in(cast["people"]["support"]), _signed_in(cast["people"]["chair"])
    mine, theirs = form_as_opened(first, cast["url"]), form_as_opened(second, cast["url"])
    assert first.post(cast["url"], {**mine, "summary": "The chair's priorities"}).status_code == 302
    response = second.post(cast["url"], {**theirs, "summary": "Four priorities for 2015"})
    assert response.status_code == 409
    assert "Four priorities for 2015" in response.text  # the person's input kept in the form
    plan = cast["plan"]
    plan.refresh_from_db()
    assert (plan.summary, plan.revision) == ("The chair's priorities", 2)


def test_a_plans_details_posted_twice_save_once_and_the_second_post_is_told(cast):
    client = _signed_in(cast["people"]["support"])
    data = {**form_as_opened(client, cast["url"]), "summary": "The chair's priorities"}
    assert client.post(cast["url"], data).status_code == 302
    assert client.post(cast["url"], data).status_code == 409
    plan = cast["plan"]
    plan.refresh_from_db()
    assert (plan.summary, plan.revision) == ("The chair's priorities", 2)
