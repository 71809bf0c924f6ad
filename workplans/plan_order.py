"""The activities' stored plan order (`Activity.plan_order`): the lists read a page of activities in plan order
from one index, instead of joining every matching activity to its output, stream and plan and sorting them all.

The key is digits only, of fixed width, so any collation sorts it as the plan reads: the plan's start day
(YYYYMMDD) and id, the stream's position, the output's year (99999 when it has none: such outputs come last, as
PostgreSQL sorts an empty year), the output's position and the activity's. It is derived from those fields and
kept current as `register.stored` is: the services that write them with `update()` call `refresh()`, and
Django's signals refresh it after every other save of a plan, stream, output or activity (the admin, the
loaders, the factories). Rows inserted in bulk are given their key by their maker (`record.scale_data`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, ExtractDay, ExtractMonth, ExtractYear, LPad

NO_YEAR = 99999
# What each kind of row contributes to its activities' key: a save naming none of these leaves the key as it is.
KEY_FIELDS = {
    "WorkPlan": {"starts_on"},
    "WorkStream": {"workplan", "workplan_id", "position"},
    "Output": {"stream", "stream_id", "year", "position"},
    "Activity": {"output", "output_id", "position"},
}


def _digits(expression, width: int):
    return LPad(Cast(Cast(expression, models.IntegerField()), models.CharField()), width, Value("0"))


def key(output_model=None):
    """The key of each activity as an expression for `update(plan_order=...)` (the output's part is a subquery:
    an update may not join). `output_model`: the historical model when a migration fills the key."""
    if output_model is None:
        from workplans.models import Output as output_model
    output_part = (
        output_model.objects.filter(pk=OuterRef("output_id"))
        .annotate(
            part=Concat(
                _digits(ExtractYear("stream__workplan__starts_on"), 4),
                _digits(ExtractMonth("stream__workplan__starts_on"), 2),
                _digits(ExtractDay("stream__workplan__starts_on"), 2),
                _digits(F("stream__workplan_id"), 12),
                _digits(F("stream__position"), 5),
                _digits(Coalesce(F("year"), Value(NO_YEAR)), 5),
                _digits(F("position"), 5),
                output_field=models.CharField(),
            )
        )
        .values("part")
    )
    return Concat(
        Subquery(output_part, output_field=models.CharField()),
        _digits(F("position"), 5),
        output_field=models.CharField(),
    )


def key_of(*, starts_on, plan_id: int, stream_position: int, year: int | None, output_position: int, position: int):
    """The key `key()` computes, for activities made in bulk with their key (no update after their insert)."""
    day = f"{starts_on.year:04d}{starts_on.month:02d}{starts_on.day:02d}"
    output = f"{stream_position:05d}{NO_YEAR if year is None else year:05d}{output_position:05d}"
    return f"{day}{plan_id:012d}{output}{position:05d}"


def refresh(activities) -> int:
    """Write the key of these activities (a queryset of them) in one statement, only where it changed (a plan
    saved with its start unchanged rewrites none of its activities); returns how many were written."""
    return activities.exclude(plan_order=key()).update(plan_order=key())


def refresh_for(obj: models.Model) -> int:
    """Refresh the activities under a plan, stream, output, or the activity itself."""
    from workplans.models import Activity, Output, WorkPlan, WorkStream

    scope = {
        WorkPlan: "output__stream__workplan_id",
        WorkStream: "output__stream_id",
        Output: "output_id",
        Activity: "pk",
    }[type(obj)]
    return refresh(Activity.objects.filter(**{scope: obj.pk}))


def _on_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    if raw or (created and sender.__name__ != "Activity"):
        return  # a new plan, stream or output has no activities yet; a fixture's row may lack its parents
    if update_fields is not None and not KEY_FIELDS[sender.__name__] & set(update_fields):
        return
    refresh_for(instance)


def connect() -> None:
    """Keep the key current on every save of its sources (called from the app's `ready`)."""
    from django.db.models.signals import post_save

    from workplans.models import Activity, Output, WorkPlan, WorkStream

    for model in (WorkPlan, WorkStream, Output, Activity):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"plan-order-save-{model._meta.label}")
