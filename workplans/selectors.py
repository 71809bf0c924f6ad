"""Reads of work plans and activities."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, DateField, Max, OuterRef, Prefetch, Subquery

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


# -- the work plan pages: the list, a plan's tree, an agency's activities, a reporting round ------------------------
# Each page reads in a fixed number of queries however large the plan (tests/workplans pin the counts).


def with_latest_update(activities):
    """Annotate each activity with its latest update that was not returned: day, status and review."""
    latest = (
        ActivityUpdate.objects.filter(activity=OuterRef("pk"))
        .exclude(review=ActivityUpdate.Review.RETURNED)
        .order_by("-reported_on", "-created_at", "-pk")
    )
    return activities.annotate(
        latest_update_on=Subquery(latest.values("reported_on")[:1], output_field=DateField()),
        latest_update_status=Subquery(latest.values("status")[:1]),
        latest_update_review=Subquery(latest.values("review")[:1]),
    )


def _agencies_by_acronym():
    return Agency.objects.order_by("acronym")


def activities_for_tables(activities=None):
    """Activities with what an activities table shows: agencies, output, stream and plan, latest update."""
    activities = Activity.objects.all() if activities is None else activities
    return with_latest_update(
        activities.select_related("output__stream__workplan").prefetch_related(
            Prefetch("lead_agencies", queryset=_agencies_by_acronym()),
            Prefetch("partners", queryset=_agencies_by_acronym()),
        )
    )


def workplan_list():
    """Every work plan with its number of streams and activities, newest first."""
    from workplans.models import WorkPlan

    return WorkPlan.objects.select_related("group", "chair_term__agency").annotate(
        stream_count=Count("streams", distinct=True),
        activity_count=Count("streams__outputs__activities", distinct=True),
    )


def workplan_for_page(slug: str):
    """A plan with its streams -> outputs -> activities (with agencies and latest update) prefetched."""
    from workplans.models import Output, WorkPlan, WorkStream

    activities = activities_for_tables(Activity.objects.order_by("position"))
    outputs = Output.objects.order_by("year", "position").prefetch_related(Prefetch("activities", queryset=activities))
    streams = (
        WorkStream.objects.select_related("lead_group")
        .order_by("position")
        .prefetch_related(Prefetch("outputs", queryset=outputs))
    )
    return (
        WorkPlan.objects.select_related("group", "chair_term__agency", "adopting_decision__meeting")
        .annotate(version_count=Count("versions"))
        .prefetch_related(Prefetch("streams", queryset=streams))
        .get(slug=slug)
    )


def output_for_partial(pk: int):
    """One output with its activities, as the plan page shows it (for the htmx partial)."""
    from workplans.models import Output

    activities = activities_for_tables(Activity.objects.order_by("position"))
    return (
        Output.objects.select_related("stream__workplan", "stream__lead_group")
        .prefetch_related(Prefetch("activities", queryset=activities))
        .get(pk=pk)
    )


def stream_for_partial(pk: int):
    from workplans.models import Output, WorkStream

    activities = activities_for_tables(Activity.objects.order_by("position"))
    outputs = Output.objects.order_by("year", "position").prefetch_related(Prefetch("activities", queryset=activities))
    return (
        WorkStream.objects.select_related("workplan", "lead_group")
        .prefetch_related(Prefetch("outputs", queryset=outputs))
        .get(pk=pk)
    )


def streams_editable_by(person, plan) -> set[int]:
    """The ids of the plan's streams a person may edit, in at most one query (access.can_edit_stream's rule)."""
    from gmg_portal import access
    from groups.models import GroupCoChair, Person

    stream_ids = [stream.pk for stream in plan.streams.all()]
    if access.can_edit_workplan(person, plan):
        return set(stream_ids)
    if not (person.is_authenticated and person.is_active and person.role == Person.Role.FOCAL_POINT):
        return set()
    groups = set(GroupCoChair.objects.filter(agency_id=person.agency_id).values_list("group_id", flat=True))
    return {stream.pk for stream in plan.streams.all() if stream.lead_group_id in groups}


def activity_for_page(pk: int):
    """An activity with its plan, agencies and updates (with their attachments) for the activity page."""
    updates = ActivityUpdate.objects.select_related("agency", "author", "reviewed_by").prefetch_related("attachments")
    return (
        Activity.objects.select_related("output__stream__workplan", "output__stream__lead_group")
        .prefetch_related(
            Prefetch("lead_agencies", queryset=_agencies_by_acronym()),
            Prefetch("partners", queryset=_agencies_by_acronym()),
            Prefetch("updates", queryset=updates),
        )
        .get(pk=pk)
    )


def activity_history(activity) -> list[dict]:
    """Who changed what on an activity, newest first: each saved change with its fields before and after."""
    records = list(
        activity.history.select_related("history_user")
        .prefetch_related("historicalactivity_lead_agencies_set", "historicalactivity_partners_set")
        .order_by("-history_id")
    )
    acronyms = dict(Agency.objects.values_list("pk", "acronym"))
    rows = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            for name in (
                "number",
                "description",
                "timeframe",
                "starts_on",
                "ends_on",
                "lead",
                "funding_source",
                "estimated_cost",
                "currency",
                "cost_as_written",
                "status",
                "note",
            ):
                before, after = getattr(previous, name), getattr(record, name)
                if before != after:
                    changes.append((name.replace("_", " "), before, after))
            for name in ("lead_agencies", "partners"):
                related = f"historicalactivity_{name}_set"
                before = sorted(acronyms.get(row.agency_id, "?") for row in getattr(previous, related).all())
                after = sorted(acronyms.get(row.agency_id, "?") for row in getattr(record, related).all())
                if before != after:
                    changes.append((name.replace("_", " "), ", ".join(before), ", ".join(after)))
        user = record.history_user
        rows.append(
            {
                "when": record.history_date,
                "who": (user.get_full_name() or user.username) if user else "",
                "kind": {"+": "created", "~": "changed", "-": "removed"}.get(record.history_type, ""),
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return rows


def reporting_round_overview(round) -> list[dict]:
    """Each activity in a round's scope with, per lead agency, whether it has reported (in a fixed query count)."""
    from workplans.services import reporting_round_activities, reporting_round_reports

    activities = list(activities_for_tables(reporting_round_activities(round)).in_plan_order())
    reports: dict[tuple[int, int], ActivityUpdate] = {}
    for update in (
        reporting_round_reports(round, [a.pk for a in activities])
        .select_related("agency", "activity", "author")
        .prefetch_related("attachments")
        .order_by("reported_on", "pk")
    ):
        reports[(update.activity_id, update.agency_id)] = update
    rows = []
    for activity in activities:
        leads = [(agency, reports.get((activity.pk, agency.pk))) for agency in activity.lead_agencies.all()]
        rows.append({"activity": activity, "leads": leads})
    return rows
