"""The meeting forms keep every write: two people saving the same minutes, agenda item or action point - the
second is told, with the first one's version beside their own input, and nothing is lost; a form posted twice
adds one meeting, one agenda item, one action point."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from groups.models import Person
from meetings.models import ActionPoint, AgendaItem, Meeting
from tests.factories import form_as_opened, make_action_point, make_agency, make_meeting, make_person


@pytest.fixture
def keeper(client, db):
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    return client


@pytest.fixture
def meeting(db):
    return make_meeting(date(2016, 2, 8), title="Working-level meeting", venue="Geneva")


def test_two_people_saving_the_minutes_the_second_is_told_and_the_first_minutes_stay(keeper, meeting):
    url = reverse("meetings:minutes_edit", args=[meeting.pk])
    first, second = form_as_opened(keeper, url), form_as_opened(keeper, url)
    assert keeper.post(url, {**first, "minutes": "Minutes by Ana."}).status_code == 302
    response = keeper.post(url, {**second, "minutes": "Minutes by Ben."})
    assert response.status_code == 409
    assert "Someone else saved this meeting" in response.text
    assert "Minutes by Ana." in response.text  # theirs, shown
    assert "Minutes by Ben." in response.text  # mine, kept in the form
    meeting.refresh_from_db()
    assert meeting.minutes == "Minutes by Ana."
    # Saved again from the conflict view, deliberately: the second version goes in.
    assert keeper.post(url, response.context["form"].data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Minutes by Ben."


def test_minutes_posted_without_their_revision_are_refused(keeper, meeting):
    url = reverse("meetings:minutes_edit", args=[meeting.pk])
    response = keeper.post(url, {"minutes": "Minutes."})
    assert response.status_code == 400
    assert "sent without the version of the record" in response.text
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_saving_minutes_writes_only_the_minutes(keeper, meeting):
    """A change the minutes form does not own (the sequence of the invitation) is never written back."""
    url = reverse("meetings:minutes_edit", args=[meeting.pk])
    data = form_as_opened(keeper, url)
    Meeting.objects.filter(pk=meeting.pk).update(sequence=4, venue="Bangkok")
    assert keeper.post(url, {**data, "minutes": "We met."}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.sequence, meeting.venue) == ("We met.", 4, "Bangkok")


def test_two_people_editing_one_agenda_item_the_second_is_told(keeper, meeting):
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Welcome")
    url = reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk])
    first, second = form_as_opened(keeper, url), form_as_opened(keeper, url)
    assert keeper.post(url, {**first, "title": "Opening"}).status_code == 302
    response = keeper.post(url, {**second, "title": "Welcome and adoption of the agenda"})
    assert response.status_code == 409
    assert 'value="Welcome and adoption of the agenda"' in response.text
    item.refresh_from_db()
    assert (item.title, item.revision) == ("Opening", 2)


def test_two_people_editing_one_action_point_the_second_is_told(keeper, meeting):
    ilo = make_agency("ILO")
    point = make_action_point(meeting, ilo, text="Send comments", due_on=date(2016, 3, 1))
    url = reverse("meetings:action_point_edit", args=[meeting.pk, point.pk])
    first, second = form_as_opened(keeper, url), form_as_opened(keeper, url)
    assert keeper.post(url, {**first, "status": "done", "done_on": "2016-02-20"}).status_code == 302
    response = keeper.post(url, {**second, "text": "Send comments on the concept note"})
    assert response.status_code == 409
    assert "Send comments on the concept note" in response.text
    point.refresh_from_db()
    assert (point.status, point.text) == (ActionPoint.Status.DONE, "Send comments")


def test_a_new_meeting_posted_twice_is_one_meeting(keeper, db):
    url = reverse("meetings:meeting_create")
    data = {
        **form_as_opened(keeper, url),
        "title": "Working-level meeting",
        "kind": Meeting.Kind.WORKING_LEVEL,
        "status": Meeting.Status.PLANNED,
        "starts_on": "2016-02-08",
    }
    assert keeper.post(url, data).status_code == 302
    again = keeper.post(url, data, follow=True)
    assert "This meeting was already added." in again.text
    assert Meeting.objects.count() == 1


def test_a_new_agenda_item_posted_twice_is_one_item(keeper, meeting):
    url = reverse("meetings:agenda_item_create", args=[meeting.pk])
    data = {**form_as_opened(keeper, url), "title": "Work plan"}
    assert keeper.post(url, data).status_code == 302
    assert keeper.post(url, data).status_code == 302
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Work plan"]


def test_a_new_action_point_posted_twice_is_one_point(keeper, meeting):
    ilo = make_agency("ILO")
    url = reverse("meetings:action_point_create", args=[meeting.pk])
    data = {**form_as_opened(keeper, url), "text": "Draft the note", "owner_agency": ilo.pk, "status": "open"}
    assert keeper.post(url, data).status_code == 302
    again = keeper.post(url, data, follow=True)
    assert "already added" in again.text
    assert ActionPoint.objects.count() == 1


def test_a_new_meeting_without_its_token_is_refused(keeper, db):
    data = {"title": "WL", "kind": Meeting.Kind.WORKING_LEVEL, "status": "planned", "starts_on": "2016-02-08"}
    assert keeper.post(reverse("meetings:meeting_create"), data).status_code == 400
    assert keeper.post(reverse("meetings:meeting_create"), {**data, "token": str(uuid.uuid4())}).status_code == 302
    assert Meeting.objects.count() == 1


def test_a_finished_form_sent_by_htmx_lands_on_one_whole_page(keeper, meeting):
    url = reverse("meetings:minutes_edit", args=[meeting.pk])
    response = keeper.post(url, {**form_as_opened(keeper, url), "minutes": "We met."}, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == f"{meeting.get_absolute_url()}#minutes"
