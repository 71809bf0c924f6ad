"""Write a work plan's activities as IATI activity XML 2.03, checked against the vendored schema and IATI's rules;
exits non-zero with the list of problems, writing nothing, when the rules would reject the file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workplans.iati import IatiProblems, export_iati
from workplans.management.plans import plan_named


class Command(BaseCommand):
    help = "Export a work plan as IATI 2.03 activity XML: python manage.py export_iati SLUG --output FILE.xml"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The work plan's slug.")
        parser.add_argument("--output", required=True, metavar="FILE", help="Where to write the XML.")

    def handle(self, *args, slug, output, **options):
        plan = plan_named(slug)
        try:
            xml = export_iati(plan)
        except IatiProblems as refused:
            listed = "\n".join(f"- {problem}" for problem in refused.problems)
            raise CommandError(f"No file written: IATI's rules would reject {plan.title}.\n{listed}") from None
        Path(output).write_bytes(xml)
        self.stdout.write(f"Wrote {plan.title} as IATI 2.03 XML to {output}.")
