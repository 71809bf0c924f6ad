from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The pages that read the whole record: home, the dashboard, search, the audit trail, the support team."""

    name = "overview"
    verbose_name = _("Overview")
