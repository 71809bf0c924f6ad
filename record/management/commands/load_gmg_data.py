from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kit.audit import acting_as
from record.loader import DATA_DIR, RecordError, load_gmg_record


class Command(BaseCommand):
    help = "Load the GMG's record (agencies, chairs, groups, meetings, decisions, work plans) from data/gmg/."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="Folder of the data files.")

    def handle(self, *args, data_dir: Path, verbosity: int, **options):
        try:
            with acting_as("the record loader (load_gmg_data)"):
                report = load_gmg_record(data_dir)
        except RecordError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        if verbosity >= 2:
            for line in report.lines():
                self.stdout.write(line)
        for line in report.unread_timeframes:
            self.stdout.write(self.style.WARNING(f"Timeframe left undated: {line}"))
        created, updated = sum(report.created.values()), sum(report.updated.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"GMG record loaded: {created} created, {updated} updated, {sum(report.unchanged.values())} unchanged."
            )
        )
