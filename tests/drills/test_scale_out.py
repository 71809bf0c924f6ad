"""Scaling out: two web processes and two Celery workers on one PostgreSQL and one Redis (private), behind
nothing but their ports. Visitors use both web processes while both workers sweep (four sweeps at once, as two
beats by mistake would send) and deliver in small batches: every request answered, every reminder sent exactly
once, and both workers did part of the delivery."""

import pickle
import threading
import time

import pytest

from tests.drills.conftest import Browser, relay, sweep
from tests.drills.stack import PORT_BASE, wait_until
from tests.drills.test_faults import assert_each_once, rows

pytestmark = pytest.mark.drill

PEOPLE = 12
VISITS = 15  # per web process


def test_two_web_processes_and_two_workers_send_every_reminder_once_and_lose_no_request(stack):
    pg, broker, sink, processes, client = stack
    sink.start()
    webs = [processes.web(f"web-{n}", PORT_BASE + 2 + n) for n in (1, 2)]
    for n in (1, 2):
        processes.worker(f"worker-{n}", GMG_REMINDER_MAILS_PER_TASK="3")
    seeded = processes.driver("seed", str(PEOPLE))
    browsers = [Browser(PORT_BASE + 2 + n) for n in (1, 2)]
    for web, browser in zip(webs, browsers, strict=True):
        wait_until(lambda b=browser, w=web: w.poll() is not None or b.get("/accounts/login/")[0] == 200, 60, "webs")
    processes.assert_running()
    for browser in browsers:
        browser.sign_in("support", seeded["password"])
    assert_the_cache_is_shared(broker, browsers)

    answers: list[int] = []
    lock = threading.Lock()

    def visit(browser):
        for n in range(VISITS):
            path = ("/meetings/", "/calendar/notices/", f"/meetings/{seeded['meeting']}/")[n % 3]
            status, _ = browser.get(path, timeout=30)
            with lock:
                answers.append(status)

    visitors = [threading.Thread(target=visit, args=(b,)) for b in browsers]
    for thread in visitors:
        thread.start()
    for _ in range(4):
        sweep(client)
    relay(client)
    for thread in visitors:
        thread.join(timeout=120)
    wait_until(lambda: rows(pg)["unsent"] == 0, 90, f"delivery\n{processes.log('worker-1')}")
    relay(client)
    time.sleep(3)
    processes.assert_running()

    assert len(answers) == 2 * VISITS and set(answers) == {200}, answers
    assert rows(pg)["sent"] == 3 * PEOPLE
    assert_each_once(pg, sink, people=PEOPLE)
    assert len(sink.received()) == PEOPLE  # one mail per person for the sweep
    delivered_by = [
        processes.log(f"worker-{n}", whole=True).count("Task reminders.tasks.deliver_reminders[") for n in (1, 2)
    ]
    assert all(delivered_by), f"both workers deliver: {delivered_by}"


def assert_the_cache_is_shared(broker, browsers):
    """A part of a page kept by one web process is served from the cache by the other: web 1 keeps the list of
    work plans (kit.record_version.kept); the kept copy is marked in the shared Redis; web 2 shows the mark."""
    first, second = browsers
    assert first.get("/workplans/")[0] == 200
    cache = broker.cache()
    keys = list(cache.scan_iter(match="*record:workplan_list:*"))
    assert len(keys) == 1, f"web 1 kept the listing in the shared cache: {keys}"
    kept = pickle.loads(cache.get(keys[0]))
    cache.set(keys[0], pickle.dumps(kept + '<p id="kept-by-web-1">kept by web 1</p>'), keepttl=True)
    status, page = second.get("/workplans/")
    assert status == 200 and 'id="kept-by-web-1"' in page, "web 2 made its own listing instead of the kept one"
    cache.delete(keys[0])
