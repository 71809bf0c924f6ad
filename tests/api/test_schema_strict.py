"""The GMG's real record, read through the API, is what the published schema says: every list page and every
record's own answer validated by a strict JSON Schema validator (jsonschema, formats checked, no property the
schema does not name), as a client generated from /api/schema/ reads them. And the gate fails when the API breaks
its schema: a serializer made to answer null for a field the schema says is never null is caught."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator, FormatChecker

pytestmark = pytest.mark.django_db


def as_json_schema(node):
    """OpenAPI 3.0's dialect as strict JSON Schema: `nullable` as the null type, and objects closed (a property
    the schema does not name is an error, as in a generated client's model)."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        if "type" in node and "enum" not in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


class Published:
    """The schema as /api/schema/ publishes it, with a validator per operation and answer."""

    def __init__(self, document: dict):
        self.document = document
        self.components = as_json_schema(document["components"])

    def errors(self, path: str, status: int, body, method: str = "get") -> list[str]:
        answer = self.document["paths"][path][method]["responses"][str(status)]
        schema = as_json_schema(copy.deepcopy(answer["content"]["application/json"]["schema"]))
        validator = Draft202012Validator({**schema, "components": self.components}, format_checker=FormatChecker())
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]


@pytest.fixture
def published(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return Published(response.json())


@pytest.fixture
def read(client, world):
    key = world.keys["focal point"]

    def _read(url, **params):
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {key}")

    return _read


LISTS = {
    "/api/agencies/": "/api/agencies/{id}/",
    "/api/chair-terms/": "/api/chair-terms/{id}/",
    "/api/groups/": "/api/groups/{slug}/",
    "/api/workplans/": "/api/workplans/{slug}/",
    "/api/activities/": "/api/activities/{id}/",
    "/api/meetings/": "/api/meetings/{id}/",
    "/api/decisions/": "/api/decisions/{id}/",
}


def test_every_record_of_the_gmg_read_through_the_api_is_what_the_schema_says(published, read):
    from chairs.models import ChairTerm
    from groups.models import Agency, Group
    from meetings.models import Decision, Meeting
    from workplans.models import Activity, WorkPlan

    errors, read_records = [], 0
    for list_path, detail_path in LISTS.items():
        url = list_path + "?page_size=200"
        while url:
            response = read(url)
            assert response.status_code == 200, url
            page = response.json()
            errors += [f"{url} {e}" for e in published.errors(list_path, 200, page)]
            for row in page["results"]:
                key = "slug" if "{slug}" in detail_path else "id"
                one = detail_path.replace("{" + key + "}", str(row[key]))
                answer = read(one)
                assert answer.status_code == 200, one
                errors += [f"{one} {e}" for e in published.errors(detail_path, 200, answer.json())]
                read_records += 1
            url = page["next"]
    assert errors == []
    # Every record of the GMG was read (nulls and all: agencies still members, plans of no group, meetings of none).
    assert read_records == sum(
        model.objects.count() for model in (Agency, ChairTerm, Group, WorkPlan, Activity, Meeting, Decision)
    )
    assert read_records > 150


def test_the_registers_troika_and_updates_are_what_the_schema_says(published, read):
    from workplans.models import ActivityUpdate

    deadlines = read("/api/deadlines/", **{"from": "2013-01-01", "to": "2016-12-31", "page_size": "200"})
    assert deadlines.status_code == 200 and deadlines.json()["count"] > 0
    assert published.errors("/api/deadlines/", 200, deadlines.json()) == []
    for day in ("2010-03-01", "2013-07-03", "2015-06-15"):
        troika = read("/api/troika/", on=day)
        assert published.errors("/api/troika/", 200, troika.json()) == []
    activity = ActivityUpdate.objects.get().activity_id
    updates = read(f"/api/activities/{activity}/updates/")
    assert len(updates.json()) == 1
    assert published.errors("/api/activities/{id}/updates/", 200, updates.json()) == []


@pytest.mark.parametrize(
    ("path", "url", "status"),
    [
        ("/api/agencies/", "/api/agencies/?page_size=ten", 400),
        ("/api/agencies/", "/api/agencies/?page=999", 404),
        ("/api/meetings/{id}/", "/api/meetings/999999999/", 404),
        ("/api/troika/", "/api/troika/?on=2300-01-01", 400),
    ],
)
def test_the_refusals_are_what_the_schema_says(published, read, path, url, status):
    response = read(url)
    assert response.status_code == status
    assert published.errors(path, status, response.json()) == []


def test_an_answer_without_a_key_is_what_the_schema_says(published, client):
    response = client.get("/api/agencies/")
    assert response.status_code == 401
    assert published.errors("/api/agencies/", 401, response.json()) == []


def test_the_gate_fails_when_a_serializer_answers_null_where_the_schema_says_never(published, read, monkeypatch):
    from api.serializers import AgencySerializer

    answered = AgencySerializer.to_representation

    def broken(self, agency):
        return {**answered(self, agency), "acronym": None}

    monkeypatch.setattr(AgencySerializer, "to_representation", broken)
    body = read("/api/agencies/").json()
    errors = published.errors("/api/agencies/", 200, body)
    assert errors and all(e.endswith("acronym: None is not of type 'string'") for e in errors), errors[:3]
    assert len(errors) == len(body["results"])


def test_the_gate_fails_when_an_answer_carries_a_field_the_schema_does_not_name(published, read, monkeypatch):
    from api.serializers import MeetingSerializer

    answered = MeetingSerializer.to_representation
    monkeypatch.setattr(MeetingSerializer, "to_representation", lambda self, m: {**answered(self, m), "secret": 1})
    body = read("/api/meetings/").json()
    assert any("'secret' was unexpected" in e for e in published.errors("/api/meetings/", 200, body))
