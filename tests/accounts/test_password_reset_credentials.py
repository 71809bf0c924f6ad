"""A password reset offers to end the other ways in (the API key and the calendar link), ticked by default; the
reset and the API key's creation and revocation are security events."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from api.services import api_token_create
from groups.models import Person
from reminders.feeds import token_renew
from tests.factories import make_person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-pass-99"


def events(caplog, name):
    return [r for r in caplog.records if getattr(r, "security_event", "") == name]


@pytest.fixture
def person():
    return make_person("forgetful", role=Person.Role.FOCAL_POINT)


def reset_password(client, person, **extra):
    """Follow the one-time link and set a new password; the form as the page shows it."""
    link = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)],
    )
    page = client.get(link, follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, **extra}
    )
    assert response.status_code == 302
    return page


def still_work(client, key, feed) -> tuple[int, int]:
    api = client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code
    calendar = client.get(reverse("reminders:person_feed", args=[feed])).status_code
    return api, calendar


def test_the_new_password_form_offers_to_end_the_other_credentials_ticked(client, person):
    page = reset_password(client, person, end_other_credentials="on")
    form = page.context["form"]
    assert form.fields["end_other_credentials"].initial is True
    assert "Also end my API keys and calendar links" in page.text
    box = re.search(r'<input[^>]*name="end_other_credentials"[^>]*>', page.text).group(0)
    assert 'type="checkbox"' in box and "checked" in box


def test_a_reset_with_the_box_ticked_ends_the_api_key_and_the_calendar_link(client, person, caplog):
    _, key = api_token_create(person=person)
    feed = token_renew(person=person).token
    assert still_work(client, key, feed) == (200, 200)
    reset_password(client, person, end_other_credentials="on")
    client.logout()
    assert still_work(client, key, feed) == (401, 404)
    [event] = events(caplog, "password reset")
    assert event.person == "forgetful" and event.other_credentials == "ended"
    assert event.ended_api_keys == 1 and event.ended_calendar_links == 1


def test_a_reset_with_the_box_unticked_keeps_them(client, person, caplog):
    _, key = api_token_create(person=person)
    feed = token_renew(person=person).token
    reset_password(client, person)
    client.logout()
    assert still_work(client, key, feed) == (200, 200)
    [event] = events(caplog, "password reset")
    assert event.other_credentials == "kept"


def test_making_and_revoking_an_api_key_are_security_events(client, person, caplog):
    client.force_login(person)
    client.post(reverse("api_key"), {"action": "create", "token": "5f0c9e0e-2a1f-4a8e-9d0a-0a0a0a0a0a11"})
    client.post(reverse("api_key"), {"action": "revoke", "token": "5f0c9e0e-2a1f-4a8e-9d0a-0a0a0a0a0a12"})
    [created] = events(caplog, "API key created")
    [revoked] = events(caplog, "API key revoked")
    assert created.person == revoked.person == "forgetful"
    assert created.prefix.startswith("gmg_") and created.path == reverse("api_key")
