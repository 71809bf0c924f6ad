from django.apps import AppConfig


class RecordConfig(AppConfig):
    """The GMG's record as a whole: loading it from data/gmg/, synthetic data at scale, backups and restores."""

    name = "record"
    verbose_name = "The GMG record"
