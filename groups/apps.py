from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    """Agencies, the people who work for them, and the GMG's working groups and task forces."""

    name = "groups"
    verbose_name = _("Agencies and groups")
    # Its tables are the record: a change to one moves the record\'s version (kit.record_version).
    holds_the_record = True
    # A person's last sign-in is written at every sign-in and shown on no page kept under the record's version.
    not_the_record_columns = {"Person": ("last_login",)}
