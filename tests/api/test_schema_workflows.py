"""The API's operations chained as a client chains them (schemathesis' stateful testing, with the links it infers
from the schema: an id read from one answer used in the next request), every answer on the way keeping the schema
with all checks, the stateful ones too (ensure_resource_availability, use_after_free). Support staff and a focal
point, each with their own key (schemathesis' auth, so its ignored_auth check knows the real key), on the GMG's
record; derandomized and bounded."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from gmg_portal.wsgi import application
from tests.api.test_schema import in_process, served_schema  # noqa: F401 - the WSGI application in the test

schema = schemathesis.openapi.from_dict(served_schema())
schema.app = application
KEY = {}


@schema.auth(refresh_interval=None)
class PersonKey:
    """The person's own key, as schemathesis' auth (its ignored_auth check then knows which key is the real one)."""

    def get(self, case, context):
        return KEY["key"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


Workflow = schema.as_state_machine()


@pytest.mark.parametrize("role", ["support", "focal point"])
def test_chained_operations_keep_the_schema(role, world, in_process):  # noqa: F811
    KEY["key"] = world.keys[role]
    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=6,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
