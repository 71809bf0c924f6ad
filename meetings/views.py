"""Meeting pages: the list and calendar, a meeting with its agenda, minutes, decisions, action points and
attendance, the decisions; and the forms that keep them (support staff; a group's co-chairs for its meetings).

Every write checks `gmg_portal.access` on the server; hiding a button is never the check.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_POST

from gmg_portal.access import can_add_meetings, can_edit_meeting, require
from groups.models import Group, GroupCoChair

from .filters import DecisionFilter, MeetingFilter
from .forms import ActionPointForm, AgendaItemForm, MeetingForm, MinutesForm
from .models import ActionPoint, AgendaItem, Decision, Meeting
from .services import SCHEDULE_FIELDS, meeting_update

MEETINGS_PER_PAGE = 50

KEEPERS = "Only the support team and the co-chairs of the meeting's group keep this meeting."


# -- reading -------------------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    filterset = MeetingFilter(
        request.GET or None,
        queryset=Meeting.objects.select_related("group").annotate(
            decision_count=Count("decisions", distinct=True), action_count=Count("action_points", distinct=True)
        ),
    )
    if filterset.is_bound and not filterset.is_valid():
        meetings = Meeting.objects.none()
    else:
        meetings = filterset.qs.order_by(F("starts_on").desc(nulls_last=True), "title")
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "page": page,
            "meetings": page.object_list,
            "query": query.urlencode(),
            "may_add": can_add_meetings(request.user),
        },
    )


@login_required
def meeting_calendar(request, year: int | None = None, month: int | None = None):
    """A month of meetings; a meeting over several days shows on each of them."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return render(request, "404.html", {"request_path": request.path}, status=404)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    meetings = list(Meeting.objects.between(first, last).select_related("group").order_by("starts_on", "start_time"))
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        day = max(meeting.starts_on, first)
        while day <= min(meeting.last_day, last):
            by_day.setdefault(day, []).append(meeting)
            day += timedelta(days=1)
    previous = date(year, month, 1) - timedelta(days=1)
    following = date(year, month, 28) + timedelta(days=7)
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            "month": date(year, month, 1),
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "weekdays": [calendar.day_name[(i) % 7] for i in range(7)],
            "previous": previous,
            "following": following,
            "today": today,
            "undated": Meeting.objects.filter(starts_on__isnull=True).count(),
            "in_month": len({m.pk for m in meetings if m.starts_on.month == month or m.last_day.month == month}),
        },
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(
        Meeting.objects.select_related("group").prefetch_related(
            "agenda_items",
            "decisions",
            "attendees",
            Prefetch("action_points", queryset=ActionPoint.objects.select_related("owner_agency", "owner")),
            Prefetch("group__co_chair_links", queryset=GroupCoChair.objects.select_related("agency")),
        ),
        pk=pk,
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {"meeting": meeting, "may_edit": can_edit_meeting(request.user, meeting), "today": timezone.localdate()},
    )


@login_required
def decision_list(request):
    filterset = DecisionFilter(request.GET or None, queryset=Decision.objects.select_related("meeting"))
    decisions = Decision.objects.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    return render(
        request,
        "meetings/decision_list.html",
        {"filter": filterset, "decisions": decisions, "today": timezone.localdate()},
    )


@login_required
def decision_detail(request, pk: int):
    decision = get_object_or_404(
        Decision.objects.select_related("meeting").prefetch_related("established_groups", "adopted_workplans"), pk=pk
    )
    return render(request, "meetings/decision_detail.html", {"decision": decision, "today": timezone.localdate()})


# -- writing -------------------------------------------------------------------------------------------------


def _save_meeting(form: MeetingForm, *, by, before: dict | None) -> tuple[Meeting, bool]:
    """Save the form's meeting; when its date, time, place or status changed, `meeting_update` raises its
    sequence and tells the invitees (meetings.services). Returns the meeting and whether its schedule changed.
    """
    with transaction.atomic():
        meeting = form.save()
        changed = before is not None and any(before[name] != getattr(meeting, name) for name in SCHEDULE_FIELDS)
        if changed:
            meeting_update(meeting=meeting, before=before, by=by)
        meeting.refresh_from_db()
    return meeting, changed


@login_required
def meeting_create(request):
    person = request.user
    require(can_add_meetings(person), "Only the support team and groups' co-chairs add meetings.")
    initial = {}
    group_slug = request.GET.get("group")
    if group_slug:
        initial = {"group": Group.objects.filter(slug=group_slug).first(), "kind": Meeting.Kind.GROUP}
    form = MeetingForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        require(can_edit_meeting(person, Meeting(group=form.cleaned_data.get("group"))), KEEPERS)
        meeting, _ = _save_meeting(form, by=person, before=None)
        messages.success(request, f"Meeting “{meeting.title}” added.")
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None}, status=_status(request, form))


@login_required
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    person = request.user
    require(can_edit_meeting(person, meeting), KEEPERS)
    before = {name: getattr(meeting, name) for name in SCHEDULE_FIELDS}
    data = request.POST.copy() if request.method == "POST" else None
    form = MeetingForm(data, instance=meeting, person=person)
    theirs = None
    if request.method == "POST":
        if form.is_valid():
            group = form.cleaned_data.get("group")
            # Moving a meeting to another group needs the right to keep that group's meetings too.
            require(can_edit_meeting(person, Meeting(group=group)), KEEPERS)
            meeting, changed = _save_meeting(form, by=person, before=before)
            note = " The change of date, time, place or status is sent to the invitees." if changed else ""
            messages.success(request, f"Meeting “{meeting.title}” saved.{note}")
            return redirect(meeting)
        if form.has_error("__all__", "edited_meanwhile"):
            theirs = Meeting.objects.select_related("group").get(pk=pk)
            data["seen"] = theirs.updated_at.isoformat()
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": Meeting.objects.get(pk=pk), "theirs": theirs},
        status=_status(request, form),
    )


def _status(request, form) -> int:
    """A refused form answers 400 (Bad Request) with its errors in the page; a new form 200."""
    return 400 if request.method == "POST" and form.errors else 200


def _meeting_for_writing(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    require(can_edit_meeting(request.user, meeting), KEEPERS)
    return meeting


@login_required
def minutes_edit(request, pk: int):
    meeting = _meeting_for_writing(request, pk)
    form = MinutesForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Minutes saved.")
        return redirect(f"{meeting.get_absolute_url()}#minutes")
    return render(
        request,
        "meetings/section_form.html",
        {"form": form, "meeting": meeting, "heading": "Minutes", "submit": "Save the minutes"},
        status=_status(request, form),
    )


@login_required
def agenda_item_form(request, pk: int, item_pk: int | None = None):
    meeting = _meeting_for_writing(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting) if item_pk else AgendaItem(meeting=meeting)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, f"Agenda item {item.position} “{item.title}” saved.")
        return redirect(f"{meeting.get_absolute_url()}#agenda")
    heading = f"Agenda item {item.position}" if item.pk else "New agenda item"
    return render(
        request,
        "meetings/section_form.html",
        {"form": form, "meeting": meeting, "heading": heading, "submit": "Save the agenda item"},
        status=_status(request, form),
    )


@login_required
@require_POST
def agenda_item_delete(request, pk: int, item_pk: int):
    meeting = _meeting_for_writing(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    item.delete()
    messages.success(request, f"Agenda item “{item.title}” removed.")
    return HttpResponseRedirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
def action_point_form(request, pk: int, point_pk: int | None = None):
    meeting = _meeting_for_writing(request, pk)
    point = get_object_or_404(ActionPoint, pk=point_pk, meeting=meeting) if point_pk else ActionPoint(meeting=meeting)
    form = ActionPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        point = form.save()
        due = f", due {format_date(point.due_on, 'j F Y')}" if point.due_on else ""
        messages.success(request, f"Action point for {point.owner_agency}{due} saved.")
        return redirect(f"{meeting.get_absolute_url()}#action-{point.pk}")
    return render(
        request,
        "meetings/section_form.html",
        {
            "form": form,
            "meeting": meeting,
            "heading": "Action point" if point.pk else "New action point",
            "submit": "Save the action point",
        },
        status=_status(request, form),
    )


@login_required
@require_POST
def action_point_delete(request, pk: int, point_pk: int):
    meeting = _meeting_for_writing(request, pk)
    point = get_object_or_404(ActionPoint, pk=point_pk, meeting=meeting)
    point.delete()
    messages.success(request, "Action point removed.")
    return HttpResponseRedirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#action-points")
