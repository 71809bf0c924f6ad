"""The register's pages: the whole register of deadlines by agency, kind and state as of a day, and the month
calendar of meetings, events and (on request) the register's deadlines."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.dates import WEEKDAYS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from events.selectors import events_between
from kit import record_version
from kit.as_of import as_of_day, as_of_given
from meetings.models import Meeting
from register import deadlines, reading

REGISTER_PER_PAGE = 50
# What the calendar shows of a meeting: its title, days, time and status (its date as written when it has no day).
CALENDAR_COLUMNS = (
    "title",
    "status",
    "starts_on",
    "ends_on",
    "start_time",
    "date_as_written",
    "date_tentative",
    "date_precision",
)
REGISTER_STATES = {
    "open": _("Open (not done)"),
    "overdue": pgettext_lazy("obligation", "Overdue"),
    "due": _("Due soon"),
    "upcoming": pgettext_lazy("obligation", "Upcoming"),
    "done": pgettext_lazy("obligation", "Done"),
    "all": _("Any state"),
}


def _register_query(request) -> tuple[dict, list[str]]:
    """The register page's filters from the query string: agency, kind, state, the day; errors in words."""
    from groups.models import Agency
    from register.deadlines import KINDS

    errors = []
    state = request.GET.get("state") or "open"
    if state not in REGISTER_STATES:
        errors.append(
            gettext("“%(value)s” is not a state; choose %(choices)s.")
            % {"value": state[:40], "choices": ", ".join(REGISTER_STATES)}
        )
        state = "open"
    kind = request.GET.get("kind", "")
    if kind and kind not in KINDS:
        errors.append(gettext("“%(value)s” is not a kind of obligation.") % {"value": kind[:40]})
        kind = ""
    agency = None
    acronym = request.GET.get("agency", "")
    if acronym:
        agency = Agency.objects.filter(acronym=acronym).first()
        if agency is None:
            errors.append(gettext("There is no agency “%(acronym)s”.") % {"acronym": acronym[:40]})
    on = as_of_day(request)
    if request.GET.get("on") and as_of_given(request) is None:
        errors.append(
            gettext("“%(value)s” is not a date: write it as YYYY-MM-DD (e.g. 2015-06-15).")
            % {"value": request.GET["on"][:40]}
        )
    return {"state": state, "kind": kind, "agency": agency, "on": on}, errors


@login_required
@require_GET
def deadline_register(request):
    """The whole register of deadlines, a page at a time, by agency, kind and state as of a day (`?on=`)."""
    from django.core.paginator import Paginator
    from django.db.models import Q

    from groups.models import Agency
    from register import stored
    from register.deadlines import KINDS
    from register.models import RegisterEntry

    query, errors = _register_query(request)

    def make_register() -> str:
        obligations, page = [], None
        if not errors:
            where = Q()
            if query["kind"]:
                where &= Q(kind=query["kind"])
            if query["agency"] is not None:
                where &= Q(agency_ids__contains=[query["agency"].pk])
            if query["state"] != "all":
                where &= stored.in_state(query["state"], query["on"])
            rows = RegisterEntry.objects.filter(where).select_related("group", "chair_term").order_by("due", "pk")
            page = Paginator(rows, REGISTER_PER_PAGE).get_page(request.GET.get("page"))
            obligations = stored.rows_to_obligations(list(page.object_list), today=query["on"])
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            **query,
            "as_of": as_of_given(request),
            "obligations": obligations,
            "page": page,
            "errors": errors,
            "states": REGISTER_STATES,
            "kinds": KINDS,
            "agencies": Agency.objects.order_by("sort_name", "acronym").only("acronym", "name", "sort_name"),
            "query": params.urlencode(),
        }
        return render_to_string("register/_deadline_register.html", context)

    # The filters and the page of obligations depend on the record, the query and the day alone: kept while the
    # record does not change (kit.record_version).
    register = record_version.kept(
        "deadline_register", (sorted(request.GET.lists()), query["on"], get_language()), make_register
    )
    return render(
        request,
        "register/deadline_register.html",
        {"register_html": mark_safe(register)},  # the register's own output
        status=400 if errors else 200,
    )


@login_required
@require_GET
def meeting_calendar(request, year: int | None = None, month: int | None = None):
    """A month of meetings and of the external events the GMG takes part in; an entry over several days shows on
    each of them. With `?deadlines=on`, the register's deadlines of the month's window too (`register.deadlines`),
    their states judged as of the page's day (`?on=`)."""
    today = as_of_day(request)
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return render(request, "404.html", {"request_path": request.path}, status=404)
    show_deadlines = request.GET.get("deadlines") == "on"

    def make_month() -> str:
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        first, last = weeks[0][0], weeks[-1][-1]
        meetings = list(
            Meeting.objects.between(first, last).only(*CALENDAR_COLUMNS).order_by("starts_on", "start_time")
        )
        events = list(events_between(first, last).order_by("starts_on", "name"))
        by_day: dict[date, dict[str, list]] = {}

        def place(kind: str, entry, starts_on: date, last_day: date) -> None:
            day = max(starts_on, first)
            while day <= min(last_day, last):
                by_day.setdefault(day, {"meetings": [], "events": [], "deadlines": []})[kind].append(entry)
                day += timedelta(days=1)

        # A meeting known only by its month (or year) is listed above the month, never put on its first day.
        without_day = [
            m for m in meetings if not m.on_a_day and m.starts_on.year == year and m.starts_on.month == month
        ]
        for meeting in meetings:
            if meeting.on_a_day:
                place("meetings", meeting, meeting.starts_on, meeting.last_day)
        for event in events:
            place("events", event, event.starts_on, event.last_day)
        due = []
        if show_deadlines:
            # Meetings are on the calendar already: the register's other deadlines of the window.
            kinds = set(deadlines.KINDS) - {deadlines.MEETING}
            due = reading.obligations(first=first, last=last, today=today, kinds=kinds)
            for obligation in due:
                place("deadlines", obligation, obligation.due, obligation.due)
        previous = date(year, month, 1) - timedelta(days=1)
        following = date(year, month, 28) + timedelta(days=7)
        kept = request.GET.copy()
        kept.pop("deadlines", None)
        toggled = kept.copy()
        if not show_deadlines:
            toggled["deadlines"] = "on"
        empty = {"meetings": [], "events": [], "deadlines": []}
        context = {
            "month": date(year, month, 1),
            "weeks": [[(day, by_day.get(day, empty)) for day in week] for week in weeks],
            "weekdays": [str(WEEKDAYS[i % 7]) for i in range(7)],
            "previous": previous,
            "following": following,
            "today": today,
            "undated": Meeting.objects.filter(starts_on__isnull=True).count(),
            "without_day": without_day,
            "in_month": len(
                {m.pk for m in meetings if m.on_a_day and (m.starts_on.month == month or m.last_day.month == month)}
            )
            + len(without_day),
            "events_in_month": sum(1 for e in events if e.starts_on.month == month or e.last_day.month == month),
            "show_deadlines": show_deadlines,
            "deadlines_in_month": sum(1 for o in due if o.due.month == month),
            # The month links keep the page's query (`?on=`, the toggle); the toggle keeps the rest.
            "query": request.GET.urlencode(),
            "toggle_query": toggled.urlencode(),
        }
        return render_to_string("register/_meeting_calendar.html", context)

    # The month is the same for every reader on a day (`?on=`, and today's box): kept while the record does not
    # change (kit.record_version).
    month_html = record_version.kept(
        "meeting_calendar", (year, month, today, sorted(request.GET.lists()), get_language()), make_month
    )
    return render(
        request,
        "register/meeting_calendar.html",
        {"month": date(year, month, 1), "month_html": mark_safe(month_html)},  # the month's own output
    )
