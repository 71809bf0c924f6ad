import pytest

from groups.models import Person
from tests.factories import make_agency, make_person

pytestmark = pytest.mark.django_db


def test_a_person_chooses_a_weekly_digest_for_themselves_only(client):
    unodc = make_agency("UNODC")
    me = make_person(role=Person.Role.FOCAL_POINT, agency=unodc)
    other = make_person(role=Person.Role.FOCAL_POINT, agency=unodc)
    client.force_login(me)

    response = client.post("/groups/me/reminders/", {"reminder_delivery": "weekly", "pk": other.pk}, follow=True)

    assert "Saved: a weekly digest." in response.text
    me.refresh_from_db()
    other.refresh_from_db()
    assert (me.reminder_delivery, other.reminder_delivery) == ("weekly", "immediate")


def test_an_unknown_choice_is_refused_next_to_the_field_and_nothing_changes(client):
    me = make_person()
    client.force_login(me)
    response = client.post("/groups/me/reminders/", {"reminder_delivery": "hourly"})
    assert response.status_code == 400  # refused, in the page
    assert "Select a valid choice" in response.text
    me.refresh_from_db()
    assert me.reminder_delivery == "immediate"


def test_the_page_asks_to_sign_in_first(client):
    response = client.get("/groups/me/reminders/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
