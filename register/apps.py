from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    """The register of dated obligations: the rules that find them in the record (`deadlines`), their stored copy
    (`stored`), kept current by the domain apps' own signals, and the register's pages."""

    name = "register"
    verbose_name = _("Register of dated obligations")
    # Its rows follow from the record, and move the record's version with it (kit.record_version).
    holds_the_record = True

    def ready(self) -> None:
        from register import stored

        stored.connect()
        post_migrate.connect(stored._after_migrate, sender=self, dispatch_uid="register-after-migrate")
