from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, minutes, decisions, action points, the calendar, deadlines and reminders."""

    name = "meetings"
    verbose_name = "Meetings and decisions"
    # Its tables are the record (kit.record_version), but for the reminders' logs and a person's notices and feed.
    holds_the_record = True
    not_the_record = {"Reminder", "Digest", "Notice", "CalendarToken"}

    def ready(self) -> None:
        from . import (
            admin_reminders,  # noqa: F401  (the reminders' admin, next to admin.py)
            health,  # noqa: F401  (the reminders' check on /healthz)
        )
