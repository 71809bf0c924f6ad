import logging

from django.core.management.base import BaseCommand, CommandError

from website.static_copy import BuildError, build


class Command(BaseCommand):
    help = (
        "Write the public website as static files to a folder: every public page, feed, file and image, with "
        "relative links, to serve from any web server at any path or to open from the disk. The folder must be "
        "new, empty or an earlier copy; it is replaced whole at the end, or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="DIR", required=True, help="The folder to write the copy to.")

    def handle(self, *args, **options):
        # The copy's requests are made in-process: one log line each would bury the summary.
        requests_log = logging.getLogger("gmg_portal.requests")
        level = requests_log.level
        requests_log.setLevel(max(level, logging.WARNING))
        try:
            built = build(options["output"])
        except BuildError as error:
            raise CommandError(str(error)) from error
        finally:
            requests_log.setLevel(level)
        self.stdout.write(built.summary())
        if built.portal_links:
            self.stdout.write(
                f"{len(built.portal_links)} link(s) into the portal point to {built.output.name}'s live site: "
                + ", ".join(sorted(built.portal_links)[:10])
            )
