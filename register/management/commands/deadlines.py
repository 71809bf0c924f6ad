"""Print the register of dated obligations, for the support team and for cron."""

import json
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from groups.models import Agency
from kit.inputs import parse_day_option as parse_day
from register.deadlines import KINDS
from register.reading import obligations

DEFAULT_DAYS_AHEAD = 90


class Command(BaseCommand):
    help = (
        "Print every dated obligation of the GMG due in a period (default: today to 90 days ahead): what it is, "
        "its due date and state, the responsible agency and the record's address. --json prints a list of "
        'objects with the keys "kind", "title", "due" (YYYY-MM-DD), "state", "agency" (acronym or null) and "url".'
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", metavar="DATE", help="First due date, YYYY-MM-DD (default: today).")
        parser.add_argument("--to", dest="last", metavar="DATE", help="Last due date, YYYY-MM-DD (default: +90 days).")
        parser.add_argument("--agency", metavar="ACRONYM", help="Only what this agency is responsible for.")
        parser.add_argument(
            "--kind", action="append", choices=sorted(KINDS), help="Only this kind (may be given more than once)."
        )
        parser.add_argument(
            "--overdue", action="store_true", help="Also list what is still overdue from before the first date."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        first = parse_day(options["first"], "--from") if options["first"] else today
        last = parse_day(options["last"], "--to") if options["last"] else first + timedelta(days=DEFAULT_DAYS_AHEAD)
        if last < first:
            raise CommandError(f"--to {last.isoformat()} is before --from {first.isoformat()}.")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(acronym__iexact=options["agency"].strip()).first()
            if agency is None:
                known = ", ".join(Agency.objects.order_by("acronym").values_list("acronym", flat=True))
                raise CommandError(
                    f"No agency has the acronym {options['agency']!r}. Known acronyms: {known or 'none'}."
                )
        found = obligations(
            first=first,
            last=last,
            today=today,
            agency=agency,
            kinds=set(options["kind"]) if options["kind"] else None,
            include_overdue=options["overdue"],
        )
        rows = [
            {
                "kind": o.kind,
                "title": o.title,
                "due": o.due.isoformat(),
                "state": str(o.state),
                "agency": o.agency.acronym if o.agency else None,
                "url": f"{settings.SITE_URL}{o.url}",
            }
            for o in found
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Obligations due {first.isoformat()} to {last.isoformat()} (today {today.isoformat()}):")
        if not rows:
            self.stdout.write("  none.")
            return
        width = max(len(row["agency"] or "-") for row in rows)
        for row in rows:
            self.stdout.write(
                f"  {row['due']}  {row['state']:<8}  {(row['agency'] or '-'):<{width}}  {row['title']}\n"
                f"  {'':10}  {'':8}  {'':<{width}}  {row['url']}"
            )
        self.stdout.write(f"{len(rows)} obligation{'s' if len(rows) != 1 else ''}.")
