"""Agencies and groups as pages: everyone signed in reads them; the support team keeps them (in the admin)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from chairs.models import ChairTerm
from gmg_portal.access import can_edit_meeting, can_keep_record
from meetings.models import ActionPoint, Meeting
from workplans.models import Activity, WorkStream

from . import services as rules
from .models import Agency, Group, GroupCoChair, Person, TermsOfReference

CO_CHAIRS = Prefetch("co_chair_links", queryset=GroupCoChair.objects.select_related("agency").order_by("position"))


@login_required
def agency_list(request):
    today = timezone.localdate()
    agencies = Agency.objects.annotate(
        focal_points=Count(
            "people", filter=Q(people__role=Person.Role.FOCAL_POINT, people__is_active=True), distinct=True
        ),
        terms=Count("chair_terms", filter=Q(chair_terms__kind=ChairTerm.Kind.ACTUAL), distinct=True),
        led=Count("led_activities", distinct=True),
    ).order_by("sort_name")
    agencies = list(agencies)
    return render(
        request,
        "groups/agency_list.html",
        {
            "agencies": agencies,
            "today": today,
            "members_today": sum(1 for a in agencies if a.is_member_on(today)),
            "may_keep": can_keep_record(request.user),
        },
    )


@login_required
def agency_detail(request, acronym: str):
    agency = get_object_or_404(Agency, acronym=acronym)
    today = timezone.localdate()
    people = Person.objects.filter(agency=agency, is_active=True).order_by("role", "last_name", "first_name")
    led = (
        Activity.objects.filter(lead_agencies=agency)
        .select_related("output__stream__workplan")
        .order_by(
            "-output__stream__workplan__starts_on",
            "output__stream__position",
            "output__year",
            "output__position",
            "position",
        )
    )
    partner = (
        Activity.objects.filter(partners=agency)
        .select_related("output__stream__workplan")
        .order_by("-output__stream__workplan__starts_on", "output__stream__position", "output__position", "position")
    )
    return render(
        request,
        "groups/agency_detail.html",
        {
            "agency": agency,
            "today": today,
            "focal_points": [p for p in people if p.role == Person.Role.FOCAL_POINT],
            "principals": [p for p in people if p.role == Person.Role.PRINCIPAL],
            "terms": agency.chair_terms.order_by("starts_on", "kind"),
            "co_chaired": GroupCoChair.objects.filter(agency=agency).select_related("group").order_by("group__name"),
            "groups": agency.groups.order_by("kind", "name"),
            "led": list(led),
            "partner": list(partner),
            "action_points": ActionPoint.objects.filter(owner_agency=agency)
            .select_related("meeting")
            .order_by("status", "due_on"),
        },
    )


@login_required
def group_list(request):
    today = timezone.localdate()
    groups = list(
        Group.objects.prefetch_related(CO_CHAIRS, "terms_of_reference")
        .annotate(meeting_count=Count("meetings", distinct=True))
        .order_by("kind", "name")
    )
    held = rules.held_meeting_counts(today.year, today.year)
    rows = []
    for group in groups:
        tor = rules.tor_in_force(group, today)
        rows.append(
            {
                "group": group,
                "co_chairs": rules.co_chairs_in_order(group),
                "tor": tor,
                "held": held[(group.pk, today.year)],
                "minimum": rules.minimum_meetings(group, today.year),
            }
        )
    return render(request, "groups/group_list.html", {"rows": rows, "today": today})


@login_required
def group_detail(request, slug: str):
    group = get_object_or_404(
        Group.objects.select_related("establishing_decision__meeting").prefetch_related(
            CO_CHAIRS, Prefetch("terms_of_reference", queryset=TermsOfReference.objects.order_by("adopted_on"))
        ),
        slug=slug,
    )
    today = timezone.localdate()
    meetings = list(group.meetings.order_by("-starts_on", "title"))
    held_by_year: dict[int, int] = {}
    for meeting in meetings:
        if meeting.status == Meeting.Status.HELD and meeting.starts_on:
            held_by_year[meeting.starts_on.year] = held_by_year.get(meeting.starts_on.year, 0) + 1
    first_year = (group.established_on or today).year
    years = []
    for year in range(max(first_year, today.year - 10), today.year + 1):
        minimum = rules.minimum_meetings(group, year)
        query = urlencode({"group": group.slug, "year": year, "status": Meeting.Status.HELD})
        years.append(
            {
                "year": year,
                "held": held_by_year.get(year, 0),
                "minimum": minimum,
                "url": f"{reverse('meetings:meeting_list')}?{query}",
            }
        )
    tors = list(group.terms_of_reference.all())
    in_force = rules.tor_in_force(group, today)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "today": today,
            "co_chairs": rules.co_chairs_in_order(group),
            "chair_this_year": rules.group_chair_for_year(group, today.year),
            "participating": group.participating.order_by("sort_name"),
            "tors": tors,
            "tor_in_force": in_force,
            "meetings": meetings,
            "years": list(reversed(years)),
            "next_review": rules.next_review_due(group, today),
            "evaluations": group.evaluations.order_by("-held_on"),
            "streams": WorkStream.objects.filter(Q(lead_group=group) | Q(workplan__group=group))
            .select_related("workplan")
            .order_by("-workplan__starts_on", "position"),
            "may_add_meeting": can_edit_meeting(request.user, Meeting(group=group)),
        },
    )


@login_required
def my_reminders(request):
    """The signed-in person's own reminder settings; nobody else's can be reached from here."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .forms import ReminderDeliveryForm

    form = ReminderDeliveryForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved: {request.user.get_reminder_delivery_display().lower()}.")
        return redirect("groups:my_reminders")
    return render(request, "groups/my_reminders.html", {"form": form})
