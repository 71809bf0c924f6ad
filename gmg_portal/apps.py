from django.apps import AppConfig


class GmgPortalConfig(AppConfig):
    """The project itself as an app: site-wide commands (load_gmg_data) and templates."""

    name = "gmg_portal"
    verbose_name = "GMG Portal"
