"""`python manage.py run_portal [addrport]`: the development server with the reminder sweep beside it.

The embedded set-up (`make run`) has no Redis and no Celery worker; this command runs the same sweep as the
beat, every GMG_REMINDER_SWEEP_MINUTES, in a daemon thread of the serving process, and sends in-process. The
sent-log's constraint and claims make it safe next to a real worker, should one run.
"""

import logging
import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from kit import record_version
from reminders import sweep, tasks

logger = logging.getLogger(__name__)


def sweep_forever(every_seconds: float, stop: threading.Event) -> None:
    try:
        _sweep_until(every_seconds, stop)
    finally:
        connection.close()  # this thread's own connection


def _sweep_until(every_seconds: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            result = sweep.sweep()
            record_version.fold()
            if not result.locked_out:
                tasks.deliver_now(reminder_ids=result.to_deliver, digest_ids=result.digests)
        except Exception:
            logger.exception("The reminder sweep failed; it runs again in %s seconds.", every_seconds)
        finally:
            close_old_connections()
        stop.wait(every_seconds)


class Command(BaseCommand):
    help = "Serve the portal (runserver) and sweep reminders in-process every GMG_REMINDER_SWEEP_MINUTES."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--every", type=float, help="Minutes between sweeps (default GMG_REMINDER_SWEEP_MINUTES).")
        parser.add_argument("--noreload", action="store_true", help="Do not restart on code changes.")

    def handle(self, *args, addrport, every=None, noreload=False, **options):
        minutes = every if every is not None else settings.GMG_REMINDER_SWEEP_MINUTES
        if minutes <= 0:
            self.stderr.write("--every must be more than 0 minutes.")
            raise SystemExit(2)
        # With the autoreloader, the serving child process (RUN_MAIN) sweeps; the watching parent does not.
        if noreload or os.environ.get("RUN_MAIN") == "true":
            stop = threading.Event()
            threading.Thread(
                target=sweep_forever, args=(minutes * 60, stop), name="reminder-sweep", daemon=True
            ).start()
            self.stdout.write(f"Sweeping reminders every {minutes:g} minute(s) in this process.")
        call_command("runserver", addrport, use_reloader=not noreload)
