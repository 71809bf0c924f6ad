from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GmgPortalConfig(AppConfig):
    """The project itself as an app: site-wide commands (load_gmg_data), templates and the security log."""

    name = "gmg_portal"
    verbose_name = "GMG Portal"

    def ready(self):
        from gmg_portal import audit, security  # noqa: F401 - connects the sign-in receivers

        audit.connect_task_actor()
        from gmg_portal import record_version

        # After every migrate (the test database's too): each record table, a new one included, moves the version.
        post_migrate.connect(record_version.after_migrate, sender=self, dispatch_uid="record-version-triggers")
