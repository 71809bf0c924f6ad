"""The calendar of events (seed 000, support team tasks viii and xi): external events, input requests for them,
the agencies' contributions, the register's reminders to those that have not answered, and the calendar."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Contribution, ExternalEvent, InputRequest
from groups.models import Person
from register import deadlines
from register.deadlines import INPUT_REQUEST, State
from register.reading import obligations
from tests.factories import make_agency, make_meeting, make_person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ilo, iom, unhcr = make_agency("ILO"), make_agency("IOM"), make_agency("UNHCR")
    gfmd = ExternalEvent.objects.create(
        name="GFMD summit (2014)", kind=ExternalEvent.Kind.GFMD, starts_on=date(2014, 5, 12), ends_on=date(2014, 5, 16)
    )
    asked = InputRequest.objects.create(event=gfmd, asked="A paragraph for the GMG statement", due_on=date(2014, 4, 30))
    asked.agencies.set([ilo, iom])
    return {
        "ilo": ilo,
        "iom": iom,
        "unhcr": unhcr,
        "gfmd": gfmd,
        "request": asked,
        "support": make_person("support", role=Person.Role.SUPPORT),
        "ilo_focal": make_person("fp-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "unhcr_focal": make_person("fp-unhcr", role=Person.Role.FOCAL_POINT, agency=unhcr),
    }


def answer(client, world, **data):
    url = reverse("events:contribution_create", args=[world["request"].pk])
    return client.post(url, {"token": str(uuid.uuid4()), **data})


# -- the register -------------------------------------------------------------------------------------------------


def test_each_asked_agency_owes_its_input_by_the_due_date_and_is_done_on_its_first_answer(world):
    Contribution.objects.create(
        request=world["request"], agency=world["ilo"], text="Our paragraph.", submitted_on=date(2014, 4, 20)
    )
    found = obligations(first=date(2014, 4, 1), last=date(2014, 4, 30), today=date(2014, 5, 2), kinds=[INPUT_REQUEST])
    states = {o.agency.acronym: (o.state, o.done_on, o.audience) for o in found}
    assert states == {
        "ILO": (State.DONE, date(2014, 4, 20), "agency"),
        "IOM": (State.OVERDUE, None, "agency"),
    }
    assert all(o.url == world["request"].get_absolute_url() for o in found)
    assert "GFMD summit (2014)" in found[0].title


def test_the_register_lists_input_requests_with_the_other_kinds_and_filters_by_agency(world):
    everything = obligations(first=date(2014, 4, 1), last=date(2014, 4, 30), today=date(2014, 4, 1))
    assert sum(o.kind == INPUT_REQUEST for o in everything) == 2
    assert deadlines.KINDS[INPUT_REQUEST] == "Input to an external event"
    iom_only = obligations(first=date(2014, 4, 1), last=date(2014, 4, 30), today=date(2014, 4, 1), agency=world["iom"])
    assert [o.agency.acronym for o in iom_only if o.kind == INPUT_REQUEST] == ["IOM"]


def test_a_late_answer_still_overdue_before_the_window_comes_with_include_overdue(world):
    june = {"first": date(2014, 6, 1), "last": date(2014, 6, 30), "today": date(2014, 6, 1)}
    found = obligations(**june, include_overdue=True, kinds=[INPUT_REQUEST])
    assert {o.agency.acronym for o in found} == {"ILO", "IOM"}


# -- contributions ------------------------------------------------------------------------------------------------


def test_a_focal_point_of_an_asked_agency_answers_with_a_file_and_the_support_team_sees_it(client, world):
    client.force_login(world["ilo_focal"])
    response = answer(client, world, file=SimpleUploadedFile("ilo-input.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.agency, contribution.file_name, contribution.author) == (
        world["ilo"],
        "ilo-input.pdf",
        world["ilo_focal"],
    )
    client.force_login(world["support"])
    page = client.get(world["request"].get_absolute_url())
    assert "1 of 2 agencies answered." in page.text
    assert "ilo-input.pdf" in page.text
    download = client.get(reverse("events:contribution_file", args=[contribution.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_a_file_that_is_not_what_its_name_says_is_refused_in_the_page_and_nothing_is_saved(client, world):
    client.force_login(world["ilo_focal"])
    response = answer(client, world, file=SimpleUploadedFile("input.pdf", b"MZ not a pdf", "application/pdf"))
    assert response.status_code == 400
    assert "input.pdf is not a real .pdf file" in response.text
    response = answer(client, world, file=SimpleUploadedFile("input.exe", b"MZ", "application/octet-stream"))
    assert "this type of file cannot be attached" in response.text
    assert not Contribution.objects.exists()


def test_an_answer_needs_a_file_or_a_text(client, world):
    client.force_login(world["ilo_focal"])
    response = answer(client, world, text="   ")
    assert response.status_code == 400
    assert "Attach the contribution as a file, write it as text, or both." in response.text
    assert answer(client, world, text="Our paragraph.").status_code == 302
    assert Contribution.objects.get().text == "Our paragraph."


def test_the_same_answer_posted_twice_is_one_contribution(client, world):
    client.force_login(world["ilo_focal"])
    token = str(uuid.uuid4())
    url = reverse("events:contribution_create", args=[world["request"].pk])
    client.post(url, {"token": token, "text": "Once."})
    client.post(url, {"token": token, "text": "Once."})
    assert Contribution.objects.count() == 1


def test_an_agency_that_was_not_asked_cannot_answer(client, world):
    client.force_login(world["unhcr_focal"])
    response = answer(client, world, text="Unasked.")
    assert response.status_code == 403
    assert "Only the focal points and principals of an agency asked for this input answer it." in response.text
    assert not Contribution.objects.exists()


def test_support_staff_file_an_answer_only_for_an_agency_that_was_asked(client, world):
    client.force_login(world["support"])
    assert answer(client, world, agency=world["unhcr"].pk, text="Not asked.").status_code == 400
    assert answer(client, world, agency=world["iom"].pk, text="IOM's paragraph.").status_code == 302
    assert Contribution.objects.get().agency == world["iom"]


# -- events and requests ------------------------------------------------------------------------------------------


def test_support_staff_add_an_event_and_ask_agencies_for_input_by_a_day(client, world):
    client.force_login(world["support"])
    response = client.post(
        reverse("events:event_create"),
        {
            "name": "Human Rights Council, 26th session",
            "kind": "hrc",
            "starts_on": "2014-06-10",
            "ends_on": "2014-06-27",
            "place": "Geneva",
            "link": "https://www.ohchr.org/",
            "token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    hrc = ExternalEvent.objects.get(kind="hrc")
    assert hrc.when == "10 June 2014 - 27 June 2014"
    url = reverse("events:request_create", args=[hrc.pk])
    late = {"asked": "Key messages", "due_on": "2014-07-01", "agencies": [world["ilo"].pk], "token": str(uuid.uuid4())}
    response = client.post(url, late)
    assert response.status_code == 400
    assert "The input is for an event that ends on 27 June 2014: ask for it by then." in response.text
    response = client.post(url, {**late, "due_on": "2014-06-01"})
    assert response.status_code == 302
    asked = hrc.input_requests.get()
    assert list(asked.agencies.all()) == [world["ilo"]]


def test_an_event_cannot_end_before_it_starts(client, world):
    client.force_login(world["support"])
    event = world["gfmd"]
    response = client.post(
        reverse("events:event_edit", args=[event.pk]),
        {"name": event.name, "kind": "gfmd", "starts_on": "2014-05-12", "ends_on": "2014-05-01", "revision": 1},
    )
    assert response.status_code == 400
    assert "The last day cannot come before the first day." in response.text


def test_two_people_editing_an_event_the_second_is_told_and_loses_nothing(client, world):
    client.force_login(world["support"])
    event = world["gfmd"]
    url = reverse("events:event_edit", args=[event.pk])
    data = {"kind": "gfmd", "starts_on": "2014-05-12", "ends_on": "2014-05-16", "revision": 1}
    assert client.post(url, {**data, "name": "GFMD summit, Stockholm"}).status_code == 302
    response = client.post(url, {**data, "name": "GFMD 2014"})
    assert response.status_code == 409
    event.refresh_from_db()
    assert event.name == "GFMD summit, Stockholm"


def test_a_new_event_posted_twice_is_one_event(client, world):
    client.force_login(world["support"])
    data = {"name": "CSW 58", "kind": "csw", "starts_on": "2014-03-10", "token": str(uuid.uuid4())}
    client.post(reverse("events:event_create"), data)
    client.post(reverse("events:event_create"), data)
    assert ExternalEvent.objects.filter(kind="csw").count() == 1


def test_a_request_posted_twice_asks_once(client, world):
    client.force_login(world["support"])
    url = reverse("events:request_create", args=[world["gfmd"].pk])
    data = {"asked": "Side events", "due_on": "2014-05-01", "agencies": [world["ilo"].pk], "token": str(uuid.uuid4())}
    client.post(url, data)
    client.post(url, data)
    assert world["gfmd"].input_requests.count() == 2  # the fixture's and this one


# -- the calendar -------------------------------------------------------------------------------------------------


@time_machine.travel(date(2014, 4, 1), tick=False)
def test_the_calendar_shows_events_always_and_the_registers_deadlines_behind_a_toggle(client, world):
    make_meeting(date(2014, 4, 10), title="Working-level meeting")
    client.force_login(world["support"])
    url = reverse("register:meeting_calendar_month", args=[2014, 4])
    plain = client.get(url)
    assert "Working-level meeting" in plain.text
    assert "input to GFMD summit" not in plain.text
    assert 'href="?deadlines=on"' in plain.text
    shown = client.get(url + "?deadlines=on")
    assert "ILO: input to GFMD summit (2014)" in shown.text
    assert "2 deadlines of the register." in shown.text
    assert "Hide deadlines" in shown.text
    may = client.get(reverse("register:meeting_calendar_month", args=[2014, 5]))
    assert "Event: </span>GFMD summit (2014)" in may.text
    assert "1 external event." in may.text


def test_the_calendar_judges_deadlines_as_of_the_pages_day_and_keeps_it_in_its_links(client, world):
    client.force_login(world["support"])
    url = reverse("register:meeting_calendar_month", args=[2014, 4])
    response = client.get(url + "?on=2014-04-20&deadlines=on")
    assert "Deadline, due: </span>ILO: input" in response.text
    assert "?on=2014-04-20&amp;deadlines=on" in response.text  # the month links keep both
    assert 'href="?on=2014-04-20"' in response.text  # the toggle keeps the day
    later = client.get(url + "?on=2014-06-01&deadlines=on")
    assert "Deadline, overdue: </span>ILO: input" in later.text


# -- the GMG's record ---------------------------------------------------------------------------------------------


def test_the_record_holds_the_external_events_the_seeds_date(gmg_record):
    hld = ExternalEvent.objects.get(key="hld-2013")
    assert (hld.kind, hld.starts_on, hld.ends_on, hld.place) == ("hld", date(2013, 10, 3), date(2013, 10, 4), "")
    gfmd = ExternalEvent.objects.filter(kind="gfmd").order_by("starts_on")
    assert [(e.name, e.starts_on) for e in gfmd] == [
        ("GFMD second Thematic Meeting on Labour Migration", date(2013, 9, 11)),
        ("GFMD summit (2014)", date(2014, 5, 12)),
    ]


def test_support_staff_move_a_requests_due_day_and_ask_one_more_agency(client, world):
    client.force_login(world["support"])
    url = reverse("events:request_edit", args=[world["request"].pk])
    agencies = [world["ilo"].pk, world["iom"].pk, world["unhcr"].pk]
    data = {"asked": "A paragraph for the GMG statement", "due_on": "2014-05-07", "agencies": agencies, "revision": 1}
    assert client.post(url, data).status_code == 302
    world["request"].refresh_from_db()
    assert world["request"].due_on == date(2014, 5, 7)
    assert world["request"].agencies.count() == 3


def test_two_people_editing_a_request_the_second_is_told_and_loses_nothing(client, world):
    client.force_login(world["support"])
    url = reverse("events:request_edit", args=[world["request"].pk])
    data = {"asked": "Key messages", "agencies": [world["ilo"].pk, world["iom"].pk], "revision": 1}
    assert client.post(url, {**data, "due_on": "2014-05-07"}).status_code == 302
    response = client.post(url, {**data, "due_on": "2014-05-02"})
    assert response.status_code == 409
    world["request"].refresh_from_db()
    assert world["request"].due_on == date(2014, 5, 7)


def test_an_agency_that_has_answered_stays_among_those_asked(client, world):
    Contribution.objects.create(request=world["request"], agency=world["ilo"], text="Ours.", submitted_on=DAY_ANSWERED)
    client.force_login(world["support"])
    url = reverse("events:request_edit", args=[world["request"].pk])
    data = {"asked": "Key messages", "due_on": "2014-04-30", "agencies": [world["iom"].pk], "revision": 1}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ILO answered already: keep them among the agencies asked." in response.text
    assert world["request"].agencies.count() == 2


DAY_ANSWERED = date(2014, 4, 20)
