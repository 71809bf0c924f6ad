"""Who may open and change what on the record pages: one table of role x page x method, checked on the server.

The roles: anonymous, a focal point of the agency owning the action point, a focal point of another agency, a
co-chair of the group (a focal point of a co-chairing agency), the chair (a focal point of the chairing agency),
support staff, and a deactivated support account. Who may is not written here a second time: each row names the
access rule its page asks (each app's access.py), and the table checks that the server lets exactly the roles
the rule allows do it, and refuses the others without changing anything. What the rules allow is tested with
the rules (e.g. everyone signed in reads; support staff keep every meeting; a group's co-chairs keep their
group's meetings; nobody else writes: `test_the_rules_give_each_role_what_the_gmg_decided`).
"""

import uuid
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.access import can_keep_group, can_read, is_support
from groups.models import Group, GroupCoChair, Person, TermsOfReference
from meetings.access import can_add_meetings, can_edit_meeting
from meetings.models import ActionPoint, AgendaItem, Meeting
from tests.access_rules import assert_rules_allow
from tests.factories import (
    make_action_point,
    make_agency,
    make_decision,
    make_group,
    make_meeting,
    make_person,
    make_term,
    register_kept_once,
)

ROLES = ["anonymous", "focal_owner", "focal_other", "co_chair", "chair", "support", "deactivated"]


# The rules the pages ask, as (person, world) -> bool.
def READERS(person, w):  # noqa: N802 - read like the role sets they replace
    return can_read(person)


def GROUP_KEEPERS(person, w):  # noqa: N802
    return can_keep_group(person, w["group"])


def MEETING_KEEPERS(person, w):  # noqa: N802
    return can_edit_meeting(person, w["group_meeting"])


def PLENARY_KEEPERS(person, w):  # noqa: N802
    return can_edit_meeting(person, w["plenary"])


def MEETING_ADDERS(person, w):  # noqa: N802
    return can_add_meetings(person)


def GROUP_MEETING_ADDERS(person, w):  # noqa: N802
    return can_edit_meeting(person, Meeting(group=w["group"]))


def PLENARY_ADDERS(person, w):  # noqa: N802
    return can_edit_meeting(person, Meeting(group=None))


def AUDITORS(person, w):  # noqa: N802
    return is_support(person)


@pytest.fixture
@register_kept_once
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Seven accounts per case: a fast hasher keeps the table quick (the hasher is not what is tested here).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ilo, unodc, unhcr, wb = (make_agency(a) for a in ("ILO", "UNODC", "UNHCR", "WB"))
    group = make_group(co_chairs=[ilo], slug="tf-decent-work", name="TF on Migration and Decent Work")
    other_group = make_group(co_chairs=[make_agency("UNDP")], slug="wg-other", name="WG on something else")
    make_term(wb, date(2015, 1, 1), date(2015, 12, 31))
    group_meeting = make_meeting(date(2015, 5, 4), title="TF meeting", kind=Meeting.Kind.GROUP, group=group)
    plenary = make_meeting(date(2015, 6, 1), title="Working-level meeting")
    point = make_action_point(group_meeting, unodc, text="Send comments", due_on=date(2015, 6, 1))
    item = AgendaItem.objects.create(meeting=group_meeting, position=1, title="Welcome")
    decision = make_decision(plenary, "1")
    # A second ToR version, so that the group's versions can be compared side by side.
    TermsOfReference.objects.create(
        group=group, version="as at 24 March 2016", adopted_on=date(2016, 3, 24), min_meetings_per_year=2
    )
    people = {
        "focal_owner": make_person("focal-unodc", role=Person.Role.FOCAL_POINT, agency=unodc),
        "focal_other": make_person("focal-unhcr", role=Person.Role.FOCAL_POINT, agency=unhcr),
        "co_chair": make_person("focal-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "chair": make_person("focal-wb", role=Person.Role.FOCAL_POINT, agency=wb),
        "support": make_person("support", role=Person.Role.SUPPORT),
        "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
    }
    return {
        "group": group,
        "other_group": other_group,
        "group_meeting": group_meeting,
        "plenary": plenary,
        "point": point,
        "item": item,
        "decision": decision,
        "people": people,
        "ilo": ilo,
        "unodc": unodc,
    }


def meeting_post(group, *, title="TF meeting (moved)", kind=Meeting.Kind.GROUP, **extra):
    data = {
        "title": title,
        "kind": kind,
        "group": group.pk if group else "",
        "status": Meeting.Status.PLANNED,
        "starts_on": "2015-05-11",
        "venue": "Geneva",
        # A new meeting's one-time token, an edited one's revision (each form reads its own).
        "token": str(uuid.uuid4()),
        "revision": 1,
    }
    data.update(extra)
    return data


# (name, method, url builder, post data builder, the rule the page asks).
PAGES = [
    ("dashboard", "get", lambda w: reverse("dashboard"), None, READERS),
    ("search", "get", lambda w: reverse("search") + "?q=meeting", None, READERS),
    ("search_kind", "get", lambda w: reverse("search") + "?q=meeting&kind=meetings", None, READERS),
    ("meeting_list", "get", lambda w: reverse("meetings:meeting_list"), None, READERS),
    ("meeting_calendar", "get", lambda w: reverse("register:meeting_calendar_month", args=[2015, 5]), None, READERS),
    ("meeting_detail", "get", lambda w: w["group_meeting"].get_absolute_url(), None, READERS),
    ("decision_list", "get", lambda w: reverse("meetings:decision_list"), None, READERS),
    ("decision_detail", "get", lambda w: w["decision"].get_absolute_url(), None, READERS),
    ("tor_compare", "get", lambda w: reverse("groups:tor_compare", args=[w["group"].slug]), None, READERS),
    ("group_edit_form", "get", lambda w: reverse("groups:group_edit", args=[w["group"].slug]), None, GROUP_KEEPERS),
    (
        "group_edit",
        "post",
        lambda w: reverse("groups:group_edit", args=[w["group"].slug]),
        lambda w: {"status": "closed", "participating": [w["unodc"].pk], "note": "", "revision": 1},
        GROUP_KEEPERS,
    ),
    (
        "co_chairs_change_form",
        "get",
        lambda w: reverse("groups:co_chairs_change", args=[w["group"].slug]),
        None,
        GROUP_KEEPERS,
    ),
    (
        "co_chairs_change",
        "post",
        lambda w: reverse("groups:co_chairs_change", args=[w["group"].slug]),
        lambda w: {"starts_on": "2016-01-01", "co_chair_1": "ILO", "co_chair_2": "UNODC", "revision": 1},
        GROUP_KEEPERS,
    ),
    ("tor_add_form", "get", lambda w: reverse("groups:tor_add", args=[w["group"].slug]), None, GROUP_KEEPERS),
    (
        "tor_add",
        "post",
        lambda w: reverse("groups:tor_add", args=[w["group"].slug]),
        lambda w: {
            "version": "as at 1 January 2017",
            "adopted_on": "2017-01-01",
            "min_meetings_per_year": "2",
            "text": "The task force meets at least twice a year.",
            "signed_pdf": SimpleUploadedFile("tor.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
            "token": str(uuid.uuid4()),
        },
        GROUP_KEEPERS,
    ),
    ("agency_list", "get", lambda w: reverse("groups:agency_list"), None, READERS),
    ("support_team", "get", lambda w: reverse("support_team"), None, READERS),
    ("agency_detail", "get", lambda w: w["ilo"].get_absolute_url(), None, READERS),
    ("group_list", "get", lambda w: reverse("groups:group_list"), None, READERS),
    ("group_detail", "get", lambda w: w["group"].get_absolute_url(), None, READERS),
    ("term_list", "get", lambda w: reverse("chairs:term_list"), None, READERS),
    ("audit", "get", lambda w: reverse("audit"), None, AUDITORS),
    (
        "agenda_pdf",
        "get",
        lambda w: reverse("meetings:meeting_document", args=[w["group_meeting"].pk, "agenda", "pdf"]),
        None,
        READERS,
    ),
    (
        "minutes_docx",
        "get",
        lambda w: reverse("meetings:meeting_document", args=[w["group_meeting"].pk, "minutes", "docx"]),
        None,
        READERS,
    ),
    ("action_point_list", "get", lambda w: reverse("meetings:action_point_list"), None, READERS),
    ("deadline_register", "get", lambda w: reverse("register:deadline_register") + "?on=2015-05-01", None, READERS),
    ("action_points_csv", "get", lambda w: reverse("meetings:action_point_export", args=["csv"]), None, READERS),
    ("action_points_pdf", "get", lambda w: reverse("meetings:action_point_export", args=["pdf"]), None, READERS),
    ("action_points_docx", "get", lambda w: reverse("meetings:action_point_export", args=["docx"]), None, READERS),
    ("meeting_create_form", "get", lambda w: reverse("meetings:meeting_create"), None, MEETING_ADDERS),
    (
        "meeting_create_for_group",
        "post",
        lambda w: reverse("meetings:meeting_create"),
        lambda w: meeting_post(w["group"], title="New TF meeting"),
        GROUP_MEETING_ADDERS,
    ),
    (
        "meeting_create_plenary",
        "post",
        lambda w: reverse("meetings:meeting_create"),
        lambda w: meeting_post(None, title="New plenary", kind=Meeting.Kind.WORKING_LEVEL),
        PLENARY_ADDERS,
    ),
    (
        "group_meeting_edit_form",
        "get",
        lambda w: reverse("meetings:meeting_edit", args=[w["group_meeting"].pk]),
        None,
        MEETING_KEEPERS,
    ),
    (
        "group_meeting_edit",
        "post",
        lambda w: reverse("meetings:meeting_edit", args=[w["group_meeting"].pk]),
        lambda w: meeting_post(w["group"]),
        MEETING_KEEPERS,
    ),
    (
        "plenary_edit",
        "post",
        lambda w: reverse("meetings:meeting_edit", args=[w["plenary"].pk]),
        lambda w: meeting_post(None, title="Plenary moved", kind=Meeting.Kind.WORKING_LEVEL),
        PLENARY_KEEPERS,
    ),
    (
        "minutes_edit",
        "post",
        lambda w: reverse("meetings:minutes_edit", args=[w["group_meeting"].pk]),
        lambda w: {"minutes": "The TF met.", "minutes_shared_on": "2015-05-08", "revision": 1},
        MEETING_KEEPERS,
    ),
    (
        "agenda_item_create",
        "post",
        lambda w: reverse("meetings:agenda_item_create", args=[w["group_meeting"].pk]),
        lambda w: {"position": 2, "title": "Work plan", "token": str(uuid.uuid4())},
        MEETING_KEEPERS,
    ),
    (
        "agenda_item_delete",
        "post",
        lambda w: reverse("meetings:agenda_item_delete", args=[w["group_meeting"].pk, w["item"].pk]),
        lambda w: {},
        MEETING_KEEPERS,
    ),
    (
        "action_point_create",
        "post",
        lambda w: reverse("meetings:action_point_create", args=[w["group_meeting"].pk]),
        lambda w: {
            "text": "Draft the note",
            "owner_agency": w["ilo"].pk,
            "status": "open",
            "due_on": "2015-07-01",
            "token": str(uuid.uuid4()),
        },
        MEETING_KEEPERS,
    ),
    (
        "action_point_edit",
        "post",
        lambda w: reverse("meetings:action_point_edit", args=[w["group_meeting"].pk, w["point"].pk]),
        lambda w: {
            "text": "Send comments",
            "owner_agency": w["unodc"].pk,
            "status": "done",
            "done_on": "2015-06-02",
            "revision": 1,
        },
        MEETING_KEEPERS,
    ),
    (
        "action_point_delete",
        "post",
        lambda w: reverse("meetings:action_point_delete", args=[w["group_meeting"].pk, w["point"].pk]),
        lambda w: {},
        MEETING_KEEPERS,
    ),
]

# A co-chair may open the new-meeting form, whose group field offers only its own groups: a meeting without a
# group is refused by the form (400, the error next to the field) before the access rule is asked.
REFUSED_BY_THE_FORM = {("meeting_create_plenary", "co_chair")}

CASES = [(page, role) for page in PAGES for role in ROLES]


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p[0]}-{r}" for p, r in CASES])
@time_machine.travel(date(2015, 6, 15), tick=False)
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
        assert response.status_code == (400 if (name, role) in REFUSED_BY_THE_FORM else 403)
        assert snapshot() == before, "a refused write changed the record"


@time_machine.travel(date(2015, 6, 15), tick=False)
def test_the_rules_give_each_role_what_the_gmg_decided(world):
    """What the rules the table asks allow (DOMAIN.md, Who uses the portal): everyone signed in reads; support
    staff keep every meeting and the audit trail; a group's co-chairs keep their group and its meetings and add
    meetings to it; nobody else writes."""
    expected = {
        READERS: {"focal_owner", "focal_other", "co_chair", "chair", "support"},
        GROUP_KEEPERS: {"co_chair", "support"},
        MEETING_KEEPERS: {"co_chair", "support"},
        GROUP_MEETING_ADDERS: {"co_chair", "support"},
        MEETING_ADDERS: {"co_chair", "support"},
        PLENARY_KEEPERS: {"support"},
        PLENARY_ADDERS: {"support"},
        AUDITORS: {"support"},
    }
    assert_rules_allow(expected, PAGES, ROLES, world)


def snapshot():
    return (
        list(Meeting.objects.order_by("pk").values_list("pk", "title", "starts_on", "minutes", "sequence")),
        list(AgendaItem.objects.order_by("pk").values_list("pk", "title")),
        list(ActionPoint.objects.order_by("pk").values_list("pk", "status", "text")),
        list(TermsOfReference.objects.order_by("pk").values_list("pk", "version", "adopted_on")),
        list(Group.objects.order_by("pk").values_list("pk", "status", "revision")),
        list(GroupCoChair.objects.order_by("pk").values_list("pk", "agency_id", "starts_on", "ends_on")),
    )


def test_a_refusal_shows_the_reason_in_plain_words(client, world):
    client.force_login(world["people"]["focal_other"])
    response = client.post(
        reverse("meetings:meeting_edit", args=[world["group_meeting"].pk]), meeting_post(world["group"])
    )
    assert response.status_code == 403
    assert "Only the support team and the co-chairs of the meeting&#x27;s group keep this meeting." in response.text
    assert "You may not do this" in response.text


def test_a_co_chair_cannot_add_a_meeting_to_a_group_it_does_not_co_chair(client, world):
    client.force_login(world["people"]["co_chair"])
    before = Meeting.objects.count()
    response = client.post(reverse("meetings:meeting_create"), meeting_post(world["other_group"], title="Not mine"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert Meeting.objects.count() == before


def test_a_co_chair_cannot_move_its_meeting_to_another_group(client, world):
    client.force_login(world["people"]["co_chair"])
    meeting = world["group_meeting"]
    response = client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), meeting_post(world["other_group"]))
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.group == world["group"]


def test_a_co_chair_cannot_reach_another_meetings_action_point_through_its_own_meeting(client, world):
    """An action point id of another meeting, posted under the co-chair's meeting, is not found (404)."""
    plenary_point = make_action_point(world["plenary"], world["ilo"], text="Plenary action")
    client.force_login(world["people"]["co_chair"])
    url = reverse("meetings:action_point_delete", args=[world["group_meeting"].pk, plenary_point.pk])
    assert client.post(url).status_code == 404
    assert ActionPoint.objects.filter(pk=plenary_point.pk).exists()


def test_removing_needs_a_post(client, world):
    client.force_login(world["people"]["support"])
    url = reverse("meetings:agenda_item_delete", args=[world["group_meeting"].pk, world["item"].pk])
    assert client.get(url).status_code == 405
    assert AgendaItem.objects.filter(pk=world["item"].pk).exists()
