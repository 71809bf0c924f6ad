"""The API tests share the work plan tests' cast: a plan, its activity, and one person per role; the schema tests
read the GMG's real record with the demo accounts."""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from api.services import api_token_create
from tests.workplans.conftest import Cast, cast  # noqa: F401 - the fixture, shared


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate limits count in the cache; each test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def key_of():
    """A person's API key, made as the person's page makes it."""

    def _key(person) -> str:
        return api_token_create(person=person)[1]

    return _key


@pytest.fixture
def api(client, key_of):
    """A client that sends a person's key (or none) with each request."""

    class Api:
        def get(self, url, person=None, **params):
            return client.get(url, params, **self._auth(person))

        def post(self, url, data, person=None):
            return client.post(url, data, content_type="application/json", **self._auth(person))

        def _auth(self, person):
            return {"HTTP_AUTHORIZATION": f"Bearer {key_of(person)}"} if person is not None else {}

    return Api()


@dataclass
class World:
    keys: dict[str, str]  # role -> its person's API key


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The GMG's real record with the demo accounts, loaded once for the module (rolled back at its end); a
    support staff member and a focal point with their own keys, and an update the focal point filed."""
    from django.test import override_settings

    from groups.models import Person
    from record.loader import load_gmg_record
    from tests.factories import make_update
    from workplans.models import Activity

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_gmg_record()
            with override_settings(DEBUG=True):
                call_command("create_demo_accounts", stdout=StringIO())
            support = Person.objects.get(username="support")
            focal = Person.objects.get(username="focal-unodc")
            activity = Activity.objects.filter(lead_agencies=focal.agency).order_by("pk").first()
            make_update(activity, focal.agency, author=focal)
            keys = {
                "support": api_token_create(person=support)[1],
                "focal point": api_token_create(person=focal)[1],
            }
            yield World(keys=keys)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
