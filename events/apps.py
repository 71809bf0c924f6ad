from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events outside the GMG that it takes part in, and the agencies' inputs the support team asks for them."""

    name = "events"
    verbose_name = _("External events and input requests")
    # Its tables are the record: a change to one moves the record\'s version (kit.record_version).
    holds_the_record = True
