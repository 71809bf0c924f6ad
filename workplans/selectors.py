"""Reads of work plans and activities."""

from __future__ import annotations

from datetime import date

from django.db.models import DateField, Max, OuterRef, Prefetch, Subquery

from groups.models import Agency
from workplans.models import Activity, ActivityUpdate

# -- activities with an end date (the deadline register's activity_end obligations) --------------------------


def activities_with_end_dates(*, first: date | None = None, last: date | None = None):
    """Activities with an end date in [first, last] (either bound may be open), cancelled ones left out.

    Each carries `completed_on`: the latest day an update reported it completed (None if none did), and its
    lead agencies prefetched in rotation order (the first one is the responsible agency).
    """
    completed_on = (
        ActivityUpdate.objects.filter(activity=OuterRef("pk"), status=Activity.Status.COMPLETED)
        .values("activity")
        .annotate(day=Max("reported_on"))
        .values("day")
    )
    activities = (
        Activity.objects.filter(ends_on__isnull=False)
        .exclude(status=Activity.Status.CANCELLED)
        .annotate(completed_on=Subquery(completed_on, output_field=DateField()))
        .prefetch_related(Prefetch("lead_agencies", queryset=Agency.objects.order_by("sort_name", "acronym")))
        .order_by("ends_on", "pk")
    )
    if first is not None:
        activities = activities.filter(ends_on__gte=first)
    if last is not None:
        activities = activities.filter(ends_on__lte=last)
    return activities


def overdue_activities(*, on: date, agency: Agency | None = None):
    """Activities past their end date on a day and neither completed nor cancelled, oldest first.

    With an agency: those it leads or takes part in.
    """
    activities = Activity.objects.overdue_on(on)
    if agency is not None:
        activities = activities.involving(agency)
    return activities.prefetch_related("lead_agencies").order_by("ends_on", "pk")
