"""The portal's own pages: the chair dashboard (the home page), the search across the record, the error pages.

The dashboard reads the rules where they live: the troika and the chair's duties in `chairs.services`, every
dated obligation in the register (`register.reading.obligations`), the groups' minimums and reviews in
`groups.services`. It can be seen as of any day (`?on=YYYY-MM-DD`): the GMG's record is historic (2009-2017),
and a chair looks back at a term as well as at today. It reads the record in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chairs.services import annual_report_due, letter_of_commitment_due, troika_on
from groups import services as group_rules
from groups.access import is_support
from groups.models import Group, GroupCoChair
from kit import record_version
from kit.access import require
from kit.as_of import as_of_given, day_from
from kit.audit import audit_entries
from kit.pagination import paginate
from kit.templatetags.as_of import keep_as_of
from meetings.models import ActionPoint, Meeting
from overview.forms import AuditFilterForm
from overview.search import MIN_QUERY_LENGTH, kind_keys, search_kind, search_record
from overview.support_team import page_context as support_team_page
from register import stored
from register.deadlines import CHAIR_KINDS, KINDS
from register.models import RegisterEntry
from reports.progress import STATUSES, activities_url, chart_data, plans_in_force, stream_progress
from workplans.models import Activity, ActivityUpdate, WorkPlan, WorkStream

# The dashboard's window of coming meetings and deadlines.
UPCOMING_DAYS = 60
# How many overdue activities the dashboard lists before it links to the full list.
OVERDUE_SHOWN = 12
LATEST_UPDATES_SHOWN = 10
# The longer panels show this many rows, with the count and a link to all of them (`?show=<panel>`).
POINTS_SHOWN = 12
COMING_SHOWN = 25
STREAMS_SHOWN = 30
SHOW_ALL = {"points", "streams"}  # the coming deadlines in full: the register page


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


def groups_health(day: date) -> list[GroupHealth]:
    """Each group's meetings held this year (to the day) against its ToR's minimum, and its next review."""
    groups = list(
        Group.objects.filter(Q(established_on__isnull=True) | Q(established_on__lte=day))
        .exclude(status=Group.Status.CLOSED)
        .prefetch_related(
            Prefetch("co_chair_links", queryset=GroupCoChair.objects.select_related("agency").order_by("position")),
            "terms_of_reference",
            "evaluations",  # the next review (groups.services.review_dates), read for all groups at once
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


def term_duties(day: date, term) -> list:
    """The current chair term's obligations, from its letter of commitment to its annual report, in order."""
    if term is None:
        return []
    first_duty, last_duty = letter_of_commitment_due(term), annual_report_due(term)
    where = stored.window(first=first_duty, last=last_duty, today=day, include_overdue=False, kinds=CHAIR_KINDS) & Q(
        chair_term=term
    )
    found = sorted(stored.read(where, today=day), key=lambda o: (o.due, o.title, o.key))
    return [
        o
        for o in found
        if o.kind in CHAIR_KINDS
        and o.chair_term is not None
        and o.chair_term.pk == term.pk
        and first_duty <= o.due <= last_duty
    ]


def coming_deadlines(day: date) -> dict:
    """The first COMING_SHOWN of the register's obligations in the coming UPCOMING_DAYS, in the register's order,
    and how many there are (open and in all): its rows in one query whatever the register's size (capped in the
    database), its counts in another."""
    last = day + timedelta(days=UPCOMING_DAYS)
    coming = stored.window(first=day, last=last, today=day, include_overdue=False, kinds=KINDS)
    counts = RegisterEntry.objects.filter(coming).aggregate(
        total=Count("id"), open=Count("id", filter=stored.in_state("open", day))
    )
    first_coming = RegisterEntry.objects.filter(coming).order_by(*stored.ORDER).values("pk")[:COMING_SHOWN]
    found = sorted(stored.read(Q(pk__in=first_coming), today=day), key=lambda o: (o.due, o.title, o.key))
    return {
        "coming": [o for o in found if day <= o.due <= last][:COMING_SHOWN],
        "coming_count": counts["total"],
        "coming_open": counts["open"],
        "upcoming_days": UPCOMING_DAYS,
        "register_url": reverse("register:deadline_register"),
    }


def chair_panel(day: date) -> dict:
    troika = troika_on(day)
    return {"troika": troika, "term": troika.current, "term_obligations": term_duties(day, troika.current)}


def progress_panel(day: date, show: str) -> dict:
    plans = plans_in_force(day)
    by_stream, by_group = stream_progress(plans, day)
    overdue = (
        Activity.objects.overdue_on(day)
        .filter(output__stream__workplan__in=plans)
        .select_related("output__stream__workplan")
        .prefetch_related("lead_agencies")
        .order_by("ends_on", "pk")
    )
    shown = by_stream if show == "streams" else by_stream[:STREAMS_SHOWN]
    return {
        "plans": plans,
        "by_stream": shown,
        "streams_count": len(by_stream),
        "by_group": by_group,
        "statuses": STATUSES,
        "chart": chart_data(shown),
        "overdue": list(overdue[:OVERDUE_SHOWN]),
        "overdue_count": overdue.count(),
        "overdue_all_url": activities_url(day=day, overdue=True),
    }


def points_panel(day: date, show: str) -> dict:
    points = ActionPoint.objects.open().filter(due_on__lt=day)
    points_shown = points.select_related("meeting", "owner_agency", "owner").order_by("due_on", "pk")
    return {
        "overdue_points": list(points_shown if show == "points" else points_shown[:POINTS_SHOWN]),
        "points_count": points.count(),
    }


def latest_updates(day: date):
    """The updates reported by the day, newest first: the first LATEST_UPDATES_SHOWN are the dashboard's."""
    return ActivityUpdate.objects.filter(reported_on__lte=day).order_by("-reported_on", "-created_at")


def updates_panel(day: date) -> dict:
    latest = latest_updates(day).select_related("activity", "agency", "author")[:LATEST_UPDATES_SHOWN]
    return {"latest_updates": list(latest)}


def shown_plans(day: date) -> tuple[list[str], list[str]]:
    """The parts of the record of the plans the dashboard of a day shows, in one query: those in force on the day
    (the progress panel) and those of the latest updates (the updates panel)."""
    updated = latest_updates(day).values("activity__output__stream__workplan_id")[:LATEST_UPDATES_SHOWN]
    in_force = Q(starts_on__lte=day, ends_on__gte=day)
    rows = WorkPlan.objects.filter(in_force | Q(pk__in=updated)).annotate(
        in_force=Case(When(in_force, then=Value(True)), default=Value(False))
    )
    found = list(rows.values_list("pk", "in_force"))
    return [f"workplan:{pk}" for pk, shown in found if shown], [f"workplan:{pk}" for pk, _shown in found]


# The dashboard's panels in the order they are shown: each with what it reads of the record, made and kept on its
# own, so that a change redraws the panels that show it and none of the others. `plans` stands for the parts of
# the plans the panel shows (shown_plans).
PANELS = {
    "chair": (("chairs", "groups", "register"), lambda day, show: chair_panel(day)),
    "progress": (("groups", "chairs", "workplans_workplan", "plans"), progress_panel),
    "points": (("meetings", "groups"), points_panel),
    "coming": (("register", "groups", "chairs"), lambda day, show: coming_deadlines(day)),
    "health": (("groups", "meetings"), lambda day, show: {"groups_health": groups_health(day)}),
    "updates": (("workplans_activityupdate", "groups", "plans"), lambda day, show: updates_panel(day)),
}


def dashboard_panels(day: date, today: date, show: str, as_of: str) -> str:
    """The dashboard's panels on a day, each kept under the parts of the record it reads (kit.record_version)."""
    in_force, updated = shown_plans(day)
    common = {
        "day": day,
        "show": show,
        "as_of": as_of,
        "show_all_url": {
            panel: f"{reverse('dashboard')}?{urlencode({'on': day.isoformat(), 'show': panel})}#{panel}"
            for panel in SHOW_ALL
        },
    }
    pieces = []
    for name, (reads, context) in PANELS.items():
        plans = in_force if name == "progress" else updated
        reads = tuple(part for part in reads if part != "plans") + (tuple(plans) if "plans" in reads else ())

        def make(name=name, context=context) -> str:
            made = context(day, show)
            if "plans" in made:
                # The plans' links, one piece of the sentence that names them in every language.
                made["plan_links"] = format_html_join(
                    ", ",
                    '<a href="{}">{}</a>',
                    ((keep_as_of(plan.get_absolute_url(), as_of), plan.title) for plan in made["plans"]),
                )
            return render_to_string(f"dashboard/_panel_{name}.html", {**common, **made})

        pieces.append((f"dashboard_{name}", (day, today, show, as_of), make, reads))
    return "".join(record_version.kept_together(pieces))


@login_required
@require_GET
def dashboard(request):
    """The chair's dashboard, for everyone signed in: where the work plan stands and what is due."""
    today = timezone.localdate()
    day, error = day_from(request.GET.get("on"), today)
    show = request.GET.get("show", "")
    show = show if show in SHOW_ALL else ""
    # The panels depend on the record, the day, today (what is "coming") and the day links carry on.
    as_of = as_of_given(request)
    context = {
        "day": day,
        "today": today,
        "panels": mark_safe(dashboard_panels(day, today, show, as_of)),  # the panels templates' own output
        "on_error": error,
        "on_value": request.GET.get("on", "") if error else day.isoformat(),
    }
    return render(request, "dashboard/dashboard.html", context, status=400 if error else 200)


@login_required
@require_GET
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
            errors.append(_("There is no work stream “%(stream)s”.") % {"stream": stream[:40]})
        else:
            activities = activities.filter(output__stream=found)
            described.append(
                _("of the stream “%(stream)s” (%(plan)s)") % {"stream": found.title, "plan": found.workplan.title}
            )
    slug = request.GET.get("group", "")
    if slug:
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            errors.append(_("There is no group “%(group)s”.") % {"group": slug[:40]})
        else:
            # As on the dashboard: a stream counts for the group that leads it, else for its plan's group.
            activities = activities.filter(
                Q(output__stream__lead_group=group)
                | Q(output__stream__lead_group__isnull=True, output__stream__workplan__group=group)
            )
            described.append(_("of %(group)s") % {"group": group})
    status = request.GET.get("status", "")
    if status:
        if status not in Activity.Status.values:
            errors.append(
                _("“%(status)s” is not a status; the statuses are %(statuses)s.")
                % {"status": status[:40], "statuses": ", ".join(str(label) for label in Activity.Status.labels)}
            )
        else:
            activities = activities.filter(status=status)
            described.append(_("with the status %(status)s") % {"status": Activity.Status(status).label.lower()})
    overdue = request.GET.get("overdue") == "yes"
    if overdue:
        activities = activities.overdue_on(day)
        described.append(_("overdue"))
    if errors:
        activities = activities.none()
    listing = paginate(
        request,
        activities.select_related("output__stream__workplan")
        .prefetch_related("lead_agencies")
        .defer("search_vector")
        .in_plan_order(),
    )
    return render(
        request,
        "dashboard/activities.html",
        {
            "day": day,
            "today": today,
            "activities": listing.rows,
            "listing": listing,
            "errors": errors,
            "described": ", ".join(described),
            "dashboard_url": f"{reverse('dashboard')}?on={day.isoformat()}",
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def search(request):
    """The best records of each kind matching the words, counted, or with `kind` one kind's matches a page at a time."""
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    too_short = bool(query) and len(query) < MIN_QUERY_LENGTH

    def make_results() -> str:
        groups, page = [], None
        if kind in kind_keys():
            group, page = search_kind(query, kind, request.GET.get("page"))
            groups = [group] if group.count else []
        else:
            groups = search_record(query)
        context = {
            "search_query": query,
            "too_short": too_short,
            "groups": groups,
            "page": page,
            "kind_query": urlencode({"q": query, "kind": kind}),
            "total": sum(g.count for g in groups),
            "counted_all": all(g.counted_all for g in groups),
        }
        return render_to_string("dashboard/_search_results.html", context)

    # What the words find depends on the record alone (everyone signed in reads the whole record): kept while it
    # does not change (kit.record_version).
    results = ""
    if len(query) >= MIN_QUERY_LENGTH:
        results = record_version.kept(
            "search", (query, kind, request.GET.get("page", "")), make_results
        )
    return render(
        request,
        "dashboard/search.html",
        {
            "search_query": query,
            "results": mark_safe(results),  # the results template's own output
            "too_short": too_short,
            "min_length": MIN_QUERY_LENGTH,
        },
    )


AUDIT_PAGE_SIZE = 50
AUDIT_MAX_PAGE = 1000


@login_required
@require_GET
def audit(request):
    """The support team's audit trail: every change, by person and date range, newest first, a page at a time."""
    require(is_support(request.user), _("Only the GMG support team reads the audit trail."))
    form = AuditFilterForm(request.GET or None)
    page, page_error = _audit_page(request.GET.get("page", "1"))
    refused = bool(page_error) or (form.is_bound and not form.is_valid())

    def page_url(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f"{reverse('audit')}?{query.urlencode()}"

    def make_trail() -> str:
        entries, more = [], False
        if not refused:
            data = form.cleaned_data if form.is_bound else {}
            zone = timezone.get_current_timezone()
            since = datetime.combine(data["since"], time.min, zone) if data.get("since") else None
            until = datetime.combine(data["until"] + timedelta(days=1), time.min, zone) if data.get("until") else None
            entries, more = audit_entries(
                person=data.get("person"),
                since=since,
                until=until,
                offset=(page - 1) * AUDIT_PAGE_SIZE,
                size=AUDIT_PAGE_SIZE,
            )
        context = {
            "form": form,
            "entries": entries,
            "next_url": page_url(page + 1) if more else "",
            "previous_url": page_url(page - 1) if page > 1 else "",
            "page_error": page_error,
            "first_url": page_url(1),
        }
        return render_to_string("audit/_trail.html", context)

    # The filter (everyone with an account to choose from) and the page of changes depend on the record and the
    # query alone, and every change moves the record's version: kept until the next one.
    trail = record_version.kept("audit", (sorted(request.GET.lists()),), make_trail)
    return render(request, "audit/audit.html", {"trail": mark_safe(trail)}, status=400 if refused else 200)


def _audit_page(value: str) -> tuple[int, str]:
    """The page the request asks for, and why it cannot be shown (a page reads every change before it: the trail
    is paged through to AUDIT_MAX_PAGE, and older changes are found by narrowing the dates)."""
    if not value.isdigit() or len(value) > 9:
        return 1, _("“%(value)s” is not a page number.") % {"value": value[:20]}
    page = max(1, int(value))
    if page > AUDIT_MAX_PAGE:
        return 1, (
            _(
                "The trail is shown up to page %(page)s (%(changes)s changes); "
                "choose the dates or the person to see older changes."
            )
            % {"page": f"{AUDIT_MAX_PAGE:,}", "changes": f"{AUDIT_MAX_PAGE * AUDIT_PAGE_SIZE:,}"}
        )
    return page, ""


@login_required
@require_GET
def support_team(request):
    """The support team's twelve tasks (decision 2 of 3 July 2013) and where in the portal each is done."""
    return render(request, "support_team.html", support_team_page())
