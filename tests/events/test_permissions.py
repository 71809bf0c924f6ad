"""Who may open and change what in the calendar of events: one table of role x page x method, checked on the server.

The roles: anonymous, a focal point of an agency asked for input, a principal of that agency, a focal point of an
agency not asked, a viewer of the asked agency, support staff, and a deactivated support account. Everyone signed
in reads; support staff keep the events and ask for input; only the asked agency's focal points and principal (and
support staff, on its behalf) answer.
"""

import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.access import can_contribute, can_keep_events
from events.models import Contribution, ExternalEvent, InputRequest
from groups.access import can_read
from groups.models import Person
from tests.access_rules import assert_rules_allow
from tests.factories import make_agency, make_person, register_kept_once

ROLES = ["anonymous", "focal_asked", "principal_asked", "focal_other", "viewer_asked", "support", "deactivated"]


# The rules the pages ask, as (person, world) -> bool (each app's access.py): who may is not written twice.
def READERS(person, w):  # noqa: N802 - read like the role sets they replace
    return can_read(person)


def KEEPERS(person, w):  # noqa: N802 - read like the role sets they replace
    return can_keep_events(person)


def ANSWERERS(person, w):  # noqa: N802 - read like the role sets they replace
    return can_contribute(person, w["request"])




@pytest.fixture
@register_kept_once
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ilo, unhcr = make_agency("ILO"), make_agency("UNHCR")
    event = ExternalEvent.objects.create(name="GFMD summit (2014)", kind="gfmd", starts_on=date(2014, 5, 12))
    asked = InputRequest.objects.create(event=event, asked="Key messages", due_on=date(2014, 5, 1))
    asked.agencies.set([ilo])
    contribution = Contribution.objects.create(
        request=asked, agency=ilo, submitted_on=date(2014, 4, 2), file=SimpleUploadedFile("a.txt", b"Our input")
    )
    people = {
        "focal_asked": make_person("fp-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "principal_asked": make_person("principal-ilo", role=Person.Role.PRINCIPAL, agency=ilo),
        "focal_other": make_person("fp-unhcr", role=Person.Role.FOCAL_POINT, agency=unhcr),
        "viewer_asked": make_person("viewer-ilo", role=Person.Role.VIEWER, agency=ilo),
        "support": make_person("support", role=Person.Role.SUPPORT),
        "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
    }
    return {"event": event, "request": asked, "contribution": contribution, "people": people, "ilo": ilo}


def event_post(**extra):
    data = {"name": "GFMD summit, Stockholm", "kind": "gfmd", "starts_on": "2014-05-12", "ends_on": "2014-05-16"}
    return {**data, "token": str(uuid.uuid4()), "revision": 1, **extra}


# (name, method, url builder, post data builder, the rule the page asks).
PAGES = [
    ("event_list", "get", lambda w: reverse("events:event_list"), None, READERS),
    ("event_detail", "get", lambda w: w["event"].get_absolute_url(), None, READERS),
    ("request_detail", "get", lambda w: w["request"].get_absolute_url(), None, READERS),
    (
        "contribution_file",
        "get",
        lambda w: reverse("events:contribution_file", args=[w["contribution"].pk]),
        None,
        READERS,
    ),
    ("calendar_with_deadlines", "get", lambda w: reverse("register:meeting_calendar") + "?deadlines=on", None, READERS),
    ("event_create_form", "get", lambda w: reverse("events:event_create"), None, KEEPERS),
    ("event_create", "post", lambda w: reverse("events:event_create"), lambda w: event_post(name="CSW 58"), KEEPERS),
    ("event_edit_form", "get", lambda w: reverse("events:event_edit", args=[w["event"].pk]), None, KEEPERS),
    (
        "event_edit",
        "post",
        lambda w: reverse("events:event_edit", args=[w["event"].pk]),
        lambda w: event_post(),
        KEEPERS,
    ),
    ("request_create_form", "get", lambda w: reverse("events:request_create", args=[w["event"].pk]), None, KEEPERS),
    (
        "request_create",
        "post",
        lambda w: reverse("events:request_create", args=[w["event"].pk]),
        lambda w: {"asked": "Side events", "due_on": "2014-05-01", "agencies": [w["ilo"].pk], "token": uuid.uuid4()},
        KEEPERS,
    ),
    ("request_edit_form", "get", lambda w: reverse("events:request_edit", args=[w["request"].pk]), None, KEEPERS),
    (
        "request_edit",
        "post",
        lambda w: reverse("events:request_edit", args=[w["request"].pk]),
        lambda w: {"asked": "Key messages", "due_on": "2014-05-08", "agencies": [w["ilo"].pk], "revision": 1},
        KEEPERS,
    ),
    (
        "contribution_form",
        "get",
        lambda w: reverse("events:contribution_create", args=[w["request"].pk]),
        None,
        ANSWERERS,
    ),
    (
        "contribution_create",
        "post",
        lambda w: reverse("events:contribution_create", args=[w["request"].pk]),
        lambda w: {"text": "Our paragraph.", "agency": w["ilo"].pk, "token": str(uuid.uuid4())},
        ANSWERERS,
    ),
]

CASES = [(page, role) for page in PAGES for role in ROLES]


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p[0]}-{r}" for p, r in CASES])
def test_each_role_may_do_what_it_should_and_nothing_more(client, world, page, role):
    name, method, url_for, data_for, rule = page
    if role != "anonymous":
        client.force_login(world["people"][role])
    url = url_for(world)
    before = snapshot()
    response = client.get(url) if method == "get" else client.post(url, data_for(world))
    if role in ("anonymous", "deactivated"):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert snapshot() == before
    elif rule(world["people"][role], world):
        assert response.status_code == (200 if method == "get" else 302), response.content[:2000]
        if method == "post":
            assert snapshot() != before, "an allowed write changed nothing"
    else:
        assert response.status_code == 403
        assert snapshot() == before, "a refused write changed the record"


def test_the_rules_give_each_role_what_the_gmg_decided(world):
    """What the rules the table asks allow: everyone signed in reads; the support team keeps the events and
    requests; the asked agency's focal points and principal (and the support team, on its behalf) answer."""
    expected = {
        READERS: {"focal_asked", "principal_asked", "focal_other", "viewer_asked", "support"},
        KEEPERS: {"support"},
        ANSWERERS: {"focal_asked", "principal_asked", "support"},
    }
    assert_rules_allow(expected, PAGES, ROLES, world)


def snapshot():
    return (
        list(ExternalEvent.objects.order_by("pk").values_list("pk", "name", "starts_on", "revision")),
        list(InputRequest.objects.order_by("pk").values_list("pk", "asked", "due_on")),
        list(Contribution.objects.order_by("pk").values_list("pk", "agency_id", "text")),
    )


def test_the_page_offers_the_answer_only_to_those_who_may_give_it(client, world):
    client.force_login(world["people"]["focal_other"])
    assert "Send your agency" not in client.get(world["request"].get_absolute_url()).text
    client.force_login(world["people"]["focal_asked"])
    assert "Send your agency's input" in client.get(world["request"].get_absolute_url()).text
