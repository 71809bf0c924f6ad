#!/usr/bin/env python
"""Measure the portal's main pages and the deadline register on the GMG record, then on ten times the data.

Prints, for each page: the median wall time of a few requests, the number of SQL queries, and the peak
Python memory of one request; the query counts should be the same for both data sizes. It uses its own
PostgreSQL database (gmg_portal_benchmark on the server of DATABASE_URL), created afresh and dropped at the end.

    make bench        (or: .venv/bin/python scripts/benchmark.py [--scale 10] [--repeat 5])
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmg_portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gmg_portal")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ["CELERY_BROKER_URL"] = ""
os.environ["REDIS_URL"] = ""

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    ("dashboard, 15 June 2015", "/dashboard/?on=2015-06-15"),
    ("MAWP 2013-2015 page", "/workplans/mawp-2013-2015/"),
    ("work plans", "/workplans/"),
    ("meetings", "/meetings/"),
    ("agencies", "/groups/agencies/"),
    ("chair terms", "/chairs/"),
    ("search 'migration'", "/search/?q=migration"),
]


def grow(scale: int) -> None:
    """Add (scale - 1) copies of the MAWP's activities and meetings, so the record is `scale` times bigger."""
    from meetings.models import Meeting
    from workplans.models import Activity, Output

    outputs = list(Output.objects.filter(stream__workplan__slug="mawp-2013-2015"))
    originals = list(Activity.objects.filter(output__in=outputs).prefetch_related("lead_agencies"))
    meetings = list(Meeting.objects.dated())
    for copy in range(1, scale):
        for activity in originals:
            leads = list(activity.lead_agencies.all())
            activity.pk = None
            activity.position += 100 * copy
            activity.save()
            activity.lead_agencies.set(leads)
        for meeting in meetings:
            meeting.pk_before, meeting.pk = meeting.pk, None
            meeting.key = f"bench-{copy}-{meeting.pk_before}" if meeting.key else None
            meeting.starts_on = meeting.starts_on + timedelta(days=copy)
            meeting.ends_on = meeting.ends_on + timedelta(days=copy) if meeting.ends_on else None
            meeting.save()


def measure(client: Client, url: str, repeat: int) -> tuple[float, int, float, int]:
    client.get(url)  # warm caches and templates
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        tracemalloc.start()
        client.get(url)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return statistics.median(times) * 1000, len(queries), peak / 1024 / 1024, response.status_code


def register_figures(repeat: int) -> tuple[float, int, int]:
    from meetings.deadlines import obligations

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        found = obligations(first=date(2009, 1, 1), last=date(2018, 12, 31), today=date(2015, 6, 15))
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        obligations(first=date(2009, 1, 1), last=date(2018, 12, 31), today=date(2015, 6, 15))
    return statistics.median(times) * 1000, len(queries), len(found)


def report(label: str, repeat: int) -> dict:
    from groups.models import Person

    client = Client()
    client.force_login(Person.objects.get(username="benchmark-support"))
    print(f"\n{label}")
    print(f"  {'page':<28}{'median ms':>10}{'queries':>9}{'peak MiB':>10}{'status':>8}")
    counts = {}
    for name, url in PAGES:
        ms, queries, mib, status = measure(client, url, repeat)
        counts[name] = queries
        print(f"  {name:<28}{ms:>10.1f}{queries:>9}{mib:>10.2f}{status:>8}")
    ms, queries, found = register_figures(repeat)
    counts["register"] = queries
    print(f"  {'register 2009-2018':<28}{ms:>10.1f}{queries:>9}{'':>10}{found:>8} obligations")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="How many times the record to measure second.")
    parser.add_argument("--repeat", type=int, default=5, help="Requests per page for the median.")
    args = parser.parse_args()

    from django.core.management import call_command
    from django.test.utils import get_runner  # noqa: F401 - keeps the test environment set up as tests do

    from gmg_portal.record import load_gmg_record
    from groups.models import Person

    setup_test_environment()
    settings.DEBUG = False
    creation = connection.creation
    old_name = settings.DATABASES["default"]["NAME"]
    settings.DATABASES["default"]["TEST"].update({"NAME": "gmg_portal_benchmark"})
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        load_gmg_record()
        Person.objects.create_user("benchmark-support", role=Person.Role.SUPPORT, password="x")
        call_command("check", verbosity=0)
        small = report("The GMG record as loaded", args.repeat)
        grow(args.scale)
        large = report(f"{args.scale} times the activities and meetings", args.repeat)
        changed = [name for name in small if small[name] != large[name]]
        print("\nQuery counts " + ("differ for: " + ", ".join(changed) if changed else "are the same for both sizes."))
        return 1 if changed else 0
    finally:
        creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
