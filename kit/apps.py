from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KitConfig(AppConfig):
    """The kit every app builds on: the one form flow, inputs, pagination, the record's version, the history's
    actor, documents, mail and logs. It imports no app of the portal."""

    name = "kit"
    verbose_name = _("Portal kit")

    def ready(self):
        from kit import audit, record_version

        audit.connect_task_actor()
        # After every migrate (the test database's too): each record table, a new one included, moves the version.
        post_migrate.connect(record_version.after_migrate, sender=self, dispatch_uid="record-version-triggers")
