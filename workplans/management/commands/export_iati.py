"""Write a work plan's activities as IATI activity XML 2.03, checked against the vendored schema."""

from pathlib import Path

from django.core.management.base import BaseCommand

from workplans.iati import export_iati
from workplans.management.plans import plan_named


class Command(BaseCommand):
    help = "Export a work plan as IATI 2.03 activity XML: python manage.py export_iati SLUG --output FILE.xml"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The work plan's slug.")
        parser.add_argument("--output", required=True, metavar="FILE", help="Where to write the XML.")

    def handle(self, *args, slug, output, **options):
        plan = plan_named(slug)
        Path(output).write_bytes(export_iati(plan))
        self.stdout.write(f"Wrote {plan.title} as IATI 2.03 XML to {output}.")
