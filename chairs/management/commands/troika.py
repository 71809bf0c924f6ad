"""Print the GMG troika (previous, current and next chair) on a day, for the support team and for scripts."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.formats import date_format

from chairs.services import troika_on
from kit.inputs import parse_day_option as parse_day


class Command(BaseCommand):
    help = (
        "Print the troika on a day: the previous, current and next chair, from the chair terms. Where no next "
        "chair is confirmed, the alphabetical rotation's proposal is shown and marked as proposed. --json prints "
        '{"date", "previous", "current", "next", "next_is_proposed"} with agencies as acronyms (or null).'
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", metavar="DATE", help="The day, YYYY-MM-DD (default: today in the GMG's time zone).")
        parser.add_argument("--json", action="store_true", help="Print a JSON object instead of a sentence.")

    def handle(self, *args, **options):
        day = parse_day(options["on"], "--on") if options["on"] else timezone.localdate()
        troika = troika_on(day)
        acronym = {
            "previous": troika.previous.agency.acronym if troika.previous else None,
            "current": troika.current.agency.acronym if troika.current else None,
            "next": troika.next_agency.acronym if troika.next_agency else None,
        }
        if options["json"]:
            self.stdout.write(
                json.dumps({"date": day.isoformat(), **acronym, "next_is_proposed": troika.next_is_proposed})
            )
            return
        lines = [f"The GMG troika on {date_format(day, "DATE_FORMAT")}:"]
        lines.append(f"  previous  {self.describe(troika.previous)}")
        lines.append(f"  current   {self.describe(troika.current, empty='none: no actual chair term covers this day')}")
        next_text = self.describe(troika.next, empty="none: no term follows and the rotation proposes no one")
        if troika.next_is_proposed:
            next_text += " - proposed by the alphabetical rotation, not confirmed"
        lines.append(f"  next      {next_text}")
        self.stdout.write("\n".join(lines))

    @staticmethod
    def describe(term, empty: str = "none in the record") -> str:
        if term is None:
            return empty
        kind = getattr(term, "kind", None)
        label = f"{term.agency.acronym} ({term.period_label}"
        return label + (f", {kind})" if kind else ")")
