"""The API tests share the work plan tests' cast: a plan, its activity, and one person per role."""

import pytest
from django.core.cache import cache

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
