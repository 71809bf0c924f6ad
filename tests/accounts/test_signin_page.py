"""The sign-in page, which everyone not signed in is sent to, does only what must be done per request: its blank
form's HTML is made once per process (accounts.security.blank_form_html), the static files' addresses once
(kit.static_storage). What it shows and what each answer carries stay as they were."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from django.test import RequestFactory
from django.urls import reverse

from accounts.security import SignInForm, blank_form_html
from kit.static_storage import ManifestStaticStorage, PlainStaticStorage
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_blank_form_is_what_crispy_writes_for_a_fresh_form(client):
    page = client.get(reverse("login")).content.decode()

    fresh = as_crispy_form(SignInForm(RequestFactory().get("/")))
    assert fresh in page
    assert 'name="username"' in fresh and 'name="password"' in fresh and "E-mail address" in fresh


def test_every_answer_has_its_own_csrf_token_and_the_security_headers(client):
    answers = [client.get(reverse("login")) for _ in range(2)]

    tokens = [TOKEN.search(answer.content.decode())[1] for answer in answers]
    assert tokens[0] != tokens[1]  # masked afresh each time, outside the form's kept HTML
    for answer in answers:
        assert answer.status_code == 200
        assert "csrftoken" in answer.cookies
        assert answer["X-Frame-Options"] == "DENY"
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in answer["Content-Security-Policy"]
        assert answer["X-Request-ID"]


def test_a_refused_sign_in_shows_what_was_typed_and_why(client):
    make_person("someone")

    page = client.post(reverse("login"), {"username": "someone@nowhere.example", "password": "wrong"})

    assert page.status_code == 400
    text = page.content.decode()
    assert 'value="someone@nowhere.example"' in text
    assert "Please enter a correct e-mail address and password." in text


def test_the_next_page_is_carried_and_a_sign_in_goes_there(client):
    person = make_person("goes-on")
    page = client.get(reverse("login"), {"next": "/meetings/"})
    assert 'name="next" value="/meetings/"' in page.content.decode()
    assert "Sign in to see this page." in page.content.decode()

    answer = client.post(reverse("login"), {"username": person.username, "password": PASSWORD, "next": "/meetings/"})
    assert answer.status_code == 302 and answer["Location"] == "/meetings/"


def test_only_a_blank_form_is_kept():
    bound = SignInForm(RequestFactory().post("/"), data={"username": "x", "password": "y"})
    with pytest.raises(ValueError, match="blank"):
        blank_form_html(BoundSignIn, lambda: BoundSignIn(RequestFactory().post("/"), data={"username": "x"}))
    assert bound.is_bound
    first = blank_form_html(SignInForm, lambda: SignInForm(RequestFactory().get("/")))
    assert blank_form_html(SignInForm, lambda: pytest.fail("made once")) is first


class BoundSignIn(SignInForm):
    """A form class of its own, so that nothing kept from another test answers for it."""


def test_static_addresses_are_the_storage_s_own_kept_once():
    assert settings.STORAGES["staticfiles"]["BACKEND"] in {
        "kit.static_storage.PlainStaticStorage",
        "kit.static_storage.ManifestStaticStorage",
    }
    plain = PlainStaticStorage()
    name = "vendor/bootstrap/bootstrap.min.css"
    assert plain.url(name) == StaticFilesStorage().url(name) == staticfiles_storage.url(name)
    assert plain.url(name) is plain.url(name)


def test_the_manifest_storage_refuses_an_unknown_file_every_time(tmp_path, settings):
    settings.DEBUG = False
    storage = ManifestStaticStorage(location=tmp_path)
    storage.manifest_strict = True
    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("no/such/file.css")
