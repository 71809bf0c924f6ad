from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    """Multi-annual, chair's annual and group work plans: streams, outputs, activities and their updates."""

    name = "workplans"
    verbose_name = "Work plans"

    def ready(self) -> None:
        from . import plan_order

        plan_order.connect()
