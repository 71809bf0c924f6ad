"""Agencies and groups as pages: everyone signed in reads them; the support team keeps them (in the admin)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.access import can_keep_group, can_keep_record
from groups.selectors import CO_CHAIRS
from kit import record_version
from kit.access import require
from kit.as_of import as_of_day
from kit.forms_flow import EditConflict, conflict_rows, rebind_on_conflict

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
from .models import Agency, Group, Membership, Person, TermsOfReference


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
# What the people list shows of each person, their agency and alternate (not their password hash, only whether
# they have chosen one).
PERSON_LIST_COLUMNS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "is_active",
    "password",
    "agency__acronym",
    "agency__sort_name",
    "alternate__first_name",
    "alternate__last_name",
    "alternate__username",
)
PEOPLE = [("People", "groups:person_list")]


@login_required
@require_GET
def person_list(request):
    require(can_keep_record(request.user), KEEP_REFUSED)
    agency = request.GET.get("agency")

    def make_listing() -> str:
        people = Person.objects.select_related("agency", "alternate").only(*PERSON_LIST_COLUMNS)
        people = people.order_by("-is_active", "agency__sort_name", "last_name")
        if agency:
            people = people.filter(agency__acronym=agency)
        page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
        query = urlencode({"agency": agency}) if agency else ""
        return render_to_string(
            "groups/_person_listing.html", {"page": page, "people": page.object_list, "query": query}
        )

    # The support team's list (the one role that reads it) depends on the record and the query alone: kept while
    # the record does not change (kit.record_version).
    listing = record_version.kept(
        "person_list", (agency, request.GET.get("page")), make_listing, reads=("groups",)
    )
    listing_html = mark_safe(listing)  # the listing template's own output
    return render(request, "groups/person_list.html", {"agency": agency, "listing_html": listing_html})


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
