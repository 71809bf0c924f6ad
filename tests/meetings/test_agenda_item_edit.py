"""Editing an agenda item: who may (role x method), a concurrent edit, the same form posted twice."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from groups.models import Person
from meetings.models import AgendaItem, Meeting
from tests.factories import form_as_opened, make_agency, make_group, make_meeting, make_person, make_term

# Support staff keep every meeting; a group's co-chairs keep their group's meetings; nobody else writes. Someone
# signed out (or deactivated) is sent to sign in.
EXPECTED = {
    "anonymous": {"GET": 302, "POST": 302},
    "deactivated": {"GET": 302, "POST": 302},
    "focal_other": {"GET": 403, "POST": 403},
    "chair": {"GET": 403, "POST": 403},
    "co_chair": {"GET": 200, "POST": 302},
    "support": {"GET": 200, "POST": 302},
}


@pytest.fixture
def cast(db):
    ilo, unhcr, wb = make_agency("ILO"), make_agency("UNHCR"), make_agency("WB")
    group = make_group(co_chairs=[ilo], slug="tf-decent-work")
    make_term(wb, date(2015, 1, 1), date(2015, 12, 31))
    meeting = make_meeting(date(2015, 5, 4), title="TF meeting", kind=Meeting.Kind.GROUP, group=group)
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Welcome")
    people = {
        "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
        "focal_other": make_person("focal-unhcr", role=Person.Role.FOCAL_POINT, agency=unhcr),
        "chair": make_person("focal-wb", role=Person.Role.FOCAL_POINT, agency=wb),
        "co_chair": make_person("focal-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "support": make_person("support", role=Person.Role.SUPPORT),
    }
    return {"item": item, "people": people, "url": reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk])}


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_each_role_may_edit_an_agenda_item_where_it_should_and_nothing_more(cast, role, method):
    url, item = cast["url"], cast["item"]
    keeper = Client()
    keeper.force_login(cast["people"]["support"])
    data = {**form_as_opened(keeper, url), "title": f"Welcome ({role})"}
    client = Client()
    if role != "anonymous":
        client.force_login(cast["people"][role])
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == EXPECTED[role][method], f"{role} {method}: {response.status_code}"
    if response.status_code == 302 and EXPECTED[role][method] == 302 and role in ("anonymous", "deactivated"):
        assert response["Location"].startswith(reverse("login"))
    item.refresh_from_db()
    written = method == "POST" and EXPECTED[role]["POST"] == 302 and role not in ("anonymous", "deactivated")
    assert item.title == (f"Welcome ({role})" if written else "Welcome")


def test_an_agenda_item_edit_posted_twice_saves_once_and_the_second_post_is_told(cast):
    client = Client()
    client.force_login(cast["people"]["support"])
    data = {**form_as_opened(client, cast["url"]), "title": "Opening"}
    assert client.post(cast["url"], data).status_code == 302
    again = client.post(cast["url"], data)
    assert again.status_code == 409
    item = cast["item"]
    item.refresh_from_db()
    assert (item.title, item.revision) == ("Opening", 2)
