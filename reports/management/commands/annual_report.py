"""Write a chair term's annual report, drafted from the record, as a PDF, a Word file or a standalone HTML file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.documents import report_docx, report_html, report_pdf
from reports.selectors import annual_report, find_term

MAKERS = {"pdf": report_pdf, "docx": report_docx, "html": report_html}


class Command(BaseCommand):
    help = (
        "Write the annual report of a chair term (Annex I, working level ix), drafted from the record with the "
        "chair's introduction and highlights. TERM is a term's id or its agency and year, e.g. ILO-2014 (the "
        "actual term when a planned one shares the year)."
    )

    def add_arguments(self, parser):
        parser.add_argument("term", metavar="TERM", help="A term's id, or AGENCY-YEAR such as ILO-2014.")
        parser.add_argument("--format", choices=sorted(MAKERS), default="pdf", help="pdf (default), docx or html.")
        parser.add_argument("--output", metavar="FILE", required=True, help="The file to write.")

    def handle(self, *args, **options):
        term = find_term(options["term"])
        if term is None:
            raise CommandError(
                f"No chair term {options['term']!r}: give a term's id or its agency and year, e.g. ILO-2014."
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        content = MAKERS[options["format"]](annual_report(term))
        if isinstance(content, str):
            output.write_text(content, encoding="utf-8")
        else:
            output.write_bytes(content)
        self.stdout.write(f"Wrote the annual report of {term.agency} for {term.period_label} to {output}.")
