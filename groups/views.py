"""Agencies and groups as pages: everyone signed in reads them; the support team keeps them (in the admin)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chairs.documents import report_context, report_docx, report_html, report_pdf
from chairs.models import ChairTerm
from chairs.selectors import group_year_report
from groups.access import can_keep_group, can_keep_record
from kit import documents
from kit.access import require
from kit.as_of import as_of_day
from kit.audit import record_history
from kit.forms_flow import EditConflict, conflict_rows, rebind_on_conflict
from kit.pagination import count_of
from meetings.access import can_edit_meeting
from meetings.models import ActionPoint, Meeting
from workplans.models import Activity, ActivityUpdate, WorkStream

from . import services as rules
from .forms import (
    AGENCY_FIELDS,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    AbsenceForm,
    AgencyCreateForm,
    AgencyEditForm,
    CoChairsForm,
    DeactivateForm,
    GroupEditForm,
    MembershipCreateForm,
    MembershipEditForm,
    PersonEditForm,
    PersonInviteForm,
    TermsOfReferenceForm,
)
from .models import Agency, Evaluation, Group, GroupCoChair, Membership, Person, TermsOfReference

AGENCY_UPDATES_SHOWN = 20

CO_CHAIRS = Prefetch("co_chair_links", queryset=GroupCoChair.objects.select_related("agency").order_by("position"))


@login_required
@require_GET
def agency_list(request):
    today = as_of_day(request)
    # One counting subquery per column: joining people, terms and activities at once multiplies their rows.
    agencies = (
        Agency.objects.annotate(
            focal_points=count_of(Person.objects.filter(role=Person.Role.FOCAL_POINT, is_active=True), "agency"),
            terms=count_of(ChairTerm.objects.filter(kind=ChairTerm.Kind.ACTUAL), "agency"),
            led=count_of(Activity.lead_agencies.through.objects.all(), "agency"),
        )
        .prefetch_related("memberships")
        .order_by("sort_name")
    )
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
@require_http_methods(["GET", "POST"])
def my_reminders(request):
    """The signed-in person's own reminder settings; nobody else's can be reached from here."""
    from .forms import ReminderDeliveryForm

    form = ReminderDeliveryForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved: {request.user.get_reminder_delivery_display().lower()}.")
        return redirect("groups:my_reminders")
    return render(request, "groups/my_reminders.html", {"form": form}, status=400 if form.errors else 200)


# -- keeping the record: agencies (support staff, issue 12) ---------------------------------------------------

KEEP_REFUSED = "Only the support team keeps the agencies and people of the record."


def _form_page(request, form, *, title: str, submit: str, cancel_url: str, crumbs, status=None, template=None, **extra):
    status = status or (400 if request.method == "POST" and form.errors else 200)
    context = {"form": form, "page_title": title, "submit_label": submit, "cancel_url": cancel_url, "crumbs": crumbs}
    return render(request, template or "groups/record_form.html", {**context, **extra}, status=status)


def _values(form, *names: str) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _conflict_context(form_class, request, conflict, names, **kwargs) -> dict:
    form = rebind_on_conflict(form_class, request, conflict.current, **kwargs)
    return {"form": form, "conflict": conflict, "conflict_rows": conflict_rows(form, conflict.current, names)}


AGENCIES = [("Agencies", "groups:agency_list")]


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request):
    require(can_keep_record(request.user), KEEP_REFUSED)
    form = AgencyCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        agency, created = rules.agency_create(
            values=_values(form, *AGENCY_FIELDS), joined=form.cleaned_data["joined"], token=form.cleaned_data["token"]
        )
        messages.success(request, f"Agency {agency} added." if created else f"Agency {agency} was already added.")
        return redirect(agency)
    return _form_page(
        request,
        form,
        title="New agency",
        submit="Add the agency",
        cancel_url=reverse("groups:agency_list"),
        crumbs=AGENCIES,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, acronym: str):
    agency = get_object_or_404(Agency, acronym=acronym)
    require(can_keep_record(request.user), KEEP_REFUSED)
    form = AgencyEditForm(request.POST if request.method == "POST" else None, instance=agency)
    page = {
        "title": f"Edit {agency.acronym}",
        "submit": "Save the agency",
        "cancel_url": agency.get_absolute_url(),
        "crumbs": [*AGENCIES, (agency.acronym, agency.get_absolute_url())],
    }
    if request.method == "POST" and form.is_valid():
        try:
            agency = rules.agency_update(
                agency=agency, revision=form.cleaned_data["revision"], values=_values(form, *AGENCY_FIELDS)
            )
        except EditConflict as conflict:
            context = _conflict_context(AgencyEditForm, request, conflict, AGENCY_FIELDS)
            return _form_page(request, context.pop("form"), status=409, **page, **context)
        messages.success(request, f"Agency {agency} saved.")
        return redirect(agency)
    return _form_page(request, form, **page)


@login_required
@require_http_methods(["GET", "POST"])
def membership_form(request, acronym: str, pk: int | None = None):
    agency = get_object_or_404(Agency, acronym=acronym)
    require(can_keep_record(request.user), KEEP_REFUSED)
    period = get_object_or_404(Membership, pk=pk, agency=agency) if pk else None
    form_class = MembershipEditForm if period else MembershipCreateForm
    form = form_class(request.POST if request.method == "POST" else None, instance=period)
    page = {
        "title": f"{agency.acronym}: {'membership period' if period else 'new membership period'}",
        "submit": "Save the period",
        "cancel_url": agency.get_absolute_url(),
        "crumbs": [*AGENCIES, (agency.acronym, agency.get_absolute_url())],
    }
    if request.method == "POST" and form.is_valid():
        try:
            period, _ = rules.membership_save(
                agency=agency,
                values=_values(form, *MEMBERSHIP_FIELDS),
                period=period,
                revision=form.cleaned_data.get("revision"),
                token=form.cleaned_data.get("token"),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return _form_page(request, form, **page)
        except EditConflict as conflict:
            context = _conflict_context(form_class, request, conflict, MEMBERSHIP_FIELDS)
            return _form_page(request, context.pop("form"), status=409, **page, **context)
        messages.success(request, f"Saved: {period}.")
        return redirect(f"{agency.get_absolute_url()}#membership")
    return _form_page(request, form, **page)


# -- keeping the record: people (support staff, issue 12) -----------------------------------------------------

PEOPLE_PER_PAGE = 50
PEOPLE = [("People", "groups:person_list")]


@login_required
@require_GET
def person_list(request):
    require(can_keep_record(request.user), KEEP_REFUSED)
    people = Person.objects.select_related("agency", "alternate").order_by(
        "-is_active", "agency__sort_name", "last_name"
    )
    agency = request.GET.get("agency")
    if agency:
        people = people.filter(agency__acronym=agency)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({"agency": agency}) if agency else ""
    return render(
        request,
        "groups/person_list.html",
        {"page": page, "people": page.object_list, "agency": agency, "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request):
    require(can_keep_record(request.user), KEEP_REFUSED)
    initial = {}
    if acronym := request.GET.get("agency"):
        initial["agency"] = Agency.objects.filter(acronym=acronym).first()
    form = PersonInviteForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        person, created = rules.person_invite(values=_values(form, *PERSON_FIELDS), token=form.cleaned_data["token"])
        messages.success(
            request,
            f"{person.get_full_name()} is invited: an e-mail to {person.email} lets them choose a password."
            if created
            else f"{person.get_full_name()} was already invited.",
        )
        return redirect("groups:person_edit", pk=person.pk)
    return _form_page(
        request,
        form,
        title="Invite a person",
        submit="Send the invitation",
        cancel_url=reverse("groups:person_list"),
        crumbs=PEOPLE,
        intro="The person receives an e-mail with a link to choose their own password; the link works once.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    require(can_keep_record(request.user), KEEP_REFUSED)
    person = get_object_or_404(Person.objects.select_related("agency", "alternate"), pk=pk)
    form = PersonEditForm(request.POST if request.method == "POST" else None, instance=person)
    names = [*PERSON_FIELDS, "alternate"]
    page = {
        "title": person.get_full_name() or person.username,
        "submit": "Save",
        "cancel_url": reverse("groups:person_list"),
        "crumbs": PEOPLE,
        "person": person,
        "absences": person.absences.order_by("-starts_on")[:10],
        "absence_form": AbsenceForm(),
    }
    if request.method == "POST" and form.is_valid():
        try:
            person = rules.person_update(
                person=person, revision=form.cleaned_data["revision"], values=_values(form, *names)
            )
        except EditConflict as conflict:
            context = _conflict_context(PersonEditForm, request, conflict, names)
            return _form_page(request, context.pop("form"), status=409, **page, **context)
        messages.success(request, f"{person.get_full_name() or person.username} saved.")
        return redirect("groups:person_edit", pk=person.pk)
    return _form_page(request, form, template="groups/person_form.html", **page)


@login_required
@require_POST
def absence_add(request, pk: int):
    """Append-only: each form adds one absence (its token); absences are not edited, so no revision applies."""
    require(can_keep_record(request.user), KEEP_REFUSED)
    person = get_object_or_404(Person, pk=pk)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        absence = rules.absence_add(
            person=person, token=form.cleaned_data["token"], **_values(form, "starts_on", "ends_on")
        )
        who = person.alternate or "nobody (name an alternate)"
        messages.success(
            request, f"Away from {absence.starts_on:%d %b %Y} to {absence.ends_on:%d %b %Y}: reminders go to {who}."
        )
        return redirect("groups:person_edit", pk=person.pk)
    return render(
        request,
        "groups/person_form.html",
        {
            "form": PersonEditForm(instance=person),
            "page_title": person.get_full_name() or person.username,
            "submit_label": "Save",
            "cancel_url": reverse("groups:person_list"),
            "crumbs": PEOPLE,
            "person": person,
            "absences": person.absences.order_by("-starts_on")[:10],
            "absence_form": form,
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate(request, pk: int):
    """The support team sees what a leaving person has pending, and hands it to a colleague as it deactivates them."""
    require(can_keep_record(request.user), KEEP_REFUSED)
    person = get_object_or_404(Person.objects.select_related("agency"), pk=pk)
    colleagues = rules.colleagues_of(person)
    form = DeactivateForm(request.POST if request.method == "POST" else None, instance=person, colleagues=colleagues)
    status = 200
    if not person.is_active and request.method == "GET":
        messages.info(request, f"{person} is already deactivated.")
    if request.method == "POST" and form.is_valid():
        hand_to = form.cleaned_data["hand_to"]
        try:
            work = rules.person_deactivate(person=person, revision=form.cleaned_data["revision"], hand_to=hand_to)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        except EditConflict:
            form.add_error(None, "Someone else changed this person meanwhile; check the pending work again below.")
            form = DeactivateForm(instance=Person.objects.get(pk=pk), colleagues=colleagues)
            status = 409
        else:
            handed = "" if work.is_empty else f" Their pending work is now {hand_to}'s."
            messages.success(request, f"{person} is deactivated.{handed}")
            return redirect("groups:person_list")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "groups/person_deactivate.html",
        {"person": person, "form": form, "work": rules.pending_work(person), "crumbs": PEOPLE},
        status=status,
    )


# -- a group's year as a report -----------------------------------------------------------------------------------


def _group_year_report(request, slug: str, year: int):
    group = get_object_or_404(Group.objects.prefetch_related(CO_CHAIRS), slug=slug)
    if not 1990 <= year <= 2100:
        raise Http404("No such year.")
    return group, group_year_report(group, year, today=as_of_day(request))


@login_required
@require_GET
def group_report(request, slug: str, year: int):
    """A group's year drafted from the record, as the chair's annual report is: streams, meetings, minimum."""
    group, report = _group_year_report(request, slug, year)
    return render(request, "groups/group_report.html", {**report_context(report), "group": group})


@login_required
@require_GET
def group_report_download(request, slug: str, year: int, fmt: str):
    """The group's year as a PDF, a Word file or a standalone HTML file."""
    makers = {documents.PDF: report_pdf, documents.DOCX: report_docx, documents.HTML: report_html}
    if fmt not in makers:
        raise Http404("The report is made as pdf, docx or html.")
    _, report = _group_year_report(request, slug, year)
    return documents.document_response(makers[fmt](report), fmt=fmt, name=report.file_name)


# -- keeping the record: a group's terms of reference (issue 12) ------------------------------------------------

GROUP_REFUSED = "Only the support team and the group's co-chairs keep the group's page."


def _group_crumbs(group: Group) -> list:
    return [("Groups", "groups:group_list"), (str(group), group.get_absolute_url())]


@login_required
@require_http_methods(["GET", "POST"])
def tor_add(request, slug: str):
    group = get_object_or_404(Group, slug=slug)
    require(can_keep_group(request.user, group), GROUP_REFUSED)
    bound = request.method == "POST"
    form = TermsOfReferenceForm(request.POST if bound else None, request.FILES if bound else None, group=group)
    if bound and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        tor, created = rules.tor_add(group=group, values=values, token=form.cleaned_data["token"])
        messages.success(
            request,
            f"ToR version {tor.version} added, in force from {tor.adopted_on:%d %B %Y}."
            if created
            else f"ToR version {tor.version} was already added.",
        )
        return redirect(group)
    return _form_page(
        request,
        form,
        title=f"New terms of reference for {group}",
        submit="Add the version",
        cancel_url=group.get_absolute_url(),
        crumbs=_group_crumbs(group),
        intro="From the day it is in force, this version sets the group's minimum meetings and its reviews.",
    )


@login_required
@require_GET
def tor_compare(request, slug: str):
    """Two ToR versions of a group side by side: the fields and a line diff of the texts (?a=&b= are ids; by
    default the two latest versions)."""
    group = get_object_or_404(Group, slug=slug)
    tors = list(group.terms_of_reference.order_by("adopted_on"))
    by_id = {str(tor.pk): tor for tor in tors}
    if len(tors) < 2:
        raise Http404("This group has fewer than two ToR versions to compare.")
    older = by_id.get(request.GET.get("a", ""), tors[-2])
    newer = by_id.get(request.GET.get("b", ""), tors[-1])
    if older.adopted_on > newer.adopted_on:
        older, newer = newer, older
    return render(
        request,
        "groups/tor_compare.html",
        {
            "group": group,
            "tors": tors,
            "older": older,
            "newer": newer,
            "comparison": rules.tor_compare(older, newer),
            "crumbs": _group_crumbs(group),
        },
    )


@login_required
@require_GET
def tor_pdf(request, slug: str, pk: int):
    tor = get_object_or_404(TermsOfReference, pk=pk, group__slug=slug)
    if not tor.signed_pdf:
        raise Http404("This ToR version has no signed PDF in the record.")
    try:
        handle = tor.signed_pdf.open("rb")
    except FileNotFoundError:
        raise Http404("This file is no longer stored.") from None
    name = tor.signed_pdf.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=False, filename=name, content_type="application/pdf")


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, slug: str):
    group = get_object_or_404(Group, slug=slug)
    require(can_keep_group(request.user, group), GROUP_REFUSED)
    form = GroupEditForm(request.POST if request.method == "POST" else None, instance=group)
    page = {
        "title": f"Edit {group}",
        "submit": "Save the group",
        "cancel_url": group.get_absolute_url(),
        "crumbs": _group_crumbs(group),
    }
    if request.method == "POST" and form.is_valid():
        try:
            group = rules.group_update(
                group=group,
                revision=form.cleaned_data["revision"],
                status=form.cleaned_data["status"],
                participating=list(form.cleaned_data["participating"]),
                note=form.cleaned_data["note"],
            )
        except EditConflict as conflict:
            context = _conflict_context(GroupEditForm, request, conflict, ["status", "note"])
            return _form_page(request, context.pop("form"), status=409, **page, **context)
        messages.success(request, f"{group} saved.")
        return redirect(group)
    return _form_page(request, form, **page)


@login_required
@require_http_methods(["GET", "POST"])
def co_chairs_change(request, slug: str):
    group = get_object_or_404(Group.objects.prefetch_related(CO_CHAIRS), slug=slug)
    require(can_keep_group(request.user, group), GROUP_REFUSED)
    today = as_of_day(request)
    current = rules.co_chairs_in_order(group, today)
    form = CoChairsForm(request.POST if request.method == "POST" else None, group=group, current=current)
    if not form.is_bound:
        form.initial["starts_on"] = today.replace(year=today.year + 1, month=1, day=1)
    page = {
        "title": f"Change the co-chairs of {group}",
        "submit": "Change the co-chairs",
        "cancel_url": group.get_absolute_url(),
        "crumbs": _group_crumbs(group),
        "intro": "Today's co-chairs: " + (", ".join(a.acronym for a in current) or "none") + ".",
    }
    if request.method == "POST" and form.is_valid():
        try:
            group = rules.co_chairs_change(
                group=group,
                revision=form.cleaned_data["revision"],
                starts_on=form.cleaned_data["starts_on"],
                agencies=form.cleaned_data["agencies"],
            )
        except EditConflict:
            form.add_error(
                None, "Someone else changed this group while you were editing. Nothing was saved: look and try again."
            )
            return _form_page(request, form, status=409, **page)
        day = form.cleaned_data["starts_on"]
        names = ", ".join(a.acronym for a in form.cleaned_data["agencies"])
        messages.success(request, f"From {day:%d %B %Y}, {group} is co-chaired by {names}.")
        return redirect(group)
    return _form_page(request, form, **page)
