#!/usr/bin/env python
"""Measure the portal's main pages at 1, 10 and 100 units of synthetic data, in process and under gunicorn.

For each page and data size: the in-process median and p95 time of a few requests and its SQL queries (Django's
test client, DEBUG off); then, served by gunicorn (2 sync workers) and loaded by wrk (16 connections for a few
seconds), its requests per second as a ratio to the bare login page and to the admin's activity changelist on
the same data; and the reminder sweep's time and peak memory at the smallest and largest size. The data is the
GMG record plus `generate_scale_data --factor N`. It uses its own PostgreSQL database (DATABASE_URL's name +
`_benchmark`), created afresh and dropped at the end. The table is printed and written to BENCHMARKS.md.

    make bench        (or: .venv/bin/python scripts/benchmark.py [--factors 1,10,100] [--seconds 2] [--port 8130])
    make bench BENCH_ARGS="--factors 100 --pages search,activities"   (only the pages whose names contain a word;
                                                                       the bare page and the admin are kept)
"""

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmg_portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gmg_portal")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ["CELERY_BROKER_URL"] = ""
os.environ["REDIS_URL"] = ""
os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
# Pages name their static files without the collected manifest (wrk fetches the HTML only).
os.environ["GMG_STATIC_MANIFEST"] = "false"
# The API's rate limit would answer a load test with 429s; the benchmark measures the work, not the limit.
os.environ["GMG_API_RATE_PER_PERSON"] = "100000000/hour"

import django  # noqa: E402

django.setup()

# The floor's path in the benchmark's gunicorn (scripts/bench_wsgi.py, beside this file; not the portal's own).
from bench_wsgi import FLOOR_PATH  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

DAY = "2015-06-15"
SWEEP_AT = "2015-02-20"
# An in-process page gets this many timed requests, or fewer when they take longer than TIME_BUDGET together.
REPEAT = 7
TIME_BUDGET = 6.0
SWEEP_TIMEOUT = 120
MAX_LOAD_SECONDS = 8
# At the largest size, each page is loaded at least this long, alone and under the trickle of saves (a few saves).
TRICKLE_LEAST_SECONDS = 4
# The register read in process: up to 3 times, fewer when one read takes longer than this.
REGISTER_BUDGET = 20.0
# The URL name the deadline register page may have (the first that resolves is measured).
REGISTER_PAGES = ("register:deadline_register", "meetings:deadlines", "deadline_register", "deadlines")
BARE = "login page (bare)"
# What Django alone costs a request in the same gunicorn: a minimal view, no middleware, no template.
FLOOR = "floor: a minimal Django view (no middleware, no template)"
DASHBOARD = "dashboard, 15 June 2015"
MAWP = "MAWP 2013-2015 page"
MAWP_SLUG = "mawp-2013-2015"
# A page measured with the cache emptied before each request (kit.record_version keeps what it may).
AFRESH = ", made afresh"
ADMIN = "admin activity changelist"
# The public website's pages, as a visitor who is not signed in gets them.
PUBLIC_HOME = "public home page (visitor)"
PUBLIC_MAWP = "public MAWP page (visitor)"


def pages(support_user) -> list[tuple[str, str, str]]:
    """(name, who, path) of each page measured; `who` is the signed-in person (support or IOM focal point)."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from workplans.models import ReportingRound

    biggest = biggest_plan()
    queue = (
        ReportingRound.objects.annotate(n=Count("workplan__streams__outputs__activities"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    found = [
        (DASHBOARD, "support", f"/dashboard/?on={DAY}"),
        # The same page just after the record changed: its panels made afresh, nothing kept (in process only).
        (f"{DASHBOARD}{AFRESH}", "support", f"/dashboard/?on={DAY}"),
        (MAWP, "support", f"/workplans/{MAWP_SLUG}/"),
        ("biggest plan page", "support", f"/workplans/{biggest}/"),
        ("work plans list", "support", "/workplans/"),
        (f"work plans list{AFRESH}", "support", "/workplans/"),
        ("my agency's activities (IOM)", "iom", "/workplans/mine/"),
        (f"my agency's activities (IOM){AFRESH}", "iom", "/workplans/mine/"),
        ("meetings list", "support", "/meetings/"),
        ("meetings calendar, June 2015", "support", "/meetings/calendar/2015/6/"),
        ("search 'migration'", "support", "/search/?q=migration"),
        (f"search 'migration'{AFRESH}", "support", "/search/?q=migration"),
    ]
    for name in REGISTER_PAGES:
        with contextlib.suppress(NoReverseMatch):
            found.append(("deadline register page", "support", f"{reverse(name)}?on={DAY}"))
            break
    if queue is not None:
        found.append(("review queue (biggest round)", "support", f"/workplans/rounds/{queue}/"))
        found.append((f"review queue (biggest round){AFRESH}", "support", f"/workplans/rounds/{queue}/"))
    found += [
        ("action points list", "support", "/meetings/action-points/"),
        (f"action points list{AFRESH}", "support", "/meetings/action-points/"),
        ("decisions list", "support", "/meetings/decisions/"),
        ("agencies list", "support", "/groups/agencies/"),
        ("groups list", "support", "/groups/"),
        ("people list", "support", "/groups/people/"),
        ("chair terms list", "support", "/chairs/"),
        ("events list", "support", "/events/"),
        ("archive list", "support", "/archive/"),
        ("reporting rounds list", "support", "/workplans/rounds/"),
        ("audit trail", "support", "/audit/"),
        (f"audit trail{AFRESH}", "support", "/audit/"),
    ]
    for label, name in (
        ("activities", "api:activity-list"),
        ("meetings", "api:meeting-list"),
        ("decisions", "api:decision-list"),
        ("work plans", "api:workplan-list"),
        ("agencies", "api:agency-list"),
        ("groups", "api:group-list"),
        ("chair terms", "api:chair-term-list"),
    ):
        with contextlib.suppress(NoReverseMatch):
            found.append((f"API {label} list (JSON)", "support", reverse(name) + "?format=json"))
    # The public website as a visitor gets it, not signed in (the record's load publishes the MAWP).
    found.append((PUBLIC_HOME, "anonymous", "/"))
    found.append((PUBLIC_MAWP, "anonymous", f"/work-plans/{MAWP_SLUG}/"))
    found.append((ADMIN, "support", "/admin/workplans/activity/"))
    found.append((BARE, "anonymous", "/accounts/login/"))
    return found


def biggest_plan() -> str | None:
    """The slug of the plan with the most activities (the synthetic plans at scale)."""
    from django.db.models import Count

    from workplans.models import WorkPlan

    return (
        WorkPlan.objects.annotate(n=Count("streams__outputs__activities"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
        .first()
    )


def trickle_activity():
    """The activity the trickle of saves edits: one in a plan that no page read under the saves shows, so that
    what is measured is what a save elsewhere in the record costs the pages (every save changes the record's
    version, kit.record_version, so the kept parts of pages are made afresh), not the page growing or changing
    under its own reader. Not in the MAWP 2013-2015 (its page is a target), not in the biggest plan (its page is
    measured), not in any plan in force on 15 June 2015 (the dashboard of that day shows them)."""
    from reports.progress import plans_in_force
    from workplans.models import Activity

    shown = {MAWP_SLUG, biggest_plan()} | {plan.slug for plan in plans_in_force(date.fromisoformat(DAY))}
    return (
        Activity.objects.exclude(output__stream__workplan__slug__in=shown)
        .select_related("output__stream__workplan")
        .order_by("output__stream__workplan__starts_on", "output__stream__workplan__slug", "pk")
        .first()
    )


class Trickle:
    """One save a second, in a thread of this process, of `trickle_activity()` through the service the activity
    edit form saves with (workplans.services.activity_update): a new note each time, its agencies kept."""

    def __init__(self, every: float = 1.0):
        from groups.models import Person

        self.activity = trickle_activity()
        if self.activity is None:
            raise RuntimeError("No activity outside the pages measured under saves: nothing to save.")
        self.person = Person.objects.get(username="benchmark-support")
        self.every = every
        self.saves = 0
        self.failures = 0
        self.error = ""
        self.seconds: list[float] = []  # how long each save took
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="benchmark-trickle", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def save(self) -> None:
        from workplans.models import Activity
        from workplans.services import activity_update

        activity = Activity.objects.get(pk=self.activity.pk)
        activity_update(
            activity=activity,
            revision=activity.revision,
            values={"note": f"Benchmark save {self.saves + 1} at {datetime.now(UTC):%H:%M:%S}."},
            lead_agencies=list(activity.lead_agencies.all()),
            partners=list(activity.partners.all()),
            user=self.person,
        )

    def _run(self) -> None:
        from django.db import connection as own  # this thread's own connection

        started = time.monotonic()
        try:
            while not self._stop.wait(max(0.0, started + (self.saves + self.failures) * self.every - time.monotonic())):
                try:
                    began = time.perf_counter()
                    self.save()
                    self.seconds.append(time.perf_counter() - began)
                    self.saves += 1
                except Exception as error:  # noqa: BLE001 - counted and reported; the trickle goes on
                    self.failures += 1
                    self.error = f"{type(error).__name__}: {error}"[:160]
        finally:
            own.close()


def clients() -> dict[str, Client]:
    from groups.models import Person

    signed_in = {}
    for who, username in (("support", "benchmark-support"), ("iom", "benchmark-iom")):
        client = Client()
        client.force_login(Person.objects.get(username=username))
        signed_in[who] = client
    signed_in["anonymous"] = Client()
    return signed_in


def measure(client: Client, path: str, *, afresh: bool = False) -> dict:
    from django.core.cache import cache

    response = client.get(path)  # warm caches and templates
    times = []
    spent = 0.0
    while len(times) < REPEAT and (len(times) < 2 or spent < TIME_BUDGET):
        if afresh:
            cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        spent += times[-1]
    if afresh:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "median": statistics.median(times) * 1000,
        "p95": p95 * 1000,
        "n": len(times),
        "queries": len(queries),
        "kib": len(response.content) / 1024,
        "status": response.status_code,
    }


def measure_register() -> dict:
    from register.reading import obligations

    times = []
    with CaptureQueriesContext(connection) as queries:  # the first read's queries (a slow read is not repeated)
        started = time.perf_counter()
        found = obligations(first=date(2009, 1, 1), last=date(2018, 12, 31), today=date(2015, 6, 15))
        times.append(time.perf_counter() - started)
    while len(times) < 3 and sum(times) < REGISTER_BUDGET:
        started = time.perf_counter()
        found = obligations(first=date(2009, 1, 1), last=date(2018, 12, 31), today=date(2015, 6, 15))
        times.append(time.perf_counter() - started)
    return {
        "median": statistics.median(times) * 1000,
        "p95": max(times) * 1000,
        "n": len(times),
        "queries": len(queries),
        "kib": 0,
        "status": len(found),
    }


class Server:
    """gunicorn with 2 sync workers on the benchmark database, serving the portal and the floor beside it
    (scripts/bench_wsgi.py)."""

    def __init__(self, port: int, database_url: str):
        self.port = port
        env = dict(os.environ, DATABASE_URL=database_url, DJANGO_DEBUG="false")
        self.log = open(ROOT / "var" / "benchmark-gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "bench_wsgi:application",
                "--pythonpath",
                f"{ROOT},{ROOT / 'scripts'}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start on port {port}; see var/benchmark-gunicorn.log")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _latency_ms(output: str, percent: int) -> float | None:
    """A percentile of wrk's latency distribution (`--latency`), in milliseconds."""
    found = re.search(rf"^\s*{percent}(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    return float(found.group(1)) * WRK_UNITS_MS[found.group(2)] if found else None


def wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> dict:
    """Requests per second over `seconds` at `connections`, wrk's p50 and p99 latency (ms), and how many answers
    were not 2xx/3xx."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run(
        command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "bad": int(bad.group(1)) if bad else 0,
        "p50": _latency_ms(output, 50),
        "p99": _latency_ms(output, 99),
    }


def _trickle_line(trickle: dict) -> str:
    """How many saves the trickle made, of what, and how long a save took (a save slower than a second leaves
    the trickle short of one a second)."""
    took = (
        f"; a save took {trickle['save_median']:.2f} s (median), {trickle['save_max']:.2f} s at most"
        if trickle.get("save_median") is not None
        else ""
    )
    failed = f"; {trickle['failures']} failed ({trickle['error']})" if trickle["failures"] else ""
    return (
        f"{trickle['saves']} saves of activity {trickle['activity']} (plan `{trickle['plan']}`) in "
        f"{trickle['seconds']:.0f} s ({trickle['saves'] / max(trickle['seconds'], 1):.2f} a second, one asked) while "
        f"the pages were loaded again{took}{failed}"
    )


def _load_line(found: dict) -> str:
    latency = "  ".join(
        f"{key} {found[key]:>7.1f} ms" if found.get(key) is not None else f"{key}       - ms" for key in ("p50", "p99")
    )
    bad = f"  ({found['bad']} not 2xx/3xx)" if found["bad"] else ""
    return f"{found['rps']:>8.1f} req/s  {latency}{bad}"


def load_seconds(median_ms: float, least: int, connections: int) -> int:
    """Long enough for each connection to get a few answers from 2 workers, at most MAX_LOAD_SECONDS."""
    return int(min(MAX_LOAD_SECONDS, max(least, 3 * connections / 2 * median_ms / 1000)))


def warm(port: int, path: str, cookie: str, workers: int = 2) -> None:
    """A few requests of the page at once before it is loaded, so that each worker has made it (and kept what it
    keeps) once: wrk then measures the page as it is served, not a worker's first request of it."""
    from urllib.request import Request

    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}

    def get() -> None:
        with contextlib.suppress(OSError):
            urlopen(Request(f"http://127.0.0.1:{port}{path}", headers=headers), timeout=120).read()

    threads = [threading.Thread(target=get) for _ in range(2 * workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def drain(port: int) -> None:
    """Wait until the workers have answered what a finished load left queued (the floor answers quickly)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            urlopen(f"http://127.0.0.1:{port}{FLOOR_PATH}", timeout=60).read()
        except OSError:
            continue
        if time.monotonic() - started < 1:
            return


class MailSink:
    """A local SMTP server (aiosmtpd) that counts what it receives and keeps nothing: the sweep's mails go over
    real SMTP connections, as in production, without holding them in the sweep's memory."""

    def __init__(self) -> None:
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command, in this process

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.mails += 1
                sink.recipients.update(envelope.rcpt_tos)
                return "250 OK"

        self.mails = 0
        self.recipients: set[str] = set()
        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def _high_water_kib(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM, KiB). Not the rusage of wait4: a child's ru_maxrss
    counts the memory of the benchmark process it was forked from (hundreds of MiB at 100x), not its own."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return 0


def _clear_reminders() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE meetings_notice, meetings_reminder, meetings_digest")


def sweep(database_url: str) -> dict:
    """The reminder sweep as `manage.py send_reminders` runs it, in its own process, planning and delivery to a
    local SMTP sink together: wall time, peak RSS, reminders, mails and people."""
    from reminders.models import Reminder

    _clear_reminders()
    sink = MailSink()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
    )
    log_path = ROOT / "var" / "benchmark-sweep.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed once the sweep ends
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "send_reminders", "--now", SWEEP_AT],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    finished = False
    peak_kib = 0
    while time.perf_counter() - started < SWEEP_TIMEOUT:
        peak_kib = max(peak_kib, _high_water_kib(process.pid))
        pid, status, _ = os.wait4(process.pid, os.WNOHANG)
        if pid:
            finished = True
            break
        time.sleep(0.05)
    if not finished:
        process.kill()
        _, status, _ = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    log.close()
    sink.stop()
    errors = [line for line in log_path.read_text().splitlines() if "Error" in line or "error" in line]
    sent = Reminder.objects.filter(sent_at__isnull=False)
    found = {
        "seconds": seconds,
        "mib": peak_kib / 1024,
        "finished": finished,
        "reminders": Reminder.objects.count(),
        "sent": sent.count(),
        "mails": sink.mails,
        "people": sent.values("recipient").distinct().count(),
        "ok": finished and os.waitstatus_to_exitcode(status) == 0,
        "error": errors[-1][:160] if errors else "",
    }
    _clear_reminders()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,100", help="Units of synthetic data to measure, in order.")
    parser.add_argument("--seconds", type=int, default=2, help="How long wrk loads each page (at least).")
    parser.add_argument(
        "--pages", default="", help="Only the pages whose names contain one of these comma-separated words."
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one).")
    parser.add_argument("--no-wrk", action="store_true", help="In-process figures only.")
    parser.add_argument(
        "--output", default="", help="Where the table goes (default BENCHMARKS.md; var/ for a --pages run)."
    )
    args = parser.parse_args()
    factors = [int(f) for f in args.factors.split(",")]
    args.output = args.output or str(ROOT / ("var/benchmark-pages.md" if args.pages else "BENCHMARKS.md"))
    use_wrk = not args.no_wrk and shutil.which("wrk") is not None
    if not args.no_wrk and not use_wrk:
        print("wrk is not installed (make bench installs it): throughput is left out.")

    from django.core.management import call_command

    from groups.models import Agency, Person
    from record.loader import load_gmg_record
    from record.scale_data import generate_scale_data, remove_scale_data

    (ROOT / "var").mkdir(exist_ok=True)
    setup_test_environment()
    settings.DEBUG = False
    creation = connection.creation
    old_name = settings.DATABASES["default"]["NAME"]
    bench_name = f"{old_name}_benchmark"
    settings.DATABASES["default"]["TEST"].update({"NAME": bench_name})
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    parts = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(parts._replace(path=f"/{bench_name}"))
    started_at = datetime.now(UTC)
    server = None
    results: dict[int, dict] = {}
    generation: dict[int, float] = {}
    sweeps: dict[int, dict] = {}
    trickles: dict[int, dict] = {}
    try:
        load_gmg_record()
        Person.objects.create_superuser("benchmark-support", "support@example.org", "x", role=Person.Role.SUPPORT)
        Person.objects.create_user(
            "benchmark-iom", password="x", role=Person.Role.FOCAL_POINT, agency=Agency.objects.get(acronym="IOM")
        )
        call_command("check", verbosity=0)
        signed_in = clients()
        if use_wrk:
            port = args.port or _free_port()
            server = Server(port, database_url)
        for factor in factors:
            remove_scale_data()
            began = time.perf_counter()
            generate_scale_data(factor=factor)
            generation[factor] = time.perf_counter() - began
            print(f"\n{factor}x: generated in {generation[factor]:.0f} s", flush=True)
            rows = {}
            listed = pages(None)
            if args.pages:
                words = [w.strip().lower() for w in args.pages.split(",") if w.strip()]
                listed = [p for p in listed if p[0] in (BARE, ADMIN) or any(w in p[0].lower() for w in words)]
            for name, who, path in listed:
                rows[name] = measure(signed_in[who], path, afresh=name.endswith(AFRESH))
                rows[name]["path"] = path
                print(
                    f"  {name:<32} median {rows[name]['median']:>8.1f} ms  p95 {rows[name]['p95']:>8.1f} ms  "
                    f"{rows[name]['queries']:>3} queries  {rows[name]['kib']:>7.0f} KiB  {rows[name]['status']}",
                    flush=True,
                )
            if not args.pages or any(w in "register" for w in args.pages.split(",")):
                register = rows["register 2009-2018 (in process)"] = measure_register()
                print(
                    f"  {'register 2009-2018':<32} median {register['median']:>8.1f} ms  {register['queries']} queries"
                )
            if use_wrk:
                # At the largest size each page is loaded twice, alone and under the trickle of saves, for as long.
                largest = factor == factors[-1]
                least = max(args.seconds, TRICKLE_LEAST_SECONDS) if largest else args.seconds
                # under load every request after the first finds the panels kept: no 'made afresh' row
                loaded = [(name, who, path) for name, who, path in listed if not name.endswith(AFRESH)]

                def load(name: str, who: str, path: str, label: str = "", least: int = least, rows: dict = rows):
                    cookie = signed_in[who].cookies["sessionid"].value if who != "anonymous" else ""
                    seconds = load_seconds(rows.get(name, {}).get("median", 0.0), least, args.connections)
                    warm(server.port, path, cookie)
                    found = wrk(server.port, path, cookie, seconds, args.connections) | {"load_s": seconds}
                    drain(server.port)
                    print(f"  {name:<32} {label}{_load_line(found)}", flush=True)
                    return found

                rows[FLOOR] = {"queries": 0, "path": FLOOR_PATH} | load(FLOOR, "anonymous", FLOOR_PATH)
                for name, who, path in loaded:
                    rows[name].update(load(name, who, path))
                if largest:
                    trickle = Trickle()
                    print(
                        f"  under one save a second of activity {trickle.activity.pk} "
                        f"({trickle.activity.output.stream.workplan.slug}):",
                        flush=True,
                    )
                    began = time.monotonic()
                    trickle.start()
                    try:
                        for name, who, path in [(FLOOR, "anonymous", FLOOR_PATH), *loaded]:
                            before = trickle.saves
                            found = load(name, who, path, "under saves ")
                            rows[name]["under_saves"] = found | {"saves": trickle.saves - before}
                    finally:
                        trickle.stop()
                    trickles[factor] = {
                        "saves": trickle.saves,
                        "failures": trickle.failures,
                        "error": trickle.error,
                        "save_median": statistics.median(trickle.seconds) if trickle.seconds else None,
                        "save_max": max(trickle.seconds, default=None),
                        "seconds": time.monotonic() - began,
                        "activity": trickle.activity.pk,
                        "plan": trickle.activity.output.stream.workplan.slug,
                    }
                    print(f"  {_trickle_line(trickles[factor])}", flush=True)
            if factor in (factors[0], factors[-1]) and (not args.pages or "sweep" in args.pages):
                sweeps[factor] = sweep(database_url)
                print(
                    f"  sweep at {SWEEP_AT}: {sweeps[factor]['seconds']:.1f} s, {sweeps[factor]['mib']:.0f} MiB, "
                    f"{sweeps[factor]['sent']:,} reminders in {sweeps[factor]['mails']:,} mails",
                    flush=True,
                )
            results[factor] = rows
        remove_scale_data()
    finally:
        if server is not None:
            server.stop()
        if results:  # written before the database is dropped, so that a failure there loses no figures
            text = table(results, list(results), generation, sweeps, trickles, args, started_at)
            print("\n" + text)
            Path(args.output).write_text(text)
            print(f"Written to {args.output}")
        _end_other_sessions()
        creation.destroy_test_db(old_name, verbosity=0)
    factors = list(results)
    if not factors:
        return 1
    changed = [
        name
        for name in results[factors[0]]
        if name != BARE and len({results[f][name]["queries"] for f in factors if name in results[f]}) > 1
    ]
    return 1 if changed else 0


def _end_other_sessions() -> None:
    """End what still reads the benchmark's own database (a sweep stopped at its time limit leaves its query
    running in PostgreSQL), so that the database can be dropped."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The pages the per-page targets name: my agency's activities, search, and every list (the API's too).
LIST_PAGES = ("my agency's activities", "search", "list", "register page", "review queue", "audit trail")
# The targets of the throughput issue, at the largest size with 16 connections.
MAWP_MAX_KIB = 60
MAWP_MIN_OF_BARE = 0.20
MAX_P99_MS = 300
KEPT_UNDER_SAVES = 0.90
BARE_MIN_OF_FLOOR = 0.25
LIST_MIN_OF_BARE = 0.20
# A visitor's page of the public website is kept whole (website.views.kept_page): it costs about what the bare
# page costs.
VISITOR_MIN_OF_BARE = 0.50


def _yes(met: bool) -> str:
    return "yes" if met else "no"


def _ms(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "-"


def targets(results: dict, last: int) -> list[str]:
    """The throughput issue's targets at the largest size, each with the figure that meets or misses it."""
    rows = results[last]
    floor, bare = rows.get(FLOOR, {}).get("rps"), rows.get(BARE, {}).get("rps")
    lines = ["", f"Targets at {last}x, {{connections}} connections (met: yes / no):", ""]
    mawp = rows.get(MAWP)
    if mawp and "rps" in mawp and bare:
        share, p99 = mawp["rps"] / bare, mawp.get("p99")
        met = mawp["kib"] <= MAWP_MAX_KIB and share >= MAWP_MIN_OF_BARE and p99 is not None and p99 <= MAX_P99_MS
        lines.append(
            f"- {_yes(met)}: {MAWP} {mawp['kib']:.0f} KiB (<= {MAWP_MAX_KIB} KiB), {100 * share:.1f}% of the bare "
            f"page's throughput (>= {100 * MAWP_MIN_OF_BARE:.0f}%), p99 {_ms(p99)} ms (<= {MAX_P99_MS} ms)"
        )
    else:
        lines.append(f"- no: {MAWP}: not measured under load")
    for name in (DASHBOARD, MAWP):
        row = rows.get(name, {})
        saves = row.get("under_saves")
        if not (saves and row.get("rps")):
            lines.append(f"- no: {name} under one save a second: not measured")
            continue
        kept, p99 = saves["rps"] / row["rps"], saves.get("p99")
        # One save a second while loaded (a second's slack): fewer, and the page was not read under the trickle asked.
        kept_up = saves["saves"] >= saves["load_s"] - 1
        met = kept_up and kept >= KEPT_UNDER_SAVES and p99 is not None and p99 <= MAX_P99_MS
        short = "" if kept_up else ": the saves fell behind one a second, so not measured as asked"
        lines.append(
            f"- {_yes(met)}: {name} under one save a second ({saves['saves']} saves during its "
            f"{saves['load_s']} s load{short}): {saves['rps']:.1f} req/s, {100 * kept:.1f}% of its "
            f"{row['rps']:.1f} req/s read alone (>= {100 * KEPT_UNDER_SAVES:.0f}%), p99 {_ms(p99)} ms "
            f"(<= {MAX_P99_MS} ms)"
        )
    if floor and bare is not None:
        share = bare / floor
        lines.append(
            f"- {_yes(share >= BARE_MIN_OF_FLOOR)}: sign-in page (the bare page) {bare:.1f} req/s, "
            f"{100 * share:.1f}% of the floor's {floor:.1f} req/s (>= {100 * BARE_MIN_OF_FLOOR:.0f}%)"
        )
    else:
        lines.append("- no: sign-in page against the floor: not measured under load")
    for name in (PUBLIC_HOME, PUBLIC_MAWP):
        row = rows.get(name)
        if row is None:
            continue  # a --pages run without it
        if not (bare and "rps" in row):
            lines.append(f"- no: {name}: not measured under load")
            continue
        share = row["rps"] / bare
        lines.append(
            f"- {_yes(share >= VISITOR_MIN_OF_BARE)}: {name}: a visitor's page costs about what the bare page costs: "
            f"{row['rps']:.1f} req/s, {100 * share:.1f}% of the bare page's throughput "
            f"(>= {100 * VISITOR_MIN_OF_BARE:.0f}%), p99 {_ms(row.get('p99'))} ms"
        )
    for name, row in rows.items():
        if name in (BARE, ADMIN, FLOOR) or name.endswith(AFRESH) or not any(word in name for word in LIST_PAGES):
            continue
        if not (bare and "rps" in row):
            lines.append(f"- no: {name}: not measured under load")
            continue
        share = row["rps"] / bare
        lines.append(
            f"- {_yes(share >= LIST_MIN_OF_BARE)}: {name} {row['rps']:.1f} req/s, {100 * share:.1f}% of the bare "
            f"page's throughput (>= {100 * LIST_MIN_OF_BARE:.0f}%)"
        )
    return lines


def earlier_targets(results: dict, last: int) -> list[str]:
    """The earlier issue's targets (in-process medians; lists against the admin changelist), still reported."""
    rows = results[last]
    bare, admin = rows.get(BARE, {}).get("rps"), rows.get(ADMIN, {}).get("rps")
    lines = ["", f"Earlier targets at {last}x, in process and against the admin changelist (met: yes / no):", ""]
    dashboard = rows.get(DASHBOARD)
    if dashboard:
        throughput = (
            f", {100 * dashboard['rps'] / bare:.1f}% of the bare page's throughput (>= 20%)"
            if (bare and "rps" in dashboard)
            else ""
        )
        met = dashboard["median"] <= 20 and (not throughput or dashboard["rps"] >= 0.2 * bare)
        lines.append(f"- {_yes(met)}: dashboard median {dashboard['median']:.1f} ms (<= 20 ms){throughput}")
    afresh = rows.get(f"{DASHBOARD}{AFRESH}")
    if afresh:
        lines.append(f"- (the dashboard just after a change, made afresh: median {afresh['median']:.1f} ms)")
    for name, row in rows.items():
        if name in (BARE, ADMIN, FLOOR) or not any(word in name for word in LIST_PAGES):
            continue
        if name.endswith(AFRESH):  # in process only: the median target
            met = row["median"] <= 50
            lines.append(f"- {_yes(met)}: {name} median {row['median']:.1f} ms (<= 50 ms)")
            continue
        ratio = row["rps"] / admin if admin and "rps" in row else None
        met = row["median"] <= 50 and (ratio is None or ratio >= 5)
        shown = f", {ratio:.2f}x the admin changelist's throughput (>= 5x)" if ratio is not None else ""
        lines.append(f"- {_yes(met)}: {name} median {row['median']:.1f} ms (<= 50 ms){shown}")
    return lines


def _latencies(found: dict | None) -> str:
    if not found or "rps" not in found:
        return ""
    return f"{_ms(found.get('p50'))} / {_ms(found.get('p99'))}"


def table(
    results: dict, factors: list[int], generation: dict, sweeps: dict, trickles: dict, args, started_at: datetime
) -> str:
    first, last = factors[0], factors[-1]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {started_at:%Y-%m-%d %H:%M} UTC ({os.cpu_count()} CPUs, shared), on the GMG",
        "record plus `generate_scale_data --factor N` (N = "
        + ", ".join(f"{f}x" for f in factors)
        + "; "
        + ", ".join(f"{f}x generated in {generation[f]:.0f} s" for f in factors)
        + ").",
        "In process: Django's test client, DEBUG off, median and p95 of up to "
        f"{REPEAT} requests after one warm-up (n = how many). Throughput: gunicorn, 2 sync workers, wrk with "
        f"{args.connections} connections for {args.seconds} s per page ({TRICKLE_LEAST_SECONDS} s at {last}x; longer "
        f"for slow pages, so that each connection gets a few answers, at most {MAX_LOAD_SECONDS} s; 0 req/s: none "
        "answered in that time), with wrk's p50 and p99 latency; ratios to the floor, to the bare login page and to "
        "the admin's activity changelist on the same data.",
        "The floor is a minimal Django view served by the same gunicorn, with no middleware and no template "
        "(`scripts/bench_wsgi.py`): what a request costs on this machine before the portal adds anything.",
        f"Under saves ({last}x): each page loaded again while the benchmark saves one activity a second (not in a plan "
        "the pages measured show) through the service the activity edit form uses; 'kept' is the throughput under "
        "saves as a share of the page's read alone.",
        "Absolute times depend on the machine (and on what else runs on it); the targets are ratios.",
        f"A row named '{AFRESH.strip(', ')}' is the page just after the record changed, with nothing kept from before "
        "(kit.record_version), measured in process only.",
        "",
    ]
    names = [name for name in results[first] if name == FLOOR] + [name for name in results[first] if name != FLOOR]
    header = (
        "| page | "
        + " | ".join(f"{f}x median / p95 ms (n)" for f in factors)
        + " | queries "
        + " / ".join(f"{f}x" for f in factors)
        + f" | KiB {last}x | req/s {last}x | p50 / p99 ms {last}x | vs floor | vs bare | vs admin"
        + " | req/s under saves | p50 / p99 ms under saves | kept |"
    )
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    floor = results[last].get(FLOOR, {}).get("rps")
    bare = results[last].get(BARE, {}).get("rps")
    admin = results[last].get(ADMIN, {}).get("rps")
    for name in names:
        cells = []
        for factor in factors:
            row = results[factor].get(name)
            cells.append(f"{row['median']:.1f} / {row['p95']:.1f} ({row['n']})" if row and "median" in row else "")
        queries = (
            ""
            if name == FLOOR
            else " / ".join(str(results[f][name]["queries"]) if name in results[f] else "-" for f in factors)
        )
        row = results[last].get(name, {})
        rps = row.get("rps")
        saves = row.get("under_saves") or {}
        kib = f"{row['kib']:.0f}" if row.get("kib") else ""
        ratio_floor = f"{100 * rps / floor:.1f}%" if rps is not None and floor else ""
        ratio_bare = f"{100 * rps / bare:.1f}%" if rps is not None and bare and name != FLOOR else ""
        ratio_admin = f"{rps / admin:.2f}x" if rps is not None and admin and name != FLOOR else ""
        kept = f"{100 * saves['rps'] / rps:.1f}%" if saves and rps else ""
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {queries} | {kib} | "
            + (f"{rps:.1f}" if rps is not None else "")
            + f" | {_latencies(row)} | {ratio_floor} | {ratio_bare} | {ratio_admin} | "
            + (f"{saves['rps']:.1f}" if saves else "")
            + f" | {_latencies(saves)} | {kept} |"
        )
    for factor, trickle in trickles.items():
        lines += ["", f"Saves at {factor}x: {_trickle_line(trickle)}."]
    if len(factors) > 1 and any("rps" in r for r in results[first].values()):
        lines += [
            "",
            "Throughput at every size (req/s, and % of the bare page's on the same data; the bare page: % of the "
            "floor's):",
            "",
            "| page | " + " | ".join(f"{f}x" for f in factors) + " |",
            "|" + "---|" * (len(factors) + 1),
        ]
        for name in names:
            cells = []
            for factor in factors:
                row = results[factor].get(name, {})
                against = FLOOR if name == BARE else BARE
                base = results[factor].get(against, {}).get("rps")
                if "rps" in row:
                    shown = name != FLOOR and base
                    cells.append(f"{row['rps']:.1f} ({100 * row['rps'] / base:.1f}%)" if shown else f"{row['rps']:.1f}")
                else:
                    cells.append("")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [line.replace("{connections}", str(args.connections)) for line in targets(results, last)]
    lines += earlier_targets(results, last)
    if sweeps:
        lines += [
            "",
            f"Reminder sweep (`manage.py send_reminders --now {SWEEP_AT}` in its own process: the sweep and the "
            "delivery of its mails to a local SMTP sink, together):",
            "",
            "| data | wall time | peak RSS | reminders made | sent | mails | to people |",
            "|---|---|---|---|---|---|---|",
        ]
        for factor, found in sweeps.items():
            state = "" if found["finished"] else f" (stopped after {SWEEP_TIMEOUT} s)"
            state += (
                ""
                if found["ok"] or not found["finished"]
                else f" (failed: {found['error'] or 'see var/benchmark-sweep.log'})"
            )
            lines.append(
                f"| {factor}x | {found['seconds']:.1f} s{state} | {found['mib']:.0f} MiB | {found['reminders']:,} | "
                f"{found['sent']:,} | {found['mails']:,} | {found['people']:,} |"
            )
        if len(sweeps) > 1:
            small, large = sweeps[min(sweeps)], sweeps[max(sweeps)]
            lines += [
                "",
                f"Sweep at {max(sweeps)}x: {large['seconds']:.1f} s (target < 60 s), peak memory "
                f"{large['mib'] / small['mib']:.2f}x the {min(sweeps)}x run's (target <= 1.5x).",
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
