"""The support team keeps the agencies in the portal: an agency, its rotation sort name, its membership periods.

Only support staff write (groups.access.can_keep_record); a form posted twice creates one row (its one-time
token); two people editing the same agency or period never overwrite each other unseen (its revision).
"""

from datetime import date

import pytest
from django.urls import reverse

from chairs.services import propose_rotation
from groups.models import Agency, Membership, Person
from tests.factories import make_agency, make_person, make_term

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "focal_point", "principal", "support", "deactivated"]


@pytest.fixture
def world():
    ilo = make_agency("ILO", name="International Labour Organization", left=date(2015, 12, 31))
    return {
        "ilo": ilo,
        "people": {
            "viewer": make_person("viewer"),
            "focal_point": make_person("fp", role=Person.Role.FOCAL_POINT, agency=ilo),
            "principal": make_person("dg", role=Person.Role.PRINCIPAL, agency=ilo),
            "support": make_person("support", role=Person.Role.SUPPORT),
            "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
        },
    }


def new_agency(token="8d0b9a52-7d43-4d57-9d8a-0f6c1a0d5e11", **extra):
    return {
        "acronym": "UNU",
        "name": "United Nations University",
        "sort_name": "United Nations University",
        "joined": "2014-06-01",
        "token": token,
        **extra,
    }


def edit_agency(agency, **extra):
    return {
        "acronym": agency.acronym,
        "name": agency.name,
        "sort_name": "Labour Organization, International",
        "note": "",
        "source": "",
        "revision": agency.revision,
        **extra,
    }


WRITES = [
    ("agency_create", lambda w: reverse("groups:agency_create"), lambda w: new_agency()),
    ("agency_edit", lambda w: reverse("groups:agency_edit", args=["ILO"]), lambda w: edit_agency(w["ilo"])),
    (
        "membership_create",
        lambda w: reverse("groups:membership_create", args=["ILO"]),
        lambda w: {"joined": "2019-01-01", "left": "", "note": "", "token": "5f8f1d8e-2b55-4c0b-9a57-5d0a3f7b9c21"},
    ),
    (
        "membership_edit",
        lambda w: reverse("groups:membership_edit", args=["ILO", w["ilo"].memberships.get().pk]),
        lambda w: {"joined": "", "left": "2018-12-31", "note": "Left", "revision": 1},
    ),
]
CASES = [(write, role, method) for write in WRITES for role in ROLES for method in ("get", "post")]


def snapshot():
    return (
        list(Agency.objects.order_by("pk").values_list("pk", "acronym", "name", "sort_name", "revision")),
        list(Membership.objects.order_by("pk").values_list("pk", "joined", "left", "note", "revision")),
    )


@pytest.mark.parametrize(("write", "role", "method"), CASES, ids=[f"{w[0]}-{r}-{m}" for w, r, m in CASES])
def test_only_support_staff_keep_agencies(client, world, write, role, method):
    name, url_for, data_for = write
    if role != "anonymous":
        client.force_login(world["people"][role])
    before = snapshot()
    url = url_for(world)
    response = client.get(url) if method == "get" else client.post(url, data_for(world))
    if role in ("anonymous", "deactivated"):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert snapshot() == before
    elif role == "support":
        assert response.status_code == (200 if method == "get" else 302), response.content[:3000]
        if method == "post":
            assert snapshot() != before
    else:
        assert response.status_code == 403
        assert snapshot() == before


def test_support_staff_add_an_agency_with_its_first_membership_period(client, world):
    client.force_login(world["people"]["support"])
    response = client.post(reverse("groups:agency_create"), new_agency())
    unu = Agency.objects.get(acronym="UNU")
    assert response.url == unu.get_absolute_url()
    assert [(p.joined, p.left) for p in unu.memberships.all()] == [(date(2014, 6, 1), None)]
    assert not unu.is_member_on(date(2014, 5, 31)) and unu.is_member_on(date(2014, 6, 1))
    page = client.get(unu.get_absolute_url())
    assert "From 1 June 2014, still a member" in page.text


def test_an_agency_form_posted_twice_adds_one_agency(client, world):
    client.force_login(world["people"]["support"])
    first = client.post(reverse("groups:agency_create"), new_agency())
    second = client.post(reverse("groups:agency_create"), new_agency())
    assert first.status_code == second.status_code == 302
    assert Agency.objects.filter(acronym="UNU").count() == 1
    assert Membership.objects.filter(agency__acronym="UNU").count() == 1
    assert "was already added" in client.get(second.url).text


def test_a_second_agency_with_the_same_acronym_is_refused_next_to_the_field(client, world):
    client.force_login(world["people"]["support"])
    response = client.post(
        reverse("groups:agency_create"), new_agency(acronym="ilo", token="0e3f6c8e-8a0e-4d0c-8b59-1a2f3e4d5c6b")
    )
    assert response.status_code == 400
    assert "There is already an agency ilo in the record." in response.text
    assert Agency.objects.count() == 1


def test_the_iati_organisation_identifier_is_kept_and_checked_against_iatis_codelist(client, world):
    client.force_login(world["people"]["support"])
    url = reverse("groups:agency_edit", args=["ILO"])
    response = client.post(url, edit_agency(world["ilo"], iati_identifier="XI-GMG"))
    assert response.status_code == 400
    assert "must start with a registration agency prefix IATI lists" in response.text
    assert client.post(url, edit_agency(world["ilo"], iati_identifier="XM-DAC-41302")).status_code == 302
    assert Agency.objects.get(acronym="ILO").iati_identifier == "XM-DAC-41302"
    assert "XM-DAC-41302" in client.get(reverse("groups:agency_detail", args=["ILO"])).text


def test_two_people_editing_an_agency_do_not_overwrite_each_other_unseen(client, world):
    ilo = world["ilo"]
    client.force_login(world["people"]["support"])
    stale = edit_agency(ilo)
    assert (
        client.post(reverse("groups:agency_edit", args=["ILO"]), edit_agency(ilo, name="ILO (first)")).status_code
        == 302
    )
    response = client.post(reverse("groups:agency_edit", args=["ILO"]), {**stale, "name": "ILO (second)"})
    assert response.status_code == 409
    assert "Someone else saved this agency" in response.text
    assert "ILO (first)" in response.text and "ILO (second)" in response.text  # theirs beside mine
    ilo.refresh_from_db()
    assert ilo.name == "ILO (first)" and ilo.revision == 2
    # Saving again from the conflict page keeps the second person's version deliberately.
    again = client.post(reverse("groups:agency_edit", args=["ILO"]), {**stale, "name": "ILO (second)", "revision": 2})
    assert again.status_code == 302
    ilo.refresh_from_db()
    assert ilo.name == "ILO (second)"


def test_a_membership_period_that_overlaps_another_is_refused_in_plain_words(client, world):
    ilo = world["ilo"]
    ilo.memberships.update(left=date(2014, 12, 31))  # it left, and may come back
    client.force_login(world["people"]["support"])
    url = reverse("groups:membership_create", args=["ILO"])
    token = "6a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8"
    response = client.post(url, {"joined": "2014-06-01", "left": "", "token": token})
    assert response.status_code == 400
    assert "This period overlaps another one of ILO" in response.text
    response = client.post(url, {"joined": "2015-01-01", "left": "2014-01-01", "token": token})
    assert response.status_code == 400
    assert "An agency leaves after it joins" in response.text
    assert ilo.memberships.count() == 1
    assert client.post(url, {"joined": "2016-01-01", "left": "", "token": token}).status_code == 302
    assert client.post(url, {"joined": "2016-01-01", "left": "", "token": token}).status_code == 302
    assert ilo.memberships.count() == 2  # the second post of the same form added nothing


def test_two_people_changing_one_membership_period_do_not_overwrite_each_other(client, world):
    period = world["ilo"].memberships.get()
    client.force_login(world["people"]["support"])
    url = reverse("groups:membership_edit", args=["ILO", period.pk])
    assert client.post(url, {"left": "2015-12-31", "revision": 1}).status_code == 302
    response = client.post(url, {"left": "2016-12-31", "revision": 1})
    assert response.status_code == 409
    period.refresh_from_db()
    assert period.left == date(2015, 12, 31)


def test_the_rotation_reads_membership_from_the_periods_of_an_agency_that_left_and_came_back():
    alpha = make_agency("AAA", name="Alpha", sort_name="Alpha", left=date(2015, 12, 31))
    Membership.objects.create(agency=alpha, joined=date(2017, 1, 1))
    bravo = make_agency("BBB", name="Bravo", sort_name="Bravo")
    make_agency("CCC", name="Charlie", sort_name="Charlie")
    make_term(bravo, date(2015, 1, 1), date(2015, 12, 31))
    proposals = propose_rotation(count=3, skip_recent_terms=1)
    # 2016 Charlie; Alpha is not a member in 2016 but is again from 2017: its turn comes in 2017.
    assert [(p.agency.acronym, p.starts_on.year) for p in proposals] == [("CCC", 2016), ("AAA", 2017), ("BBB", 2018)]
    assert set(Agency.objects.members_on(date(2016, 6, 1)).values_list("acronym", flat=True)) == {"BBB", "CCC"}
    assert set(Agency.objects.members_on(date(2017, 6, 1)).values_list("acronym", flat=True)) == {"AAA", "BBB", "CCC"}
