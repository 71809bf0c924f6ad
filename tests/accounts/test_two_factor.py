"""The support team's optional second sign-in step (accounts/two_factor.py): set up with a code, asked at each
sign-in, every page closed until it is given, wrong codes throttled and logged, turned off with a code."""

import logging
import re
from binascii import unhexlify
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups.models import Person
from tests.factories import PASSWORD, make_person

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clean_throttles():
    cache.clear()
    yield
    cache.clear()


def code_for(key_hex: str) -> str:
    return f"{TOTP(unhexlify(key_hex)).token():06d}"


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def turn_on(client) -> str:
    """Open the page, read the key it shows, confirm it with a code; the device's key."""
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml', page.content.decode())
    key = client.session["gmg_totp_pending_key"]
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', page.content.decode()).group(1)
    assert len(secret) == 32  # the same key, to type instead of scanning
    answer = client.post(reverse("two_factor"), {"action": "turn_on", "code": code_for(key)})
    assert answer.status_code == 302
    return key


@pytest.fixture
def officer(db):
    return make_person("officer", role=Person.Role.SUPPORT)


def test_a_support_officer_turns_it_on_and_then_each_sign_in_asks_for_the_code(client, officer, caplog):
    caplog.set_level(logging.INFO, logger="gmg_portal.security")
    with time_machine.travel(START, tick=False) as clock:
        assert sign_in(client, "officer").status_code == 302
        key = turn_on(client)
        device = TOTPDevice.objects.get(user=officer)
        assert device.confirmed and device.key == key
        assert "The second sign-in step is on" in client.get(reverse("two_factor")).content.decode()
        client.post(reverse("logout"))

        clock.shift(timedelta(seconds=60))
        answer = sign_in(client, "officer")
        assert answer.status_code == 302
        # Signed in with the password, but every page - a record page, the API through the session, the admin,
        # an htmx fragment - leads to the code page until the code is given.
        for path in (reverse("dashboard"), "/api/agencies/", "/admin/", reverse("search") + "?q=x"):
            page = client.get(path)
            assert page.status_code == 302, path
            assert page.url.startswith(reverse("two_factor_verify") + "?next="), path
        fragment = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true")
        assert fragment.status_code == 204 and fragment["HX-Redirect"].startswith(reverse("two_factor_verify"))
        write = client.post(reverse("two_factor"), {"action": "turn_off", "code": code_for(key)})
        assert write.status_code == 302 and write.url.startswith(reverse("two_factor_verify"))
        assert TOTPDevice.objects.filter(user=officer).exists()  # nothing was written past the code page

        code_page = client.get(reverse("two_factor_verify") + "?next=/meetings/")
        assert code_page.status_code == 200
        text = code_page.content.decode()
        assert 'autocomplete="one-time-code"' in text and "Six-digit code" in text
        assert "Sign out" in text and 'href="/meetings/"' not in text  # no navigation while the code is owed

        done = client.post(reverse("two_factor_verify"), {"code": code_for(key), "next": "/meetings/"})
        assert done.status_code == 302 and done.url == "/meetings/"
        assert client.get(reverse("dashboard")).status_code == 200
    events = [getattr(r, "security_event", "") for r in caplog.records]
    assert "second step turned on" in events and "second step passed" in events


def test_wrong_codes_are_refused_in_the_page_throttled_and_logged(client, officer, caplog):
    caplog.set_level(logging.INFO, logger="gmg_portal.security")
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, "officer")
        key = turn_on(client)
        client.post(reverse("logout"))
        clock.shift(timedelta(seconds=60))
        sign_in(client, "officer")

        wrong = client.post(reverse("two_factor_verify"), {"code": "000000"})
        assert wrong.status_code == 400
        assert "That code is not right" in wrong.content.decode()
        # At once again, even with the right code: the wait after a failure doubles (django-otp's throttle).
        again = client.post(reverse("two_factor_verify"), {"code": code_for(key)})
        assert again.status_code == 400
        assert "Too many wrong codes in a row. Wait 1 seconds" in again.content.decode()
        assert client.get(reverse("dashboard")).status_code == 302
        clock.shift(timedelta(seconds=2))
        assert client.post(reverse("two_factor_verify"), {"code": code_for(key)}).status_code == 302
        assert client.get(reverse("dashboard")).status_code == 200
    events = [getattr(r, "security_event", "") for r in caplog.records]
    assert "second step failed" in events and "second step throttled" in events
    failed = [r for r in caplog.records if getattr(r, "security_event", "") == "second step failed"]
    assert failed[0].person == "officer"


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６", "12\x0034", "9" * 100_000])
def test_a_code_that_is_not_six_digits_is_refused_with_a_message(client, officer, code):
    with time_machine.travel(START, tick=False):
        sign_in(client, "officer")
        page = client.post(reverse("two_factor"), {"action": "turn_on", "code": code})
        # The first visit made the key: a post without one says the page was out of date.
        assert page.status_code == 302
        client.get(reverse("two_factor"))
        page = client.post(reverse("two_factor"), {"action": "turn_on", "code": code})
        assert page.status_code == 400
        text = page.content.decode()
        assert any(
            reason in text
            for reason in (
                "six digits",
                "Ensure this value",
                "This field is required",
                "Null characters are not allowed",
            )
        )
    assert not TOTPDevice.objects.exists()


def test_a_wrong_code_at_set_up_keeps_the_same_key_and_turns_nothing_on(client, officer):
    with time_machine.travel(START, tick=False):
        sign_in(client, "officer")
        client.get(reverse("two_factor"))
        key = client.session["gmg_totp_pending_key"]
        wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
        page = client.post(reverse("two_factor"), {"action": "turn_on", "code": wrong})
        assert page.status_code == 400
        assert "That code does not match" in page.content.decode()
        assert client.session["gmg_totp_pending_key"] == key  # the app already holds it: scan nothing again
        assert not TOTPDevice.objects.exists()


def test_the_same_set_up_posted_twice_makes_one_device(client, officer):
    with time_machine.travel(START, tick=False):
        sign_in(client, "officer")
        client.get(reverse("two_factor"))
        key = client.session["gmg_totp_pending_key"]
        first = client.post(reverse("two_factor"), {"action": "turn_on", "code": code_for(key)})
        second = client.post(reverse("two_factor"), {"action": "turn_on", "code": code_for(key)})
        assert first.status_code == second.status_code == 302
        assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_it_is_turned_off_with_a_current_code_only(client, officer, caplog):
    caplog.set_level(logging.INFO, logger="gmg_portal.security")
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, "officer")
        key = turn_on(client)
        clock.shift(timedelta(seconds=60))
        refused = client.post(reverse("two_factor"), {"action": "turn_off", "code": "000000"})
        assert refused.status_code == 400 and "That code is not right" in refused.content.decode()
        assert TOTPDevice.objects.filter(user=officer).exists()
        clock.shift(timedelta(seconds=60))
        assert client.post(reverse("two_factor"), {"action": "turn_off", "code": code_for(key)}).status_code == 302
        assert not TOTPDevice.objects.filter(user=officer).exists()
        client.post(reverse("logout"))
        assert sign_in(client, "officer").status_code == 302
        assert client.get(reverse("dashboard")).status_code == 200  # the password alone again
    assert "second step turned off" in [getattr(r, "security_event", "") for r in caplog.records]


def test_a_device_removed_by_an_administrator_lets_the_password_alone_sign_in(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, "officer")
        turn_on(client)
        client.post(reverse("logout"))
        clock.shift(timedelta(seconds=60))
        sign_in(client, "officer")
        TOTPDevice.objects.filter(user=officer).delete()  # the admin's "TOTP devices" list
        assert client.get(reverse("two_factor_verify")).status_code == 302
        assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("role", [Person.Role.FOCAL_POINT, Person.Role.PRINCIPAL, Person.Role.VIEWER])
def test_the_second_step_is_the_support_teams_and_others_are_told_so(client, db, role):
    make_person("someone", role=role)
    sign_in(client, "someone")
    for response in (
        client.get(reverse("two_factor")),
        client.post(reverse("two_factor"), {"action": "turn_on", "code": "123456"}),
    ):
        assert response.status_code == 403
        assert "offered to the support team" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client, db):
    for name in ("two_factor", "two_factor_verify"):
        assert client.get(reverse(name)).url.startswith(reverse("login"))
        assert client.post(reverse(name), {"code": "123456"}).url.startswith(reverse("login"))


def test_the_code_page_sends_only_to_the_portal_afterwards(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, "officer")
        key = turn_on(client)
        client.post(reverse("logout"))
        clock.shift(timedelta(seconds=60))
        sign_in(client, "officer")
        done = client.post(reverse("two_factor_verify"), {"code": code_for(key), "next": "https://evil.example/"})
        assert done.status_code == 302 and done.url == reverse("dashboard")
