"""Where the work plans in force stand: activities by status per stream and per group, and how many are overdue on a
day, with links to the dashboard's list of them and the data its chart draws. Read by the dashboard and by the
annual reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from workplans.models import Activity, WorkPlan, WorkStream

STATUSES = list(Activity.Status)


CLOSED_STATUSES = {Activity.Status.COMPLETED, Activity.Status.CANCELLED}


def activities_url(*, day: date, stream_id: int | None = None, group: str = "", status: str = "", overdue=False):
    """The list of activities behind a dashboard number (`dashboard_activities`), as of the dashboard's day."""
    params = {"on": day.isoformat()}
    if stream_id:
        params["stream"] = stream_id
    if group:
        params["group"] = group
    if status:
        params["status"] = status
    if overdue:
        params["overdue"] = "yes"
    return f"{_activities_path()}?{urlencode(params)}"


def _activities_path() -> str:
    # One reverse per process, not one per cell of the progress tables.
    global _ACTIVITIES_PATH
    if _ACTIVITIES_PATH is None:
        _ACTIVITIES_PATH = reverse("dashboard_activities")
    return _ACTIVITIES_PATH


_ACTIVITIES_PATH: str | None = None


@dataclass
class Progress:
    """Counts of activities by status for a stream or a group, and how many are overdue on the day."""

    label: str
    url: str
    day: date
    stream_id: int | None = None
    group: str = ""
    counts: Counter = field(default_factory=Counter)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, str, int, str]]:
        """(status, label, count, link) for each status, in the order of Activity.Status."""
        return [(s.value, s.label, self.counts[s.value], self.link(status=s.value)) for s in STATUSES]

    @property
    def overdue_url(self) -> str:
        return self.link(overdue=True)

    def link(self, **filters) -> str:
        return activities_url(day=self.day, stream_id=self.stream_id, group=self.group, **filters)


def plans_in_force(day: date) -> list[WorkPlan]:
    return list(
        WorkPlan.objects.filter(starts_on__lte=day, ends_on__gte=day)
        .select_related("group", "chair_term__agency")
        .order_by("kind", "starts_on", "title")
    )


def stream_progress(plans: list[WorkPlan], day: date) -> tuple[list[Progress], list[Progress]]:
    """Activities by status per work stream of the plans in force, and per group (streams it leads, its plans)."""
    streams = list(
        WorkStream.objects.filter(workplan__in=plans)
        .select_related("workplan", "lead_group")
        .order_by("workplan", "position")
    )
    plan_by_id = {plan.pk: plan for plan in plans}
    overdue = Q(ends_on__lt=day) & ~Q(status__in=CLOSED_STATUSES)
    rows = (
        Activity.objects.filter(output__stream__in=streams)
        .values("output__stream_id", "status")
        .annotate(n=Count("id"), late=Count("id", filter=overdue))
        .values_list("output__stream_id", "status", "n", "late")
        .order_by()
    )
    by_stream: dict[int, Progress] = {}
    for stream in streams:
        plan = plan_by_id[stream.workplan_id]
        label = f"{stream.position}. {stream.title}" if len(plans) == 1 else f"{plan.title}: {stream.title}"
        by_stream[stream.pk] = Progress(label=label, url=stream.get_absolute_url(), day=day, stream_id=stream.pk)
    groups_of_stream = {s.pk: s.lead_group or plan_by_id[s.workplan_id].group for s in streams}
    by_group: dict[int, Progress] = {}
    for stream_id, status, number, late in rows:
        progress = by_stream[stream_id]
        progress.counts[status] += number
        progress.overdue += late
        group = groups_of_stream[stream_id]
        if group is None:
            continue
        if group.pk not in by_group:
            by_group[group.pk] = Progress(label=str(group), url=group.get_absolute_url(), day=day, group=group.slug)
        by_group[group.pk].counts[status] += number
        by_group[group.pk].overdue += late
    return list(by_stream.values()), sorted(by_group.values(), key=lambda p: p.label)


def chart_data(progress: list[Progress]) -> dict:
    """The data island the dashboard's chart draws from (static/js/dashboard.js)."""
    return {
        "labels": [p.label for p in progress],
        "datasets": [
            {"status": s.value, "label": str(s.label), "data": [p.counts[s.value] for p in progress]} for s in STATUSES
        ],
    }
