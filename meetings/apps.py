from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings, agendas, minutes, decisions and action points."""

    name = "meetings"
    verbose_name = _("Meetings and decisions")
    # Its tables are the record: a change to one moves the record's version (kit.record_version).
    holds_the_record = True

    def ready(self) -> None:
        from meetings import receivers

        receivers.connect()
