from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The annual reports drafted from the record, and where the work plans in force stand."""

    name = "reports"
    verbose_name = "Annual reports"
