"""The suite on several cores: a pytest plugin (loaded by tests/conftest.py) for pytest-xdist's
`--dist loadgroup`, which `make test` runs with one worker per core (`-n auto`).

Each worker has its own test database (pytest-django adds the worker's id to its name), its own browser and live
server (on a free port), its own copy of the GMG record (tests/record_snapshot.py). Tests that must run in one
process, one after the other in their usual order, are put in one group:

- the fault drills (tests/drills): their private PostgreSQL, Redis and web processes have fixed ports
  (DRILL_PG_PORT, DRILL_REDIS_PORT, DRILL_PORT_BASE) and are started once;
- the tests of a module that share a fixture of the module's (or a class's) scope, made once, not once per worker;
- the tests of the table of write URLs and the tests it names (tests/url_record.py keeps what each test
  requested in the worker's memory);
- the tests marked `xdist_group(name)`.

pytest-xdist's own loadgroup writes a test's group into its id, which the pytest in use no longer lets a plugin do
(the id stays as it was, and every test is scheduled alone). So the workers, which collect the tests, write each
test's group into a file of the run, and the scheduler here (in the controller) reads it. It hands out the groups
and the tests by their expected cost, the dearest first (a browser walk or a drill is not left for the end while
the other worker idles); each worker runs what it is handed in the order of the collection.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import OrderedDict
from pathlib import Path

import pytest

# What a test is expected to cost, in units of an ordinary database test, by its marks and fixtures.
COST_BY_MARK = {"drill": 400, "browser": 60, "celery": 40}
COST_BY_FIXTURE = {"live_server": 30, "transactional_db": 4, "gmg_record": 2}


def _groups_file(testrunuid: str) -> Path:
    return Path(tempfile.gettempdir()) / f"gmg-test-groups-{testrunuid}.json"


def groups_of(items: list[pytest.Item]) -> dict[pytest.Item, str]:
    """Each test that must share a process with others -> the name of its group."""
    from tests import url_record

    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    wanted: dict[pytest.Item, list[str]] = {}
    gate = url_record.gate_group(items)
    for item in items:
        names = [
            str(mark.args[0]) if mark.args else str(mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        ]
        if item.get_closest_marker("drill"):
            names.append("drills")
        for fixture in item.fixturenames:
            definitions = item._fixtureinfo.name2fixturedefs.get(fixture) or ()
            shared = [d for d in definitions if d.scope not in ("function", "session")]
            if any(d.func.__module__.startswith("tests") for d in shared):
                names.append(item.nodeid.split("::", 1)[0])
        if item in gate:
            names.append(gate[item])
        if names:
            wanted[item] = names
            for name in names[1:]:
                parent[find(name)] = find(names[0])
    return {item: find(names[0]) for item, names in wanted.items()}


def cost_of(item: pytest.Item) -> int:
    cost = 1
    for mark, extra in COST_BY_MARK.items():
        if item.get_closest_marker(mark):
            cost += extra
    for fixture, extra in COST_BY_FIXTURE.items():
        if fixture in item.fixturenames:
            cost += extra
    return cost


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """In a worker of a `--dist loadgroup` run: write each test's group and cost for the scheduler."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or not getattr(config.option, "loadgroup", False):
        return
    groups = groups_of(items)
    plan = {item.nodeid: [groups.get(item, item.nodeid), cost_of(item)] for item in items}
    target = _groups_file(workerinput["testrunuid"])
    partial = target.with_name(f"{target.name}.{workerinput['workerid']}")
    partial.write_text(json.dumps(plan))
    os.replace(partial, target)  # the workers collect the same tests: whichever writes last, the file is whole


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadgroup":
        return GroupScheduling(config, log)
    return None


def _scheduling_base():
    from xdist.scheduler import LoadScopeScheduling

    return LoadScopeScheduling


class GroupScheduling(_scheduling_base()):
    """pytest-xdist's scheduling by scope, with the groups and costs the workers wrote."""

    plan: dict[str, list] = {}

    def _split_scope(self, nodeid: str) -> str:
        return self.plan[nodeid][0] if nodeid in self.plan else nodeid

    def schedule(self) -> None:
        assert self.collection_is_completed
        if self.collection is not None:  # a node added later: as the base class does
            super().schedule()
            return
        if not self._check_nodes_have_same_collection():
            self.log("**Different tests collected, aborting run**")
            return
        self.collection = list(next(iter(self.registered_collections.values())))
        if not self.collection:
            return
        source = _groups_file(next(iter(self.nodes)).workerinput["testrunuid"])
        try:
            self.plan = json.loads(source.read_text())
        finally:
            source.unlink(missing_ok=True)
        missing = [nodeid for nodeid in self.collection if nodeid not in self.plan]
        if missing:
            raise pytest.UsageError(f"tests/parallel.py: the workers wrote no group for {missing[:5]}")
        units: dict[str, dict[str, bool]] = {}
        for nodeid in self.collection:
            units.setdefault(self._split_scope(nodeid), {})[nodeid] = False
        # The dearest first (stable: equal costs keep the collection's order).
        order = sorted(units, key=lambda scope: -sum(self.plan[nodeid][1] for nodeid in units[scope]))
        self.workqueue = OrderedDict((scope, units[scope]) for scope in order)
        for _ in range(len(self.nodes) - len(self.workqueue)):  # more workers than work
            unused, _ = self.assigned_work.popitem()
            unused.shutdown()
        for node in self.nodes:
            self._assign_work_unit(node)
        for node in self.nodes:
            self._reschedule(node)
        if not self.workqueue:
            for node in self.nodes:
                node.shutdown()
