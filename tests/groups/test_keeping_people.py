"""The support team keeps people in the portal: invites them (they choose their own password through a one-time
link), sets agency and role, names an alternate who receives the reminders while the person is away, and
deactivates a person who leaves, handing their pending work to a colleague of the same agency in one step."""

import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from groups.models import Absence, Person
from groups.services import reminder_recipient, stand_ins_on
from meetings.models import ActionPoint
from reminders.models import Reminder
from tests.factories import make_action_point, make_activity, make_agency, make_meeting, make_person, make_update
from workplans.models import ActivityUpdate

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "focal_point", "principal", "support", "deactivated"]
INVITE_TOKEN = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"


@pytest.fixture
def world():
    ilo = make_agency("ILO", name="International Labour Organization")
    fp = make_person("fp", role=Person.Role.FOCAL_POINT, agency=ilo, first_name="Ines", last_name="Labour")
    colleague = make_person("fp2", role=Person.Role.FOCAL_POINT, agency=ilo, first_name="Carl", last_name="Coll")
    return {
        "ilo": ilo,
        "fp": fp,
        "colleague": colleague,
        "people": {
            "viewer": make_person("viewer"),
            "focal_point": fp,
            "principal": make_person("dg", role=Person.Role.PRINCIPAL, agency=ilo),
            "support": make_person("support", role=Person.Role.SUPPORT),
            "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
        },
    }


def invite(w, **extra):
    return {
        "first_name": "Una",
        "last_name": "Newcomer",
        "email": "Una.Newcomer@ilo.org",
        "agency": w["ilo"].pk,
        "role": Person.Role.FOCAL_POINT,
        "job_title": "Migration specialist",
        "token": INVITE_TOKEN,
        **extra,
    }


def edit(person, **extra):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "agency": person.agency_id or "",
        "role": person.role,
        "job_title": person.job_title,
        "alternate": person.alternate_id or "",
        "revision": person.revision,
    }
    return {**data, **extra}


WRITES = [
    ("person_list", "get", lambda w: reverse("groups:person_list"), None),
    ("person_invite", "post", lambda w: reverse("groups:person_invite"), invite),
    (
        "person_edit",
        "post",
        lambda w: reverse("groups:person_edit", args=[w["colleague"].pk]),
        lambda w: edit(w["colleague"], job_title="Senior specialist"),
    ),
    (
        "absence_add",
        "post",
        lambda w: reverse("groups:absence_add", args=[w["colleague"].pk]),
        lambda w: {"starts_on": "2015-07-01", "ends_on": "2015-07-31", "token": "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"},
    ),
    (
        "person_deactivate",
        "post",
        lambda w: reverse("groups:person_deactivate", args=[w["colleague"].pk]),
        lambda w: {"revision": 1, "hand_to": ""},
    ),
]
CASES = [(write, role) for write in WRITES for role in ROLES]


def snapshot():
    return (
        list(Person.objects.order_by("pk").values_list("pk", "email", "job_title", "is_active", "revision")),
        list(Absence.objects.order_by("pk").values_list("pk", "starts_on")),
    )


@pytest.mark.parametrize(("write", "role"), CASES, ids=[f"{w[0]}-{r}" for w, r in CASES])
def test_only_support_staff_keep_people(client, world, write, role):
    name, method, url_for, data_for = write
    if role != "anonymous":
        client.force_login(world["people"][role])
    before = snapshot()
    url = url_for(world)
    response = client.get(url) if method == "get" else client.post(url, data_for(world))
    if role in ("anonymous", "deactivated"):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif role == "support":
        assert response.status_code == (200 if method == "get" else 302), response.content[-3000:]
        if method == "post":
            assert snapshot() != before
        return
    else:
        assert response.status_code == 403
    assert snapshot() == before


def test_an_invited_person_chooses_their_password_once_through_the_link(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["people"]["support"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("groups:person_invite"), invite(world)).status_code == 302
    una = Person.objects.get(email="una.newcomer@ilo.org")
    assert una.username == "una.newcomer@ilo.org" and una.agency == world["ilo"] and not una.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["una.newcomer@ilo.org"]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    client.logout()
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.text and "Save the new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Migration-2015-ok", "new_password2": "Migration-2015-ok"}
    )
    assert done.status_code == 302
    signed_in = client.post(reverse("login"), {"username": "una.newcomer@ilo.org", "password": "Migration-2015-ok"})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    client.logout()
    again = client.get(path, follow=True)
    assert "This link no longer works" in again.text


def test_an_invitation_posted_twice_invites_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["people"]["support"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("groups:person_invite"), invite(world))
        second = client.post(reverse("groups:person_invite"), invite(world))
    assert second.status_code == 302
    assert Person.objects.filter(email="una.newcomer@ilo.org").count() == 1
    assert len(mail.outbox) == 1
    other = client.post(reverse("groups:person_invite"), invite(world, token="3b4c5d6e-7f8a-4b9c-8d1e-2f3a4b5c6d7e"))
    assert other.status_code == 400 and "una.newcomer@ilo.org already has an account." in other.text


def test_a_focal_point_is_invited_with_an_agency(client, world):
    client.force_login(world["people"]["support"])
    response = client.post(reverse("groups:person_invite"), invite(world, agency=""))
    assert response.status_code == 400 and "A focal point or principal speaks for an agency" in response.text


def test_two_people_editing_a_person_do_not_overwrite_each_other_unseen(client, world):
    colleague = world["colleague"]
    client.force_login(world["people"]["support"])
    url = reverse("groups:person_edit", args=[colleague.pk])
    stale = edit(colleague)
    assert client.post(url, {**stale, "job_title": "First"}).status_code == 302
    response = client.post(url, {**stale, "job_title": "Second"})
    assert response.status_code == 409 and "Someone else saved this person" in response.text
    colleague.refresh_from_db()
    assert colleague.job_title == "First"


def test_the_alternate_is_a_colleague_of_the_same_agency(client, world):
    stranger = make_person("unhcr", role=Person.Role.FOCAL_POINT, agency=make_agency("UNHCR"))
    client.force_login(world["people"]["support"])
    url = reverse("groups:person_edit", args=[world["fp"].pk])
    assert client.post(url, edit(world["fp"], alternate=stranger.pk)).status_code == 400
    assert client.post(url, edit(world["fp"], alternate=world["colleague"].pk)).status_code == 302
    world["fp"].refresh_from_db()
    assert world["fp"].alternate == world["colleague"]


def test_while_away_a_persons_reminders_go_to_their_alternate(world):
    fp, colleague = world["fp"], world["colleague"]
    deputy = make_person("deputy", role=Person.Role.VIEWER, agency=world["ilo"])
    Person.objects.filter(pk=fp.pk).update(alternate=deputy)
    Absence.objects.create(person=fp, starts_on=date(2015, 7, 1), ends_on=date(2015, 7, 31))
    assert reminder_recipient(fp, date(2015, 6, 30)) == fp
    assert reminder_recipient(fp, date(2015, 7, 1)) == deputy
    assert reminder_recipient(fp, date(2015, 7, 31)) == deputy
    assert reminder_recipient(fp, date(2015, 8, 1)) == fp
    assert reminder_recipient(colleague, date(2015, 7, 15)) == colleague
    Person.objects.filter(pk=deputy.pk).update(is_active=False)
    assert stand_ins_on(date(2015, 7, 15)) == {}  # a deactivated alternate receives nothing


def test_the_reminder_sweep_sends_an_away_focal_points_reminders_to_the_alternate(world):
    from register.deadlines import ACTION_POINT as ACTION
    from reminders.sweep import due_reminders

    fp = world["fp"]
    world["colleague"].is_active = False
    world["colleague"].save()
    deputy = make_person("deputy", role=Person.Role.VIEWER, agency=world["ilo"])
    Person.objects.filter(pk=fp.pk).update(alternate=deputy)
    Absence.objects.create(person=fp, starts_on=date(2015, 5, 20), ends_on=date(2015, 6, 10))
    make_action_point(make_meeting(date(2015, 5, 4)), world["ilo"], text="Send the note", due_on=date(2015, 6, 1))
    while_away = {
        item.recipient.username for item in due_reminders(date(2015, 5, 31)) if item.obligation.kind == ACTION
    }
    back = {item.recipient.username for item in due_reminders(date(2015, 5, 18)) if item.obligation.kind == ACTION}
    assert while_away == {"deputy"}
    assert back == {"fp"}


def test_deactivating_hands_the_pending_work_to_a_colleague_in_one_step(client, world):
    fp, colleague = world["fp"], world["colleague"]
    point = make_action_point(make_meeting(date(2015, 5, 4)), world["ilo"], owner=fp, due_on=date(2015, 6, 1))
    done = make_action_point(
        make_meeting(date(2015, 5, 5)), world["ilo"], owner=fp, status="done", done_on=date(2015, 5, 6)
    )
    activity = make_activity(lead_agencies=[world["ilo"]])
    returned = make_update(activity, world["ilo"], author=fp, review=ActivityUpdate.Review.RETURNED)
    accepted = make_update(activity, world["ilo"], author=fp, review=ActivityUpdate.Review.ACCEPTED)
    deputy_of = make_person("other", role=Person.Role.FOCAL_POINT, agency=world["ilo"])
    Person.objects.filter(pk=deputy_of.pk).update(alternate=fp)
    Reminder.objects.create(
        obligation_key="x", kind="action_point", occasion="before:1", due=date(2015, 6, 1), recipient=fp, title="t"
    )
    client.force_login(world["people"]["support"])
    url = reverse("groups:person_deactivate", args=[fp.pk])
    page = client.get(url)
    assert point.text in page.text and "Returned for changes".lower() in page.text.lower()
    assert "Hand the pending work to" in page.text
    refused = client.post(url, {"revision": 1, "hand_to": ""})
    assert refused.status_code == 400 and "Choose the colleague who takes over" in refused.text
    stranger = make_person("unhcr", role=Person.Role.FOCAL_POINT, agency=make_agency("UNHCR"))
    assert client.post(url, {"revision": 1, "hand_to": stranger.pk}).status_code == 400
    fp.refresh_from_db()
    assert fp.is_active
    response = client.post(url, {"revision": 1, "hand_to": colleague.pk})
    assert response.status_code == 302
    fp.refresh_from_db()
    assert not fp.is_active
    assert ActionPoint.objects.get(pk=point.pk).owner == colleague
    assert ActionPoint.objects.get(pk=done.pk).owner == fp  # finished work keeps its history
    assert ActivityUpdate.objects.get(pk=returned.pk).author == colleague
    assert ActivityUpdate.objects.get(pk=accepted.pk).author == fp
    assert Person.objects.get(pk=deputy_of.pk).alternate == colleague
    assert not Reminder.objects.unsent().filter(recipient=fp).exists()
    # The same form posted again changes nothing more: the person is no longer at that revision.
    again = client.post(url, {"revision": 1, "hand_to": colleague.pk})
    assert again.status_code == 409


def test_the_work_is_handed_only_to_a_colleague_who_can_sign_in(client, world, django_capture_on_commit_callbacks):
    fp, colleague = world["fp"], world["colleague"]
    client.force_login(world["people"]["support"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("groups:person_invite"), invite(world)).status_code == 302
    invited = Person.objects.get(email="una.newcomer@ilo.org")
    assert invited.is_active and not invited.has_usable_password()
    url = reverse("groups:person_deactivate", args=[fp.pk])
    page = client.get(url)
    offered = set(page.context["form"].fields["hand_to"].queryset)
    assert colleague in offered and invited not in offered
    assert f'<option value="{invited.pk}"' not in page.text and f'<option value="{colleague.pk}"' in page.text
    refused = client.post(url, {"revision": 1, "hand_to": invited.pk})
    assert refused.status_code == 400 and "accepted their invitation" in refused.text
    fp.refresh_from_db()
    assert fp.is_active


def test_the_service_refuses_a_colleague_who_has_not_accepted_the_invitation_with_the_reason(world):
    from django.core.exceptions import ValidationError

    from groups.services import person_deactivate

    invited = make_person("una", role=Person.Role.FOCAL_POINT, agency=world["ilo"])
    Person.objects.filter(pk=invited.pk).update(password="!unusable")
    invited.refresh_from_db()
    with pytest.raises(ValidationError, match="has not yet accepted their invitation"):
        person_deactivate(person=world["fp"], revision=1, hand_to=invited)
