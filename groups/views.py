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
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.access import can_keep_group, can_keep_record
from groups.selectors import CO_CHAIRS
from kit import record_version
from kit.access import require
from kit.as_of import as_of_day
from kit.forms_flow import EditConflict, conflict_rows, rebind_on_conflict
from kit.languages import in_language_of

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
        with in_language_of(request.user):  # said in the language just chosen, as the next page will be
            messages.success(
                request, _("Saved: %(choice)s.") % {"choice": request.user.get_reminder_delivery_display().lower()}
            )
        return redirect("groups:my_reminders")
    return render(request, "groups/my_reminders.html", {"form": form}, status=400 if form.errors else 200)


# -- keeping the record: agencies (support staff, issue 12) ---------------------------------------------------

KEEP_REFUSED = gettext_lazy("Only the support team keeps the agencies and people of the record.")


def _form_page(request, form, *, title: str, submit: str, cancel_url: str, crumbs, status=None, template=None, **extra):
    status = status or (400 if request.method == "POST" and form.errors else 200)
    context = {"form": form, "page_title": title, "submit_label": submit, "cancel_url": cancel_url, "crumbs": crumbs}
    return render(request, template or "groups/record_form.html", {**context, **extra}, status=status)


def _values(form, *names: str) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _conflict_context(form_class, request, conflict, names, **kwargs) -> dict:
    form = rebind_on_conflict(form_class, request, conflict.current, **kwargs)
    return {"form": form, "conflict": conflict, "conflict_rows": conflict_rows(form, conflict.current, names)}


AGENCIES = [(gettext_lazy("Agencies"), "groups:agency_list")]


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request):
    require(can_keep_record(request.user), KEEP_REFUSED)
    form = AgencyCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        agency, created = rules.agency_create(
            values=_values(form, *AGENCY_FIELDS), joined=form.cleaned_data["joined"], token=form.cleaned_data["token"]
        )
        messages.success(
            request,
            (_("Agency %(agency)s added.") if created else _("Agency %(agency)s was already added."))
            % {"agency": agency},
        )
        return redirect(agency)
    return _form_page(
        request,
        form,
        title=_("New agency"),
        submit=_("Add the agency"),
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
        "title": _("Edit %(name)s") % {"name": agency.acronym},
        "submit": _("Save the agency"),
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
        messages.success(request, _("Agency %(agency)s saved.") % {"agency": agency})
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
        "title": (_("%(acronym)s: membership period") if period else _("%(acronym)s: new membership period"))
        % {"acronym": agency.acronym},
        "submit": _("Save the period"),
        "cancel_url": agency.get_absolute_url(),
        "crumbs": [*AGENCIES, (agency.acronym, agency.get_absolute_url())],
    }
    if request.method == "POST" and form.is_valid():
        try:
            period, _created = rules.membership_save(
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
        words = {
            "agency": agency,
            "start": period.joined and date_format(period.joined, "d M Y"),
            "end": period.left and date_format(period.left, "d M Y"),
        }
        if period.joined and period.left:
            saved = _("Saved: %(agency)s: member from %(start)s to %(end)s.")
        elif period.left:
            saved = _("Saved: %(agency)s: member from before the record to %(end)s.")
        elif period.joined:
            saved = _("Saved: %(agency)s: member from %(start)s to today.")
        else:
            saved = _("Saved: %(agency)s: member from before the record to today.")
        messages.success(request, saved % words)
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
PEOPLE = [(gettext_lazy("People"), "groups:person_list")]


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
            _("%(name)s is invited: an e-mail to %(email)s lets them choose a password.")
            % {"name": person.get_full_name(), "email": person.email}
            if created
            else _("%(name)s was already invited.") % {"name": person.get_full_name()},
        )
        return redirect("groups:person_edit", pk=person.pk)
    return _form_page(
        request,
        form,
        title=_("Invite a person"),
        submit=_("Send the invitation"),
        cancel_url=reverse("groups:person_list"),
        crumbs=PEOPLE,
        intro=_("The person receives an e-mail with a link to choose their own password; the link works once."),
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
        "submit": _("Save"),
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
        messages.success(request, _("%(name)s saved.") % {"name": person.get_full_name() or person.username})
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
        who = person.alternate or _("nobody (name an alternate)")
        messages.success(
            request,
            _("Away from %(start)s to %(end)s: reminders go to %(who)s.")
            % {
                "start": date_format(absence.starts_on, "d M Y"),
                "end": date_format(absence.ends_on, "d M Y"),
                "who": who,
            },
        )
        return redirect("groups:person_edit", pk=person.pk)
    return render(
        request,
        "groups/person_form.html",
        {
            "form": PersonEditForm(instance=person),
            "page_title": person.get_full_name() or person.username,
            "submit_label": _("Save"),
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
        messages.info(request, _("%(person)s is already deactivated.") % {"person": person})
    if request.method == "POST" and form.is_valid():
        hand_to = form.cleaned_data["hand_to"]
        try:
            work = rules.person_deactivate(person=person, revision=form.cleaned_data["revision"], hand_to=hand_to)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        except EditConflict:
            form.add_error(None, _("Someone else changed this person meanwhile; check the pending work again below."))
            form = DeactivateForm(instance=Person.objects.get(pk=pk), colleagues=colleagues)
            status = 409
        else:
            if work.is_empty:
                done = _("%(person)s is deactivated.") % {"person": person}
            else:
                done = _("%(person)s is deactivated. Their pending work is now %(colleague)s's.") % {
                    "person": person,
                    "colleague": hand_to,
                }
            messages.success(request, done)
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

GROUP_REFUSED = gettext_lazy("Only the support team and the group's co-chairs keep the group's page.")


def _group_crumbs(group: Group) -> list:
    return [(_("Groups"), "groups:group_list"), (str(group), group.get_absolute_url())]


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
            _("ToR version %(version)s added, in force from %(day)s.")
            % {"version": tor.version, "day": date_format(tor.adopted_on, "d F Y")}
            if created
            else _("ToR version %(version)s was already added.") % {"version": tor.version},
        )
        return redirect(group)
    return _form_page(
        request,
        form,
        title=_("New terms of reference for %(group)s") % {"group": group},
        submit=_("Add the version"),
        cancel_url=group.get_absolute_url(),
        crumbs=_group_crumbs(group),
        intro=_("From the day it is in force, this version sets the group's minimum meetings and its reviews."),
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
        raise Http404(_("This group has fewer than two ToR versions to compare."))
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
        raise Http404(_("This ToR version has no signed PDF in the record."))
    try:
        handle = tor.signed_pdf.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is no longer stored.")) from None
    name = tor.signed_pdf.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=False, filename=name, content_type="application/pdf")


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, slug: str):
    group = get_object_or_404(Group, slug=slug)
    require(can_keep_group(request.user, group), GROUP_REFUSED)
    form = GroupEditForm(request.POST if request.method == "POST" else None, instance=group)
    page = {
        "title": _("Edit %(name)s") % {"name": group},
        "submit": _("Save the group"),
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
        messages.success(request, _("%(group)s saved.") % {"group": group})
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
        "title": _("Change the co-chairs of %(group)s") % {"group": group},
        "submit": _("Change the co-chairs"),
        "cancel_url": group.get_absolute_url(),
        "crumbs": _group_crumbs(group),
        "intro": _("Today's co-chairs: %(names)s.") % {"names": ", ".join(a.acronym for a in current) or _("none")},
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
                None,
                _("Someone else changed this group while you were editing. Nothing was saved: look and try again."),
            )
            return _form_page(request, form, status=409, **page)
        day = form.cleaned_data["starts_on"]
        names = ", ".join(a.acronym for a in form.cleaned_data["agencies"])
        messages.success(
            request,
            _("From %(day)s, %(group)s is co-chaired by %(names)s.")
            % {"day": date_format(day, "d F Y"), "group": group, "names": names},
        )
        return redirect(group)
    return _form_page(request, form, **page)
