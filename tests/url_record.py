"""Which URLs each test requests: a pytest plugin (loaded by tests/conftest.py).

Every request the portal handles during a test (the test client, the live server of the browser tests) is
resolved to its URL name and kept with its method under the test's id, in a registry for the session. The table
of write URLs (tests/test_write_urls.py) reads it to check that a test it names really requests its URL.

With GMG_URL_RECORD=<file>, the registry is also written to that file as JSON at the end of the session (the
table's gate runs the tests it needs in such a session when they did not run in its own).
"""

from __future__ import annotations

import json
import os
import threading
from collections import defaultdict

import pytest

# test id -> {(method, url name)}
REQUESTED: dict[str, set[tuple[str, str]]] = defaultdict(set)
_current = {"test": None}
_lock = threading.Lock()


def _record(sender, environ=None, **kwargs):
    test = _current["test"]
    if test is None or environ is None:
        return
    from django.urls import Resolver404, resolve

    try:
        match = resolve(environ.get("PATH_INFO", ""))
    except Resolver404:
        return
    with _lock:
        REQUESTED[test].add((environ.get("REQUEST_METHOD", "GET"), match.view_name))


def pytest_configure(config):
    from django.core.signals import request_started

    request_started.connect(_record, dispatch_uid="tests.url_record")


# The tests that read the registry run after every other test of the session.
LAST = "tests/test_write_urls.py::test_each_named_test_posts_to_the_url_it_is_named_for"


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.nodeid.startswith(LAST))


def gate_group(items) -> dict:
    """Under pytest-xdist each worker keeps its own registry: the tests that read it and the tests the table names
    run in one worker, as one group (`xdist_group`, set by tests/conftest.py), the readers last (sorted above).
    Item -> the group's name, for those tests."""
    readers = [item for item in items if item.nodeid.startswith(LAST)]
    if not readers:
        return {}
    named = readers[0].module._named_tests()
    return {item: "write-urls" for item in items if item in readers or item.nodeid.split("[", 1)[0] in named}


def _test_id(nodeid: str) -> str:
    """The test's id without the group pytest-xdist adds to it (`...::test_x[a]@group`)."""
    at = nodeid.rfind("@")
    return nodeid[:at] if at > nodeid.rfind("]") and "::" in nodeid[:at] else nodeid


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    test = _test_id(item.nodeid)
    REQUESTED[test]  # it ran, whatever it requested
    _current["test"] = test
    try:
        return (yield)
    finally:
        _current["test"] = None


def pytest_sessionfinish(session):
    target = os.environ.get("GMG_URL_RECORD")
    if target:
        with open(target, "w") as out:
            json.dump({test: sorted(map(list, requests)) for test, requests in REQUESTED.items()}, out)


def requested(test: str, registry=None) -> set[tuple[str, str]] | None:
    """(method, url name) requested by the test `tests/<path>.py::<function>` (all its parametrisations), or
    None when it did not run."""
    found = None
    for nodeid, requests in list((REQUESTED if registry is None else registry).items()):
        if nodeid == test or nodeid.startswith(f"{test}["):
            found = (found or set()) | {tuple(request) for request in requests}
    return found
