"""Sign-in defences: lockout per account and per address, the security log, session ends, password reset."""

import logging
import time
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts import security
from groups.models import Person
from tests.factories import PASSWORD, make_agency, make_person

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"


@pytest.fixture(autouse=True)
def clean_throttles():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username, password, address=OFFICE):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_fifty_wrong_passwords_lock_the_account_and_are_logged_while_others_still_sign_in(client, db, caplog):
    victim = make_person("victim")
    other = make_person("other")
    caplog.set_level(logging.INFO, logger="gmg_portal.security")

    answers = [sign_in(client, "victim", f"guess-{n}", ATTACKER).status_code for n in range(50)]

    # The form again with its error (refused: 400), until the tenth failure locks the account.
    assert answers[:9] == [400] * 9
    assert set(answers[9:]) == {429}
    # The right password does not open a locked account, even from another address.
    locked = sign_in(client, "victim", PASSWORD, OFFICE)
    assert locked.status_code == 429
    assert "Sign-in is locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else, from their own address, signs in at once.
    response = sign_in(client, "other", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk

    failed = [r for r in caplog.records if getattr(r, "security_event", "") == "sign-in failed"]
    assert len(failed) >= 50
    assert {r.person for r in failed} == {"victim"}
    assert {r.address for r in failed} >= {ATTACKER}
    locked_lines = [r for r in caplog.records if getattr(r, "security_event", "") == "sign-in locked"]
    assert locked_lines and locked_lines[0].person == "victim" and locked_lines[0].address == ATTACKER
    assert victim.pk  # the account itself is untouched
    assert Person.objects.get(pk=victim.pk).is_active


def test_many_accounts_tried_from_one_address_lock_that_address(client, db):
    for n in range(10):
        make_person(f"p{n}")
        sign_in(client, f"p{n}", "wrong", ATTACKER)
    make_person("fresh")
    assert sign_in(client, "fresh", PASSWORD, ATTACKER).status_code == 429
    assert sign_in(client, "fresh", PASSWORD, OFFICE).status_code == 302


def test_the_lockout_ends_after_the_cool_down(client, db, settings):
    make_person("victim")
    for n in range(10):
        sign_in(client, "victim", f"guess-{n}", ATTACKER)
    assert sign_in(client, "victim", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert sign_in(client, "victim", PASSWORD).status_code == 302


def test_staff_unlock_an_account_in_the_admin(client, db):
    make_person("victim")
    for n in range(10):
        sign_in(client, "victim", f"guess-{n}", ATTACKER)
    attempt = AccessAttempt.objects.get(username="victim")
    admin = make_person("admin", role=Person.Role.SUPPORT, is_staff=True, is_superuser=True)
    staff = client.__class__()
    staff.force_login(admin)
    response = staff.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 302
    assert sign_in(client, "victim", PASSWORD).status_code == 302


def test_a_sign_in_from_a_new_address_is_logged_once(client, db, caplog):
    make_person("traveller")
    caplog.set_level(logging.INFO, logger="gmg_portal.security")

    def new_address_lines():
        return [r for r in caplog.records if getattr(r, "security_event", "") == "signed in from a new address"]

    sign_in(client, "traveller", PASSWORD, OFFICE)
    client.post(reverse("logout"))
    sign_in(client, "traveller", PASSWORD, OFFICE)
    client.post(reverse("logout"))
    assert [(r.person, r.address) for r in new_address_lines()] == [("traveller", OFFICE)]
    sign_in(client, "traveller", PASSWORD, ATTACKER)
    assert [(r.person, r.address) for r in new_address_lines()][-1] == ("traveller", ATTACKER)


def test_a_refused_change_is_logged_with_the_person_the_address_and_the_reason(client, db, caplog):
    from tests.factories import make_meeting

    viewer = make_person("viewer", agency=make_agency("IOM"))
    meeting = make_meeting(timezone.localdate())
    client.force_login(viewer)
    caplog.set_level(logging.INFO)

    response = client.post(reverse("meetings:minutes_edit", args=[meeting.pk]), {}, REMOTE_ADDR=OFFICE)

    assert response.status_code == 403
    refused = [r for r in caplog.records if getattr(r, "security_event", "") == "permission refused"]
    assert len(refused) == 1
    line = refused[0]
    where = response.request["PATH_INFO"]
    assert (line.person, line.address, line.path, line.method) == ("viewer", OFFICE, where, "POST")
    assert line.reason
    # No traceback and no second "Forbidden" line from Django.
    assert not [r for r in caplog.records if r.exc_info]
    assert not [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.WARNING]


def test_a_session_ends_after_the_idle_time(client, db, settings):
    settings.GMG_SESSION_IDLE_MINUTES = 30
    person = make_person("idle")
    client.force_login(person)
    assert client.get(reverse("dashboard")).status_code == 200
    with time_machine.travel(time.time() + 29 * 60):
        assert client.get(reverse("dashboard")).status_code == 200
    # Activity moved the idle clock: 29 minutes after the last request is still fine ...
    with time_machine.travel(time.time() + 57 * 60):
        assert client.get(reverse("dashboard")).status_code == 200
    # ... 31 minutes after it is not.
    with time_machine.travel(time.time() + 89 * 60):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_of_an_ended_session_loads_the_sign_in_page_whole(client, db, settings):
    settings.GMG_SESSION_IDLE_MINUTES = 30
    client.force_login(make_person("idle"))
    with time_machine.travel(time.time() + 31 * 60):
        response = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="/workplans/")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login")) and "workplans" in response["HX-Redirect"]


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(client, db, settings):
    settings.GMG_SESSION_IDLE_MINUTES = 60
    settings.GMG_SESSION_MAX_HOURS = 2
    client.force_login(make_person("busy"))
    start = time.time()
    for minutes in range(50, 120, 50):
        with time_machine.travel(start + minutes * 60):
            assert client.get(reverse("dashboard")).status_code == 200
    with time_machine.travel(start + 121 * 60):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "Your session ended after 2 hours" in follow.content.decode()


def test_a_forgotten_password_is_reset_by_e_mail(client, db, settings):
    settings.SITE_URL = "https://portal.example.org"
    person = make_person("forgetful", email="forgetful@example.org")
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page

    response = client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line).strip()
    path = link.split(security.settings.SITE_URL, 1)[1]

    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"new_password1": "a-brand-new-pass-99", "new_password2": "a-brand-new-pass-99"},
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-brand-new-pass-99")
    # The link works once: posted again (a double click, a second tab) it changes nothing.
    again = client.get(path, follow=True)
    assert "This link no longer works" in again.content.decode()
    person.refresh_from_db()
    assert person.check_password("a-brand-new-pass-99")


def test_password_reset_requests_are_throttled(client, db, settings, caplog):
    settings.GMG_PASSWORD_RESET_LIMIT = 3
    make_person("forgetful", email="forgetful@example.org")
    caplog.set_level(logging.INFO, logger="gmg_portal.security")
    answers = [
        client.post(reverse("password_reset"), {"email": "forgetful@example.org"}, REMOTE_ADDR=ATTACKER).status_code
        for _ in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    page = client.post(reverse("password_reset"), {"email": "forgetful@example.org"}, REMOTE_ADDR=OFFICE)
    assert page.status_code == 429
    assert "Too many password-reset requests" in page.content.decode()
    assert any(getattr(r, "security_event", "") == "password reset throttled" for r in caplog.records)


def test_people_sign_in_with_their_e_mail_address_as_the_invitation_says(client, db):
    page = client.get(reverse("login")).text
    assert 'for="id_username"' in page and "E-mail address" in page and "Username" not in page
    make_person("una.newcomer@ilo.org", email="una.newcomer@ilo.org")
    assert sign_in(client, "Una.Newcomer@ILO.org", PASSWORD).status_code == 302
    client.logout()
    # An account whose user name is not its address (made before invitations) signs in with either.
    make_person("support", email="sam.support@iom.int")
    assert sign_in(client, "sam.support@iom.int", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "support", PASSWORD).status_code == 302
