from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, minutes, decisions, action points, the calendar, deadlines and reminders."""

    name = "meetings"
    verbose_name = "Meetings and decisions"
