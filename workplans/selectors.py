"""Reads of work plans and activities."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, DateField, F, Max, OuterRef, Prefetch, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from groups.models import Agency
from kit.audit import record_history
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
        activities.select_related("output__stream__workplan")
        .defer("search_vector", "output__search_vector")
        .prefetch_related(
            Prefetch("lead_agencies", queryset=_agencies_by_acronym()),
            Prefetch("partners", queryset=_agencies_by_acronym()),
        )
    )


def activities_for_api():
    """Activities in plan order with what the API shows of them: their own fields and their agencies' acronyms
    (not the output, stream and plan, nor the latest update, that the pages' tables show)."""
    acronyms = Agency.objects.order_by("acronym").only("acronym")
    return (
        Activity.objects.in_plan_order()
        .defer("search_vector")
        .prefetch_related(Prefetch("lead_agencies", queryset=acronyms), Prefetch("partners", queryset=acronyms))
    )


def workplan_list():
    """Every work plan with its number of streams and activities, newest first."""
    from kit.pagination import count_of
    from workplans.models import WorkPlan, WorkStream

    return (
        WorkPlan.objects.select_related("group", "chair_term__agency")
        .defer("summary", "note", "source")
        .annotate(
            stream_count=count_of(WorkStream.objects.all(), "workplan"),
            activity_count=count_of(Activity.objects.all(), "output__stream__workplan"),
        )
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


def workplan_outline(slug: str):
    """A plan with its streams and each stream's number of activities, without their outputs (the big plan page)."""
    from workplans.models import WorkPlan, WorkStream

    streams = (
        WorkStream.objects.select_related("lead_group")
        .annotate(activity_count=Count("outputs__activities"))
        .order_by("position")
    )
    return (
        WorkPlan.objects.select_related("group", "chair_term__agency", "adopting_decision__meeting")
        .annotate(version_count=Count("versions"))
        .prefetch_related(Prefetch("streams", queryset=streams))
        .get(slug=slug)
    )


def open_streams(streams) -> None:
    """Read the outputs and activities of the given streams (of one plan), as workplan_for_page does, in 4 queries."""
    from django.db.models import prefetch_related_objects

    from workplans.models import Output

    activities = activities_for_tables(Activity.objects.order_by("position"))
    outputs = Output.objects.order_by("year", "position").prefetch_related(Prefetch("activities", queryset=activities))
    prefetch_related_objects(list(streams), Prefetch("outputs", queryset=outputs))


# A plan with more activities opens stream by stream (the MAWP 2013-2015 has 115: it shows whole).
PLAN_SHOWN_WHOLE_UP_TO = 150


def workplan_page(slug: str, *, whole: bool, stream: str) -> dict:
    """A plan as its page opens it: whole when asked (`whole`) or when it has at most PLAN_SHOWN_WHOLE_UP_TO
    activities, else stream by stream, the stream asked for (`stream`, its id as typed) read in full and the others
    left closed (`stream.closed`). In a fixed number of queries whatever the plan's size.

    Gives the plan, its number of activities, whether it is shown whole and whether it is a big plan.
    Raises WorkPlan.DoesNotExist.
    """
    plan = workplan_outline(slug)
    streams = list(plan.streams.all())
    activity_count = sum(each.activity_count for each in streams)
    shown_whole = whole or activity_count <= PLAN_SHOWN_WHOLE_UP_TO
    opened = [each for each in streams if shown_whole or str(each.pk) == stream]
    for each in streams:
        each.closed = each not in opened
    if opened:
        open_streams(opened)
    return {
        "plan": plan,
        "activity_count": activity_count,
        "shown_whole": shown_whole,
        "big_plan": activity_count > PLAN_SHOWN_WHOLE_UP_TO,
    }


def workplan_history(plan) -> list:
    """The History panel of a plan's page: the changes of the plan, its streams and their outputs."""
    from workplans.models import Output, WorkStream

    return record_history(
        plan.history.all(),
        WorkStream.history.filter(workplan_id=plan.pk),
        Output.history.filter(stream_id__in=WorkStream.history.filter(workplan_id=plan.pk).values("id")),
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
    """The ids of the plan's streams a person may edit, in at most one query (can_edit_stream's rule)."""
    from workplans.access import can_edit_workplan

    stream_ids = [stream.pk for stream in plan.streams.all()]
    if can_edit_workplan(person, plan):
        return set(stream_ids)
    groups = set(co_chaired_groups(person))
    return {stream.pk for stream in plan.streams.all() if stream.lead_group_id in groups}


def co_chaired_groups(person) -> tuple[int, ...]:
    """The ids of the groups a focal point's agency co-chairs (whose streams they edit), in order; none for anyone
    else. One query for a focal point."""
    from groups.models import GroupCoChair, Person

    if not (person.is_authenticated and person.is_active and person.role == Person.Role.FOCAL_POINT):
        return ()
    co_chaired = GroupCoChair.objects.filter(agency_id=person.agency_id).order_by("group_id")
    return tuple(co_chaired.values_list("group_id", flat=True))


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


def activity_history(activity) -> list:
    """The History panel of an activity's page: the changes of the activity and of its progress updates."""
    return record_history(activity.history.all(), ActivityUpdate.history.filter(activity_id=activity.pk))


def reporting_round_overview(round) -> tuple[list[dict], int]:
    """Each activity in a round's scope, in plan order, with each of its lead agencies and that agency's latest
    answer in the round (None: not reported); and how many answers wait for review (the queue's length, counted
    from the answers read here). In three queries whatever the round's size.

    As plain values, the round's page shows them (no model instances): an activity is its id, number,
    description, timeframe, plan and stream titles and address; an agency its id, acronym and sort name; an
    answer its day and review.
    """
    from kit.pagination import url_for_each
    from workplans.services import reporting_round_activities, reporting_round_reports

    activity_url = url_for_each("workplans:activity_detail")
    activities = list(
        reporting_round_activities(round)
        .in_plan_order()
        .values(
            "pk",
            "number",
            "description",
            "timeframe",
            stream_title=F("output__stream__title"),
            plan_title=F("output__stream__workplan__title"),
        )
    )
    pks = [activity["pk"] for activity in activities]
    agencies: dict[int, dict] = {}
    leads: dict[int, list[dict]] = {}
    for activity_id, agency_id, acronym, sort_name in (
        Activity.lead_agencies.through.objects.filter(activity_id__in=pks)
        .order_by("agency__acronym")
        .values_list("activity_id", "agency_id", "agency__acronym", "agency__sort_name")
    ):
        agency = agencies.setdefault(agency_id, {"pk": agency_id, "acronym": acronym, "sort_name": sort_name})
        leads.setdefault(activity_id, []).append(agency)
    reviews = dict(ActivityUpdate.Review.choices)
    reports: dict[tuple[int, int], dict] = {}
    waiting = 0
    # Only whether and when each lead agency answered, and the review (the queue shows the updates whole).
    for activity_id, agency_id, reported_on, review in (
        reporting_round_reports(round, pks)
        .order_by("reported_on", "pk")
        .values_list("activity_id", "agency_id", "reported_on", "review")
    ):
        reports[(activity_id, agency_id)] = {"reported_on": reported_on, "review_label": reviews.get(review, review)}
        waiting += review == ActivityUpdate.Review.SUBMITTED
    rows = []
    for activity in activities:
        activity["url"] = activity_url(activity["pk"])
        answers = [(agency, reports.get((activity["pk"], agency["pk"]))) for agency in leads.get(activity["pk"], ())]
        rows.append({"activity": activity, "leads": answers})
    return rows, waiting


def reporting_round_missing_agencies(rows: list[dict]) -> list[dict]:
    """From a round's overview (`reporting_round_overview`'s rows): each lead agency that has not answered, with
    the activities it has not answered on and its page's address; agencies in rotation order."""
    from django.urls import reverse

    missing: dict[int, dict] = {}
    for row in rows:
        for agency, update in row["leads"]:
            if update is None:
                missing.setdefault(agency["pk"], {"agency": agency, "activities": []})["activities"].append(
                    row["activity"]
                )
    for entry in missing.values():
        entry["url"] = reverse("groups:agency_detail", args=[entry["agency"]["acronym"]])
    return sorted(missing.values(), key=lambda m: (m["agency"]["sort_name"], m["agency"]["acronym"]))


def agencies_reported_for(person, activity):
    """Whom a person files progress updates for: None for a focal point (always its own agency, never chosen);
    for support staff, one of the activity's lead agencies or partners (any agency when it names none)."""
    from groups.access import is_support

    if not is_support(person):
        return None
    agencies = Agency.objects.filter(
        pk__in=[a.pk for a in activity.lead_agencies.all()] + [a.pk for a in activity.partners.all()]
    )
    return (agencies or Agency.objects.all()).order_by("acronym")


def reporting_round_to_review(round, activity_ids):
    """Every update of a round's activities that answers it and waits for review, any agency, oldest first (a
    queryset: the page reads one page of it).

    Not one per agency and activity: an agency that files twice in a round has two updates to review.
    """
    from workplans.services import reporting_round_reports

    return (
        reporting_round_reports(round, activity_ids)
        .filter(review=ActivityUpdate.Review.SUBMITTED)
        .select_related("agency", "activity", "author")
        # What the queue shows of each (workplans/_update.html), not the activities' and people's every column.
        .only(
            *("activity_id", "agency_id", "author_id", "reported_on", "status", "narrative", "review"),
            *("review_comment", "created_at", "agency__acronym", "activity__number", "activity__description"),
            *("author__first_name", "author__last_name", "author__username"),
        )
        .prefetch_related("attachments")
        .order_by("reported_on", "created_at", "pk")
    )


# -- reporting rounds where focal points work: the update form and "My agency's activities" ------------------------


def involving_count(agency: Agency) -> int:
    """How many activities the agency leads or takes part in (`Activity.objects.involving(agency).count()`),
    counted from its links alone: those it leads, and those it takes part in without leading them. In one query
    that reads the agency's links, not every activity (2 ms rather than 7 ms at 100x)."""
    from django.db.models import Exists, Value
    from django.db.models.functions import Coalesce

    # The agency's id written out, not the outer row's: the planner then knows how many links it has.
    leads = Activity.lead_agencies.through.objects.filter(agency_id=agency.pk)
    also_led = leads.filter(activity_id=OuterRef("activity_id"))
    partners = Activity.partners.through.objects.filter(agency_id=agency.pk).exclude(Exists(also_led))

    def counted(links):
        return Coalesce(Subquery(links.values("agency_id").annotate(n=Count("pk")).values("n")), Value(0))

    return (
        Agency.objects.filter(pk=agency.pk)
        .annotate(n=counted(leads) + counted(partners))
        .values_list("n", flat=True)
        .get()
    )


def agency_activity_rows(pks: list[int], *, agency: Agency, day: date) -> list[dict]:
    """The rows of "My agency's activities" for these activities, in this order, as plain values: its plan and
    stream, output year, number, description, timeframe and end, status, whether the agency leads it and who
    does, whether it is overdue on `day`, its latest update and its review; in one query (a page shows 50 rows,
    "show all" ten thousand at 100x: no model instance, no join of agencies). A database that cannot order an
    aggregate (SQLite before 3.44) reads the lead agencies in a second query.
    """
    from django.db import connection
    from django.db.models import Exists, StringAgg

    from kit.pagination import url_for_each

    ordered_aggregates = connection.features.supports_aggregate_order_by_clause

    # The agency's own list shows its latest update whatever its review, a returned one too: the focal point
    # reads there that it came back for changes (the plan's tables count only what was not returned).
    latest = ActivityUpdate.objects.filter(activity=OuterRef("pk")).order_by("-reported_on", "-created_at", "-pk")
    links = Activity.lead_agencies.through.objects.filter(activity_id=OuterRef("pk"))
    leads = (
        links.order_by()
        .values("activity_id")
        .annotate(acronyms=StringAgg("agency__acronym", Value(", "), order_by="agency__acronym"))
        .values("acronyms")
    )
    found = {
        row["pk"]: row
        for row in Activity.objects.filter(pk__in=pks)
        .order_by()
        .annotate(
            latest_update_on=Subquery(latest.values("reported_on")[:1], output_field=DateField()),
            latest_update_review=Subquery(latest.values("review")[:1]),
            leads=Coalesce(Subquery(leads), Value(""), output_field=TextField()) if ordered_aggregates else Value(""),
            led=Exists(links.filter(agency_id=agency.pk)),
        )
        .values(
            "pk",
            "number",
            "description",
            "timeframe",
            "ends_on",
            "status",
            "latest_update_on",
            "latest_update_review",
            "leads",
            "led",
            year=F("output__year"),
            stream_title=F("output__stream__title"),
            plan_title=F("output__stream__workplan__title"),
        )
    }
    if not ordered_aggregates:
        acronyms: dict[int, list[str]] = {}
        for activity_id, acronym in (
            Activity.lead_agencies.through.objects.filter(activity_id__in=list(found))
            .order_by("agency__acronym")
            .values_list("activity_id", "agency__acronym")
        ):
            acronyms.setdefault(activity_id, []).append(acronym)
        for pk, row in found.items():
            row["leads"] = ", ".join(acronyms.get(pk, ()))
    activity_url, report_url = url_for_each("workplans:activity_detail"), url_for_each("workplans:activity_report")
    statuses = dict(Activity.Status.choices)
    rows = []
    for pk in pks:
        row = found.get(pk)
        if row is None:
            continue  # removed since its id was read
        row.update(
            url=activity_url(pk),
            report_url=report_url(pk),
            status_label=statuses.get(row["status"], row["status"]),
            overdue=Activity.overdue(row["ends_on"], row["status"], day),
        )
        rows.append(row)
    return rows


def reporting_rounds_open_on(day: date, activity=None) -> list:
    """The rounds open on a day: their period has begun and their due date has not passed; soonest due first.

    With an activity: only the rounds that ask about it (`reporting_round_scope`).
    """
    from workplans.models import ReportingRound
    from workplans.services import reporting_round_scope

    rounds = list(
        ReportingRound.objects.filter(period_starts_on__lte=day, due_on__gte=day)
        .select_related("workplan")
        .order_by("due_on", "pk")
    )
    if activity is None or not rounds:
        return rounds
    asked = set()
    for round in rounds:
        if Activity.objects.filter(reporting_round_scope(round), pk=activity.pk).exists():
            asked.add(round.pk)
    return [round for round in rounds if round.pk in asked]


def activities_due_in_rounds(activities, *, agency: Agency, rounds, unreported: bool = False):
    """Of `activities`, those `agency` leads in the scope of one of the rounds; with `unreported`, only those it
    has not yet answered in that round (the rule of `reporting_round_missing`: lead agencies report)."""
    from django.db.models import Exists, Q

    from workplans.services import reporting_period_answer, reporting_period_scope

    # One condition on each activity, not a subquery per round: with a dozen rounds open, as many reads of every
    # activity and of the agency's updates took a second at 100x. Rounds over the same period (one per plan) are
    # asked about together. The cheap date and plan tests come first; the agency's lead and answer are looked up
    # by index for the activities that pass them.
    periods: dict[tuple[date, date], set[int] | None] = {}
    for round in rounds:
        key = (round.period_starts_on, round.period_ends_on)
        plans = periods.setdefault(key, set())
        if plans is not None:
            periods[key] = None if round.workplan_id is None else plans | {round.workplan_id}
    leads = Activity.lead_agencies.through.objects.filter(activity_id=OuterRef("pk"), agency_id=agency.pk)
    due = Q(pk__in=[])
    for (starts_on, ends_on), plans in periods.items():
        in_period = reporting_period_scope(starts_on, ends_on, plans=None if plans is None else sorted(plans))
        in_period &= Q(Exists(leads))
        if unreported:
            answer = ActivityUpdate.objects.filter(
                reporting_period_answer(starts_on), agency=agency, activity=OuterRef("pk")
            )
            in_period &= ~Q(Exists(answer))
        due |= in_period
    return activities.filter(due)


# -- a plan's versions compared -----------------------------------------------------------------------------------


def _version_choice(plan, value: str | None):
    """A version of the plan by id, or the plan as it stands ("current"); None when the choice is not valid."""
    from workplans.services import workplan_snapshot

    if value == "current":
        return {"label": _("The plan as it stands"), "snapshot": workplan_snapshot(plan)}
    if value and value.isdigit():
        version = plan.versions.filter(pk=int(value)).first()
        if version is not None:
            return {"label": version.label, "snapshot": version.snapshot, "version": version}
    return None


def version_comparison(plan, before: str | None, after: str | None) -> dict:
    """Two versions of a plan (`before` and `after`: a version's id, or "current" for the plan as it stands) and
    what changed between them; `error` says in words why they cannot be compared (then `comparison` is None).

    A version recorded from the documents without the plan's contents cannot be compared.
    """
    from workplans.services import versions_compare

    first, second = _version_choice(plan, before), _version_choice(plan, after)
    error = ""
    comparison = None
    if first is None or second is None:
        error = _("Choose two versions of this plan to compare (or the plan as it stands).")
    else:
        empty = [v["label"] for v in (first, second) if not v["snapshot"].get("activities") and "version" in v]
        if empty:
            error = _(
                "“%(version)s” was recorded from the documents without the plan's contents, so it cannot be "
                "compared; compare versions published in the portal."
            ) % {"version": empty[0]}
        else:
            comparison = versions_compare(first["snapshot"], second["snapshot"])
    return {"before": first, "after": second, "comparison": comparison, "error": error}
