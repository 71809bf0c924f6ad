"""The API's OpenAPI schema is valid, and the API is fuzzed against it (schemathesis, in-process on the WSGI
application, with a person's key) without one server error. Bounded: a few examples per operation."""

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from tests.factories import make_update


def test_the_schema_is_valid_openapi(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    text = out.read_text()
    for path in ("/api/troika/", "/api/deadlines/", "/api/workplans/{slug}/", "/api/activities/{id}/updates/"):
        assert f"{path}:" in text
    assert "personToken" in text


def test_the_schema_is_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "GMG Portal API"


def served_schema() -> dict:
    """The schema as /api/schema/ serves it (drf-spectacular's generator, no request needed)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def in_process(cast, key_of, settings):
    """The WSGI application with a focal point's key; calls go straight into it."""
    from gmg_portal.wsgi import application

    settings.GMG_API_RATE_PER_PERSON = settings.GMG_API_RATE_WRITES = "100000/hour"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    make_update(cast.activity, cast.owner, author=cast.focal_owner)
    # Like Django's test client, keep the test's connection (and its transaction) open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application, {"Authorization": f"Bearer {key_of(cast.focal_owner)}"}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(served_schema())
# Random fuzzing only: the exhaustive coverage phase takes minutes on a shared machine (kept under a minute).
schema.config.phases.update(phases=["examples", "fuzzing"])


@schema.parametrize()
@hypothesis_settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_any_request_its_schema_allows_without_a_server_error(case, in_process):
    application, headers = in_process
    case.call_and_validate(app=application, headers=headers, checks=[not_a_server_error])
