from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders of the register's obligations, news of changes (meetings moved, updates reviewed), in-app
    notices, calendar feeds and their delivery by mail."""

    name = "reminders"
    verbose_name = _("Reminders and notices")
    # When reminders go out is part of the record (kit.record_version); the logs and a person's notices and
    # feed change all day and no kept page shows them.
    holds_the_record = True
    not_the_record = {"Reminder", "Digest", "Notice", "CalendarToken"}

    def ready(self) -> None:
        from reminders import health, news  # noqa: F401 - health: the reminders' check on /healthz

        news.connect()
