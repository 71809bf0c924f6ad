from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeetingsConfig(AppConfig):
    """Meetings, agendas, minutes, decisions, action points, the calendar, deadlines and reminders."""

    name = "meetings"
    verbose_name = "Meetings and decisions"

    def ready(self) -> None:
        from . import (
            admin_reminders,  # noqa: F401  (the reminders' admin, next to admin.py)
            health,  # noqa: F401  (the reminders' check on /healthz)
            register,
        )

        register.connect()
        post_migrate.connect(register._after_migrate, sender=self, dispatch_uid="register-after-migrate")
