from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, minutes, decisions, action points, the calendar, deadlines and reminders."""

    name = "meetings"
    verbose_name = "Meetings and decisions"

    def ready(self) -> None:
        from . import admin_reminders  # noqa: F401  (the reminders' admin, next to admin.py)
