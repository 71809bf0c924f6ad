from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    """Multi-annual, chair's annual and group work plans: streams, outputs, activities and their updates."""

    name = "workplans"
    verbose_name = _("Work plans")
    # Its tables are the record: a change to one moves the record\'s version (kit.record_version).
    holds_the_record = True
    # Each plan is a share of the record of its own: a change to a row of a plan (its streams, outputs,
    # activities, updates, rounds...) moves that plan's part ("workplan:12") and not the others'.
    record_owner = "WorkPlan"

    def ready(self) -> None:
        from workplans import plan_order, receivers

        plan_order.connect()
        receivers.connect()
