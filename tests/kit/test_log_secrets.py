"""No secret an address carries reaches the logs: calendar feed tokens, password-reset and invitation links, a
workbook import's token. Real requests are made to those addresses and every line the portal's log handlers
write is read back."""

import io
import json
import logging
import uuid

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from groups.models import Person
from kit.logs import REDACTED, RedactSecretsFilter, redact
from reminders.feeds import token_renew
from tests.factories import make_group, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the configured handlers (LOGGING's console, with its filters and formatter) write, as text."""
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecretsFilter) for f in h.filters)]
    assert handlers, "LOGGING's console handler redacts secrets"
    written = io.StringIO()
    streams = [handler.setStream(written) for handler in handlers]
    yield written
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


def test_no_secret_of_an_address_is_logged_with_its_request(client, log_lines):
    person = make_person("ilo_fp", role=Person.Role.FOCAL_POINT)
    group = make_group(slug="wg-data")
    feed = token_renew(person=person).token
    revoked = "Revoked-" + feed[8:]
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    reset = default_token_generator.make_token(person)
    import_token = str(uuid.uuid4())
    asked = [
        (reverse("reminders:person_feed", args=[feed]), 200),
        (reverse("reminders:person_feed", args=[revoked]), 404),
        (reverse("reminders:gmg_feed_token", args=[feed]), 200),
        (reverse("reminders:group_feed_token", args=[group.slug, feed]), 200),
        (reverse("password_reset_confirm", args=[uid, reset]), 302),
        (reverse("password_reset_confirm", args=[uid, "set-password"]), 200),
        (reverse("password_reset_confirm", args=[uid, "1a2b3c-" + reset[7:]]), 200),  # a spent link
        (f"/calendar/feed/{feed}", 404),  # a mistyped address, logged as "Not Found"
    ]
    for path, status in asked:
        assert client.get(path).status_code == status, path
    client.force_login(person)
    assert client.post(reverse("workplans:workplan_import_apply", args=[import_token])).status_code == 404
    written = log_lines.getvalue()
    lines = [json.loads(line) for line in written.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "gmg_portal.requests"]
    assert len(requests) == len(asked) + 1, written
    assert all(REDACTED in line["path"] for line in requests)
    assert any(line["logger"] == "django.request" and "Not Found" in line["message"] for line in lines)
    for secret in (feed, revoked, uid, reset, reset[7:], import_token):
        assert secret not in written


def test_every_address_with_a_secret_in_it_is_redacted():
    """Each URL whose parameters are named as secrets (a token, a uidb64) has them blanked by `redact`."""

    def routes(resolver, prefix=""):
        for _key, entries in resolver.reverse_dict.lists():
            for possibilities, *_ in entries:
                yield from ((prefix + route, params) for route, params in possibilities)
        for sub_prefix, sub in resolver.namespace_dict.values():
            yield from routes(sub, prefix + sub_prefix)

    secret_routes = {
        route for route, params in routes(get_resolver()) if any("token" in p or "uid" in p for p in params)
    }
    assert len(secret_routes) >= 5
    for route in secret_routes:
        path = "/" + route % {"token": "S3cretToken", "uidb64": "S3cretUid", "slug": "wg-data"}
        assert "S3cret" not in redact(f"GET {path} 200"), route
        assert "S3cret" not in redact(f"https://gmg.example.org{path}?next=/"), route
