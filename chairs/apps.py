from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChairsConfig(AppConfig):
    """Chair terms, the rotation, the troika and the chair's obligations."""

    name = "chairs"
    verbose_name = _("Chairs")
    # Its tables are the record: a change to one moves the record\'s version (kit.record_version).
    holds_the_record = True
