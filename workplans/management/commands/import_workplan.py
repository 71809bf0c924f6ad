"""Preview (or, with --apply, apply) an edited workbook of a work plan; all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workplans import spreadsheets
from workplans.management.plans import plan_named


class Command(BaseCommand):
    help = (
        "Read an edited XLSX of a work plan and list what would be added, changed and removed, and each row's "
        "problems; nothing changes unless --apply is given, and then all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The work plan's slug.")
        parser.add_argument("file", help="The edited .xlsx file, or the exported .csv file.")
        parser.add_argument("--apply", action="store_true", help="Apply the changes (default: preview only).")

    def handle(self, *args, slug, file, apply, **options):
        plan = plan_named(slug)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file!r}.")
        if path.stat().st_size > spreadsheets.MAX_FILE_BYTES:
            raise CommandError(f"The file is over {spreadsheets.MAX_FILE_BYTES // 2**20} MB; nothing was changed.")
        try:
            preview = spreadsheets.preview_import(plan, path.read_bytes())
        except spreadsheets.SpreadsheetRefused as refusal:
            reasons = "\n  ".join(refusal.reasons)
            raise CommandError(f"This file cannot be imported; nothing was changed:\n  {reasons}") from None
        for row in preview.added:
            self.stdout.write(f"add     {row.sheet} row {row.row}: {row.label}")
        for row in preview.changed:
            changes = "; ".join(f"{column}: {before!r} -> {after!r}" for column, before, after in row.changes)
            self.stdout.write(f"change  {row.sheet} row {row.row}: {row.label} ({changes})")
        for activity in preview.removed:
            self.stdout.write(f"remove  {activity}")
        if preview.errors:
            lines = [f"{e.sheet} row {e.row}: {e.message}" if e.row else e.message for e in preview.errors]
            raise CommandError("Nothing was changed; fix these rows:\n  " + "\n  ".join(lines))
        if preview.is_empty:
            self.stdout.write("The workbook matches the plan: nothing to change.")
            return
        if not apply:
            self.stdout.write("Preview only: run again with --apply to apply these changes.")
            return
        try:
            counts = spreadsheets.apply_import(preview)
        except spreadsheets.ImportConflict as conflict:
            raise CommandError(str(conflict)) from None
        self.stdout.write(
            f"Applied: {counts['added']} added, {counts['changed']} changed, {counts['removed']} removed."
        )
