"""The API keeps its own published schema: every answer it gives, to a support staff member and to a focal point
(each with their own key, reading and writing), on the GMG's real record and the demo accounts, is one the schema
describes. Schemathesis fuzzes every operation in-process on the WSGI application with all its checks
(deterministic: derandomized, a bounded number of examples); a strict JSON Schema validator reads real records
through the API as a client generated from the schema would."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from gmg_portal.wsgi import application


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
def in_process(world, db, settings):
    """The WSGI application; calls go straight into it, inside the test's transaction."""
    settings.GMG_API_RATE_PER_PERSON = settings.GMG_API_RATE_WRITES = "100000/hour"
    settings.GMG_API_RATE_ANONYMOUS = "100000/hour"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Like Django's test client, keep the test's connection (and its transaction) open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(served_schema())
# Examples and random fuzzing (positive and negative): the exhaustive coverage phase takes minutes on a shared machine.
schema.config.phases.update(phases=["examples", "fuzzing"])
schema.app = application  # every request, the checks' own too, goes straight into the WSGI application


# The one rule of the API a schema cannot hold: the register's `to` depends on its `from` (not before it, at most
# five years after). A request the schema allows is refused only for that reason, nothing else.
CROSS_PARAMETER_RULES = {"/api/deadlines/": {"to": ("The last due date is before the first.", "Ask for at most")}}


def positive_data_acceptance_but_cross_parameter_rules(ctx, response, case):
    rules = CROSS_PARAMETER_RULES.get(case.operation.path)
    if rules and response.status_code == 400:
        reasons = response.json()
        if set(reasons) <= set(rules) and all(
            reason.startswith(rules[name]) for name, given in reasons.items() for reason in given
        ):
            return None
    return positive_data_acceptance(ctx, response, case)


@pytest.mark.parametrize("role", ["support", "focal point"])
@schema.parametrize()
@hypothesis_settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_of_the_api_is_one_its_schema_describes(case, role, world, in_process):
    # No `checks=`: every check schemathesis has (status codes, content types, headers, response bodies, negative
    # data refused, positive data accepted, ignored authentication, unsupported methods, ...).
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world.keys[role]}"},
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_acceptance_but_cross_parameter_rules],
    )


def test_the_gate_fails_when_a_serializer_answers_null_where_the_schema_says_never(world, in_process, monkeypatch):
    """The fuzzing above is a gate: an API that breaks its schema fails it (here, `name` null for every agency)."""
    from api.serializers import AgencySerializer

    answered = AgencySerializer.to_representation
    monkeypatch.setattr(AgencySerializer, "to_representation", lambda self, a: {**answered(self, a), "name": None})
    case = schema["/api/agencies/"]["GET"].Case()
    with pytest.raises(FailureGroup) as failed:
        case.call_and_validate(headers={"Authorization": f"Bearer {world.keys['support']}"})
    found = [(failure.title, failure.message) for failure in failed.value.exceptions]
    assert [title for title, _ in found] == ["Response violates schema"]
    assert "null is not of type" in found[0][1] and "/components/schemas/Agency/properties/name" in found[0][1]
