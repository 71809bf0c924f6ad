from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordConfig(AppConfig):
    """The GMG's record as a whole: loading it from data/gmg/, synthetic data at scale, backups and restores."""

    name = "record"
    verbose_name = _("The GMG record")
