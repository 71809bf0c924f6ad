from django.apps import AppConfig


class ChairsConfig(AppConfig):
    """Chair terms, the rotation, the troika and the chair's obligations."""

    name = "chairs"
    verbose_name = "Chairs"
