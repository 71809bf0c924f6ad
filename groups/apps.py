from django.apps import AppConfig


class GroupsConfig(AppConfig):
    """Agencies, the people who work for them, and the GMG's working groups and task forces."""

    name = "groups"
    verbose_name = "Agencies and groups"
