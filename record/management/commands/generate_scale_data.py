"""`python manage.py generate_scale_data --factor N [--seed S] [--remove]`: synthetic records in the GMG's shape.

For measuring the portal at N times its record (`make bench`); `record.scale_data` says what one unit holds.
Every synthetic row is marked, and `--remove` deletes exactly those rows.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from record.scale_data import generate_scale_data, remove_scale_data


class Command(BaseCommand):
    help = "Add N units of synthetic records in the GMG's shape (seeded, bulk inserted), or remove them."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=10, help="How many units (100: 19,600 activities).")
        parser.add_argument("--seed", type=int, default=2015, help="The same seed makes the same records.")
        parser.add_argument("--remove", action="store_true", help="Delete the synthetic records, and only them.")

    def handle(self, *args, factor=10, seed=2015, remove=False, **options):
        started = time.perf_counter()
        if remove:
            removed = remove_scale_data()
            self.stdout.write(f"Removed {removed or 'nothing'} in {time.perf_counter() - started:.1f} s.")
            return
        try:
            made = generate_scale_data(factor=factor, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Made {made} in {time.perf_counter() - started:.1f} s.")
