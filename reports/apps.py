from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual reports drafted from the record, and where the work plans in force stand."""

    name = "reports"
    verbose_name = _("Annual reports")
