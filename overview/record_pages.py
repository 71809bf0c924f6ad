"""The record's pages that read across the apps: an agency with its activities, action points and updates; the
groups with their meetings against the minimum; a group with its meetings, streams and reviews; a chair term with
its obligations from the register. Their addresses stay in the groups and chairs namespaces (gmg_portal/urls.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from chairs.access import can_edit_chair_report, can_tick_chair_functions
from chairs.forms import ChairFunctionTickForm
from chairs.models import ChairTerm
from chairs.selectors import chair_functions_checklist
from chairs.services import annual_report_due, letter_of_commitment_due, troika_on
from groups import services as rules
from groups.access import can_keep_group, can_keep_record
from groups.models import Agency, Evaluation, Group, GroupCoChair, Person, TermsOfReference
from groups.selectors import CO_CHAIRS
from kit import record_version
from kit.as_of import as_of_day
from kit.audit import record_history
from kit.pagination import count_of
from meetings.access import can_edit_meeting
from meetings.models import ActionPoint, Meeting
from meetings.selectors import held_meeting_counts
from register.deadlines import CHAIR_KINDS
from register.reading import obligations
from workplans.models import Activity, ActivityUpdate, WorkStream


@login_required
@require_GET
def term_detail(request, pk: int):
    term = get_object_or_404(ChairTerm.objects.select_related("agency", "co_chair"), pk=pk)
    today = as_of_day(request)
    duties = [
        o
        for o in obligations(
            first=letter_of_commitment_due(term), last=annual_report_due(term), today=today, kinds=CHAIR_KINDS
        )
        if o.chair_term is not None and o.chair_term.pk == term.pk
    ]
    counterpart = (
        ChairTerm.objects.filter(starts_on=term.starts_on).exclude(pk=term.pk).select_related("agency").first()
    )
    return render(
        request,
        "chairs/chairterm_detail.html",
        {
            "term": term,
            "today": today,
            "duties": duties,
            "counterpart": counterpart,
            "workplans": term.workplans.order_by("starts_on"),
            "troika": troika_on(term.starts_on),
            "may_record": can_edit_chair_report(request.user, term),
            "history": record_history(term.history.all()),
            "functions": _checklist(request, term, duties),
        },
    )


def _checklist(request, term: ChairTerm, duties) -> list:
    """The functions of the Chair by level, each with a tick form for the chair's people where one is due."""
    may_tick = can_tick_chair_functions(request.user, term)
    return [
        (
            level,
            [
                (line, ChairFunctionTickForm(term=term, function=line.function) if may_tick and not line.done else None)
                for line in lines
            ],
        )
        for level, lines in chair_functions_checklist(term, duties)
    ]


AGENCY_UPDATES_SHOWN = 20


@login_required
@require_GET
def agency_detail(request, acronym: str):
    agency = get_object_or_404(Agency.objects.prefetch_related("memberships"), acronym=acronym)
    today = as_of_day(request)
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
            "history": record_history(agency.history.all()),
            "action_points": ActionPoint.objects.filter(owner_agency=agency)
            .select_related("meeting")
            .order_by("status", "due_on"),
            "updates": ActivityUpdate.objects.filter(agency=agency)
            .select_related("activity")
            .order_by("-reported_on", "-pk")[:AGENCY_UPDATES_SHOWN],
            "may_keep": can_keep_record(request.user),
            "member_today": agency.is_member_on(today),
        },
    )


@login_required
@require_GET
def group_list(request):
    today = as_of_day(request)

    def make_listing() -> str:
        groups = list(
            Group.objects.prefetch_related(CO_CHAIRS, "terms_of_reference")
            .annotate(meeting_count=count_of(Meeting.objects.all(), "group"))
            .order_by("kind", "name")
        )
        held = held_meeting_counts(today.year, today.year)
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
        return render_to_string("groups/_group_listing.html", {"rows": rows, "today": today})

    # The same for every reader on a day: kept while what it reads of the record does not change (kit.record_version).
    listing = record_version.kept("group_list", (today,), make_listing, reads=("groups", "meetings"))
    return render(request, "groups/group_list.html", {"listing_html": mark_safe(listing)})  # the listing's output


@login_required
@require_GET
def group_detail(request, slug: str):
    group = get_object_or_404(
        Group.objects.select_related("establishing_decision__meeting").prefetch_related(
            CO_CHAIRS, Prefetch("terms_of_reference", queryset=TermsOfReference.objects.order_by("adopted_on"))
        ),
        slug=slug,
    )
    today = as_of_day(request)
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
            "co_chairs": rules.co_chairs_in_order(group, today),
            "co_chair_links": sorted(
                group.co_chair_links.all(), key=lambda link: (link.starts_on or today.min, link.position)
            ),
            "chair_this_year": rules.group_chair_for_year(group, today.year),
            "chair_next_year": rules.group_chair_for_year(group, today.year + 1),
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
            "may_keep_group": can_keep_group(request.user, group),
            "history": record_history(
                group.history.all(),
                GroupCoChair.history.filter(group_id=group.pk),
                TermsOfReference.history.filter(group_id=group.pk),
                Evaluation.history.filter(group_id=group.pk),
            ),
        },
    )


@login_required
@require_GET
def agency_list(request):
    today = as_of_day(request)

    def make_listing() -> str:
        # One counting subquery per column: joining people, terms and activities at once multiplies their rows.
        agencies = list(
            Agency.objects.annotate(
                focal_points=count_of(Person.objects.filter(role=Person.Role.FOCAL_POINT, is_active=True), "agency"),
                terms=count_of(ChairTerm.objects.filter(kind=ChairTerm.Kind.ACTUAL), "agency"),
                led=count_of(Activity.lead_agencies.through.objects.all(), "agency"),
            )
            .prefetch_related("memberships")
            .order_by("sort_name")
        )
        context = {
            "agencies": agencies,
            "today": today,
            "members_today": sum(1 for a in agencies if a.is_member_on(today)),
        }
        return render_to_string("groups/_agency_listing.html", context)

    # The same for every reader on a day: kept while what it reads of the record does not change
    # (kit.record_version). The buttons to add an agency and to see the people are the support team's.
    listing = record_version.kept(
        "agency_list",
        (today,),
        make_listing,
        reads=("groups", "chairs", "workplans_activity_lead_agencies"),
    )
    return render(
        request,
        "groups/agency_list.html",
        {"listing_html": mark_safe(listing), "may_keep": can_keep_record(request.user)},  # the listing's output
    )
