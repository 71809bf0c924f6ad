"""`manage.py rebuild_register`: compute the deadline register from the record and store it again."""

import time

from django.core.management.base import BaseCommand

from register import stored


class Command(BaseCommand):
    help = "Rebuild the stored deadline register from the record (the rules in register/deadlines.py)."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = stored.rebuild()
        self.stdout.write(f"The register holds {count} obligations (rebuilt in {time.monotonic() - started:.1f} s).")
