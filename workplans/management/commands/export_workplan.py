"""Write a work plan to an Excel workbook laid out as the GMG's tables (one sheet per stream)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from workplans import spreadsheets
from workplans.management.plans import plan_named


class Command(BaseCommand):
    help = "Export a work plan to XLSX (or to CSV when FILE ends in .csv): export_workplan SLUG --output FILE"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The work plan's slug, e.g. mawp-2013-2015.")
        parser.add_argument("--output", required=True, metavar="FILE", help="Where to write the .xlsx or .csv file.")

    def handle(self, *args, slug, output, **options):
        plan = plan_named(slug)
        path = Path(output)
        if path.suffix.lower() == ".csv":
            path.write_text(spreadsheets.export_csv(plan), encoding="utf-8")
        else:
            path.write_bytes(spreadsheets.export_xlsx(plan))
        self.stdout.write(f"Wrote {plan.title} to {path}.")
