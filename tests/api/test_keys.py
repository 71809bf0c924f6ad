"""A person's API key: made on their own page and shown once, stored only as a hash, revoked at once."""

import re

from django.urls import reverse

from api.models import ApiToken
from api.services import hash_key


def new_key(client, person, token="5f0c9e0e-2a1f-4a8e-9d0a-0a0a0a0a0a01"):
    client.force_login(person)
    client.post(reverse("api_key"), {"action": "create", "token": token})
    page = client.get(reverse("api_key")).text
    found = re.search(r'id="new-key">([^<]+)<', page)
    return found.group(1) if found else None


def test_a_person_makes_a_key_on_their_page_and_it_is_shown_once(client, cast):
    key = new_key(client, cast.focal_owner)
    assert key and key.startswith("gmg_")
    assert key not in client.get(reverse("api_key")).text, "shown a second time"
    stored = ApiToken.objects.get(person=cast.focal_owner)
    assert stored.key_hash == hash_key(key) and key not in (stored.key_hash, stored.prefix)


def test_the_key_reads_the_api_as_its_person(client, cast):
    key = new_key(client, cast.focal_owner)
    client.logout()
    response = client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert ApiToken.objects.get(person=cast.focal_owner).last_used_at is not None


def test_a_revoked_key_stops_working_at_once(client, cast):
    key = new_key(client, cast.focal_owner)
    client.post(reverse("api_key"), {"action": "revoke", "token": "5f0c9e0e-2a1f-4a8e-9d0a-0a0a0a0a0a02"})
    client.logout()
    response = client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_new_key_replaces_the_old_one(client, cast):
    first = new_key(client, cast.focal_owner)
    second = new_key(client, cast.focal_owner, token="5f0c9e0e-2a1f-4a8e-9d0a-0a0a0a0a0a03")
    client.logout()
    assert client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
    assert client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    assert ApiToken.objects.filter(person=cast.focal_owner, revoked_at__isnull=True).count() == 1


def test_the_form_posted_twice_makes_one_key(client, cast):
    client.force_login(cast.focal_owner)
    form = {"action": "create", "token": "5f0c9e0e-2a1f-4a8e-9d0a-0a0a0a0a0a04"}
    client.post(reverse("api_key"), form)
    first = ApiToken.objects.get(person=cast.focal_owner)
    response = client.post(reverse("api_key"), form, follow=True)
    assert "already created" in response.text
    assert list(ApiToken.objects.filter(person=cast.focal_owner)) == [first]
    assert first.revoked_at is None


def test_revoking_touches_only_ones_own_key(client, cast, key_of):
    theirs = key_of(cast.support)
    new_key(client, cast.focal_owner)
    client.post(reverse("api_key"), {"action": "revoke", "token": "5f0c9e0e-2a1f-4a8e-9d0a-0a0a0a0a0a05"})
    client.post(reverse("api_key"), {"action": "revoke", "token": "5f0c9e0e-2a1f-4a8e-9d0a-0a0a0a0a0a06"})
    client.logout()
    assert client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 200


def test_the_key_page_needs_a_signed_in_person(client, cast):
    for method in (client.get, client.post):
        response = method(reverse("api_key"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not ApiToken.objects.exists()


def test_a_deactivated_persons_key_no_longer_works(client, cast, key_of):
    key = key_of(cast.focal_owner)
    cast.focal_owner.is_active = False
    cast.focal_owner.save()
    assert client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_an_unknown_or_malformed_key_is_refused_with_a_reason(client, cast):
    for header in ("Bearer nope", "Bearer", "Bearer two words"):
        response = client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response.json()["detail"]
        assert response["WWW-Authenticate"] == "Bearer"


def test_the_reminders_page_links_to_the_key_page(client, cast):
    client.force_login(cast.viewer)
    assert reverse("api_key") in client.get(reverse("groups:my_reminders")).text
