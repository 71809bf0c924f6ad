"""The portal's own pages: the chair dashboard (the home page), the search across the record, the error pages.

The dashboard reads the rules where they live: the troika and the chair's duties in `chairs.services`, every
dated obligation in the register (`meetings.deadlines.obligations`), the groups' minimums and reviews in
`groups.services`. It can be seen as of any day (`?on=YYYY-MM-DD`): the GMG's record is historic (2009-2017),
and a chair looks back at a term as well as at today. It reads the record in a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from chairs.services import annual_report_due, letter_of_commitment_due, troika_on
from gmg_portal.search import MIN_QUERY_LENGTH, search_record
from groups import services as group_rules
from groups.models import Group, GroupCoChair
from meetings.deadlines import CHAIR_KINDS, State, obligations
from meetings.models import ActionPoint, Meeting
from workplans.models import Activity, ActivityUpdate, WorkPlan, WorkStream

# The dashboard's window of coming meetings and deadlines.
UPCOMING_DAYS = 60
# How many overdue activities the dashboard lists before it links to the full list.
OVERDUE_SHOWN = 12
LATEST_UPDATES_SHOWN = 10

STATUSES = list(Activity.Status)
CLOSED_STATUSES = {Activity.Status.COMPLETED, Activity.Status.CANCELLED}


def day_from(value: str | None, default: date) -> tuple[date, str]:
    """The day a page is seen as of, from a `?on=YYYY-MM-DD` parameter; with an error message when unreadable."""
    if not value:
        return default, ""
    try:
        return date.fromisoformat(value.strip()), ""
    except ValueError:
        shown = format_date(default, "j F Y")
        return default, f"“{value[:40]}” is not a date: write it as YYYY-MM-DD (e.g. 2015-06-15). Showing {shown}."


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
    return f"{reverse('dashboard_activities')}?{urlencode(params)}"


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


@dataclass
class GroupHealth:
    group: Group
    held: int
    minimum: int | None
    tor_version: str
    next_review: date | None
    meetings_url: str

    @property
    def short(self) -> bool:
        return self.minimum is not None and self.held < self.minimum


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
    rows = Activity.objects.filter(output__stream__in=streams).values_list("output__stream_id", "status", "ends_on")
    by_stream: dict[int, Progress] = {}
    for stream in streams:
        plan = plan_by_id[stream.workplan_id]
        label = f"{stream.position}. {stream.title}" if len(plans) == 1 else f"{plan.title}: {stream.title}"
        by_stream[stream.pk] = Progress(label=label, url=stream.get_absolute_url(), day=day, stream_id=stream.pk)
    groups_of_stream = {s.pk: s.lead_group or plan_by_id[s.workplan_id].group for s in streams}
    by_group: dict[int, Progress] = {}
    for stream_id, status, ends_on in rows:
        overdue = ends_on is not None and ends_on < day and status not in CLOSED_STATUSES
        progress = by_stream[stream_id]
        progress.counts[status] += 1
        progress.overdue += overdue
        group = groups_of_stream[stream_id]
        if group is None:
            continue
        if group.pk not in by_group:
            by_group[group.pk] = Progress(label=str(group), url=group.get_absolute_url(), day=day, group=group.slug)
        by_group[group.pk].counts[status] += 1
        by_group[group.pk].overdue += overdue
    return list(by_stream.values()), sorted(by_group.values(), key=lambda p: p.label)


def chart_data(progress: list[Progress]) -> dict:
    """The data island the dashboard's chart draws from (static/js/dashboard.js)."""
    return {
        "labels": [p.label for p in progress],
        "datasets": [
            {"status": s.value, "label": s.label, "data": [p.counts[s.value] for p in progress]} for s in STATUSES
        ],
    }


def groups_health(day: date) -> list[GroupHealth]:
    """Each group's meetings held this year (to the day) against its ToR's minimum, and its next review."""
    groups = list(
        Group.objects.filter(Q(established_on__isnull=True) | Q(established_on__lte=day))
        .exclude(status=Group.Status.CLOSED)
        .prefetch_related(
            Prefetch("co_chair_links", queryset=GroupCoChair.objects.select_related("agency").order_by("position")),
            "terms_of_reference",
        )
        .order_by("kind", "name")
    )
    held = dict(
        Meeting.objects.filter(
            group__in=groups, status=Meeting.Status.HELD, starts_on__year=day.year, starts_on__lte=day
        )
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    rows = []
    for group in groups:
        tor = group_rules.tor_in_force(group, day)
        query = urlencode({"group": group.slug, "year": day.year, "status": Meeting.Status.HELD})
        rows.append(
            GroupHealth(
                group=group,
                held=held.get(group.pk, 0),
                minimum=group_rules.minimum_meetings(group, day.year),
                tor_version=tor.version if tor else "",
                next_review=group_rules.next_review_due(group, day),
                meetings_url=f"{reverse('meetings:meeting_list')}?{query}",
            )
        )
    return rows


def dashboard_context(day: date) -> dict:
    troika = troika_on(day)
    term = troika.current
    term_obligations = []
    if term is not None:
        term_obligations = [
            o
            for o in obligations(
                first=letter_of_commitment_due(term), last=annual_report_due(term), today=day, kinds=CHAIR_KINDS
            )
            if o.chair_term is not None and o.chair_term.pk == term.pk
        ]
    plans = plans_in_force(day)
    by_stream, by_group = stream_progress(plans, day)
    overdue = (
        Activity.objects.overdue_on(day)
        .filter(output__stream__workplan__in=plans)
        .select_related("output__stream__workplan")
        .prefetch_related("lead_agencies")
        .order_by("ends_on", "pk")
    )
    overdue_list = list(overdue[:OVERDUE_SHOWN])
    overdue_count = overdue.count()
    overdue_points = list(
        ActionPoint.objects.open()
        .filter(due_on__lt=day)
        .select_related("meeting", "owner_agency", "owner")
        .order_by("due_on", "pk")
    )
    coming = obligations(first=day, last=day + timedelta(days=UPCOMING_DAYS), today=day)
    latest = list(
        ActivityUpdate.objects.filter(reported_on__lte=day)
        .select_related("activity", "agency", "author")
        .order_by("-reported_on", "-created_at")[:LATEST_UPDATES_SHOWN]
    )
    return {
        "day": day,
        "troika": troika,
        "term": term,
        "term_obligations": term_obligations,
        "plans": plans,
        "by_stream": by_stream,
        "by_group": by_group,
        "statuses": STATUSES,
        "chart": chart_data(by_stream),
        "overdue": overdue_list,
        "overdue_count": overdue_count,
        "overdue_all_url": activities_url(day=day, overdue=True),
        "overdue_points": overdue_points,
        "coming": coming,
        "coming_open": sum(1 for o in coming if o.state != State.DONE),
        "upcoming_days": UPCOMING_DAYS,
        "groups_health": groups_health(day),
        "latest_updates": latest,
    }


@login_required
def dashboard(request):
    """The chair's dashboard, for everyone signed in: where the work plan stands and what is due."""
    today = timezone.localdate()
    day, error = day_from(request.GET.get("on"), today)
    context = dashboard_context(day)
    context.update(today=today, on_error=error, on_value=request.GET.get("on", "") if error else day.isoformat())
    return render(request, "dashboard/dashboard.html", context, status=400 if error else 200)


home = dashboard


@login_required
def dashboard_activities(request):
    """The activities behind a dashboard number: of the plans running on the day, by stream or group and status."""
    today = timezone.localdate()
    day, error = day_from(request.GET.get("on"), today)
    errors = [error] if error else []
    activities = Activity.objects.filter(output__stream__workplan__in=plans_in_force(day))
    described = []
    stream = request.GET.get("stream", "")
    if stream:
        found = (
            WorkStream.objects.filter(pk=int(stream)).select_related("workplan").first() if stream.isdigit() else None
        )
        if found is None:
            errors.append(f"There is no work stream “{stream[:40]}”.")
        else:
            activities = activities.filter(output__stream=found)
            described.append(f"of the stream “{found.title}” ({found.workplan.title})")
    slug = request.GET.get("group", "")
    if slug:
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            errors.append(f"There is no group “{slug[:40]}”.")
        else:
            # As on the dashboard: a stream counts for the group that leads it, else for its plan's group.
            activities = activities.filter(
                Q(output__stream__lead_group=group)
                | Q(output__stream__lead_group__isnull=True, output__stream__workplan__group=group)
            )
            described.append(f"of {group}")
    status = request.GET.get("status", "")
    if status:
        if status not in Activity.Status.values:
            errors.append(f"“{status[:40]}” is not a status; the statuses are {', '.join(Activity.Status.labels)}.")
        else:
            activities = activities.filter(status=status)
            described.append(f"with the status {Activity.Status(status).label.lower()}")
    overdue = request.GET.get("overdue") == "yes"
    if overdue:
        activities = activities.overdue_on(day)
        described.append("overdue")
    rows = list(activities.select_related("output__stream__workplan").prefetch_related("lead_agencies").in_plan_order())
    return render(
        request,
        "dashboard/activities.html",
        {
            "day": day,
            "today": today,
            "activities": [] if errors else rows,
            "errors": errors,
            "described": ", ".join(described),
            "dashboard_url": f"{reverse('dashboard')}?on={day.isoformat()}",
        },
        status=400 if errors else 200,
    )


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    groups = search_record(query) if len(query) >= MIN_QUERY_LENGTH else []
    return render(
        request,
        "dashboard/search.html",
        {
            "search_query": query,
            "groups": groups,
            "too_short": bool(query) and len(query) < MIN_QUERY_LENGTH,
            "min_length": MIN_QUERY_LENGTH,
            "total": sum(len(g.results) for g in groups),
        },
    )
