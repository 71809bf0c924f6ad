"""Meeting pages: the list and calendar, a meeting with its agenda, minutes, decisions, action points and
attendance, the decisions; and the forms that keep them (support staff; a group's co-chairs for its meetings).

Every write checks `kit.access` on the server; hiding a button is never the check.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.access import can_keep_record
from groups.models import Group, GroupCoChair
from kit import documents, record_version
from kit.access import require
from kit.as_of import as_of_day, as_of_given
from kit.audit import record_history
from kit.forms_flow import (
    EditConflict,
    conflict_rows,
    create_form_once,
    finished,
    form_flow,
    save_form_if_unchanged,
)
from kit.languages import written_in
from kit.pagination import count_of, paginate
from meetings.access import can_add_meetings, can_edit_meeting

from . import documents as meeting_documents
from .filters import DecisionFilter, MeetingFilter
from .forms import (
    ActionPointCreateForm,
    ActionPointEditForm,
    AgendaItemCreateForm,
    AgendaItemEditForm,
    DecisionCreateForm,
    DecisionEditForm,
    DecisionReviewForm,
    MeetingCreateForm,
    MeetingEditForm,
    MinutesForm,
)
from .models import ActionPoint, AgendaItem, Decision, Meeting
from .selectors import (
    STATUS_CHOICES,
    action_point_lines,
    action_point_lines_of,
    action_points_listed,
    meeting_for_documents,
)
from .services import DECISION_FIELDS, SCHEDULE_FIELDS, decision_record, decision_update, meeting_update

MEETINGS_PER_PAGE = 50
# The action points' list as its title and its documents describe it, by status (the whole phrase: the status
# agrees with the noun in French and Spanish).
DESCRIBED = {
    "open": gettext_lazy("Open action points, as of %(day)s"),
    "all": gettext_lazy("All action points, as of %(day)s"),
    "done": gettext_lazy("Done action points, as of %(day)s"),
    "dropped": gettext_lazy("Dropped action points, as of %(day)s"),
}
DESCRIBED_OF_GROUP = {
    "open": gettext_lazy("Open action points of %(group)s, as of %(day)s"),
    "all": gettext_lazy("All action points of %(group)s, as of %(day)s"),
    "done": gettext_lazy("Done action points of %(group)s, as of %(day)s"),
    "dropped": gettext_lazy("Dropped action points of %(group)s, as of %(day)s"),
}
# The columns the lists show (and those a row's link and dates are made from): the minutes and the search
# vector stay unread.
WHEN = ("starts_on", "ends_on", "start_time", "date_as_written", "date_tentative", "date_precision")  # Meeting.when
MEETING_LIST_COLUMNS = ("title", "kind", "status", "venue", *WHEN, "group__slug", "group__name", "group__short_name")
DECISION_LIST_COLUMNS = (
    "number",
    "title",
    "trial_months",
    "review_on",
    "reviewed_on",
    "meeting__title",
    *(f"meeting__{f}" for f in WHEN),
)

KEEPERS = gettext_lazy("Only the support team and the co-chairs of the meeting's group keep this meeting.")


# -- reading -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request):
    def make_listing() -> str:
        filterset = MeetingFilter(
            request.GET or None,
            queryset=Meeting.objects.select_related("group")
            .only(*MEETING_LIST_COLUMNS)
            .annotate(
                decision_count=count_of(Decision.objects.all(), "meeting"),
                action_count=count_of(ActionPoint.objects.all(), "meeting"),
            ),
        )
        if filterset.is_bound and not filterset.is_valid():
            meetings = Meeting.objects.none()
        else:
            meetings = filterset.qs.order_by(F("starts_on").desc(nulls_last=True), "title")
        listing = paginate(request, meetings, per_page=MEETINGS_PER_PAGE)
        context = {"filter": filterset, "listing": listing, "meetings": listing.rows, "clear_url": _clear_url(request)}
        return render_to_string("meetings/_meeting_listing.html", context)

    # The filters, the count and the page of meetings are the same for every reader: kept while the meetings and
    # groups do not change (kit.record_version). Only the "Add a meeting" button is the reader's own.
    listing = record_version.kept(
        "meeting_list", (sorted(request.GET.lists()),), make_listing, reads=("meetings", "groups")
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {"listing_html": mark_safe(listing), "may_add": can_add_meetings(request.user)},  # the listing's own output
    )


def _clear_url(request) -> str:
    """Where the filter form's "Clear" link goes: the page without its query, or nowhere when there is none."""
    return request.path if request.GET else ""


def _files(meeting: Meeting) -> list[tuple[str, str]]:
    """The meeting's documents (label, address), offered in the other languages beside the page's own."""
    kinds = [(meeting_documents.AGENDA, _("Agenda (PDF)"), _("Agenda (Word)"))] if meeting.agenda_items.all() else []
    kinds.append((meeting_documents.MINUTES, _("Minutes (PDF)"), _("Minutes (Word)")))
    return [
        (label, reverse("meetings:meeting_document", args=[meeting.pk, kind, fmt]))
        for kind, pdf, word in kinds
        for fmt, label in ((documents.PDF, pdf), (documents.DOCX, word))
    ]


@login_required
@require_GET
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
        {
            "meeting": meeting,
            "may_edit": can_edit_meeting(request.user, meeting),
            "may_record_decisions": can_keep_record(request.user),
            "files": _files(meeting),
            "today": as_of_day(request),
            "history": record_history(
                meeting.history.all(),
                AgendaItem.history.filter(meeting_id=meeting.pk),
                ActionPoint.history.filter(meeting_id=meeting.pk),
            ),
        },
    )


@login_required
@require_GET
def decision_list(request):
    today = as_of_day(request)

    def make_listing() -> str:
        filterset = DecisionFilter(
            request.GET or None, queryset=Decision.objects.select_related("meeting").only(*DECISION_LIST_COLUMNS)
        )
        decisions = Decision.objects.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
        listing = paginate(request, decisions)
        context = {
            "filter": filterset,
            "decisions": listing.rows,
            "listing": listing,
            "today": today,
            "clear_url": _clear_url(request),
        }
        return render_to_string("meetings/_decision_listing.html", context)

    # The same for every reader on a day (a review is overdue as of the page's day, `?on=`): kept while the meetings
    # and groups do not change (kit.record_version).
    listing = record_version.kept(
        "decision_list",
        (sorted(request.GET.lists()), today),
        make_listing,
        reads=("meetings", "groups"),
    )
    return render(request, "meetings/decision_list.html", {"listing_html": mark_safe(listing)})


@login_required
@require_GET
def decision_detail(request, pk: int):
    decision = get_object_or_404(
        Decision.objects.select_related("meeting", "reviews__meeting").prefetch_related(
            "established_groups", "adopted_workplans", "review_decisions__meeting"
        ),
        pk=pk,
    )
    return render(
        request,
        "meetings/decision_detail.html",
        {
            "decision": decision,
            "today": as_of_day(request),
            "history": record_history(decision.history.all()),
            "may_keep": can_keep_record(request.user),
        },
    )


# -- writing -------------------------------------------------------------------------------------------------


def _schedule_follow_up(before: dict, by):
    """After a meeting's save: when its date, time, place or status changed, `meeting_update` raises its sequence
    and tells the invitees (meetings.services)."""

    def follow_up(meeting: Meeting) -> None:
        if any(before[name] != getattr(meeting, name) for name in SCHEDULE_FIELDS):
            meeting_update(meeting=meeting, before=before, by=by)

    return follow_up


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    person = request.user
    initial = {}
    group_slug = request.GET.get("group")
    if group_slug:
        initial = {"group": Group.objects.filter(slug=group_slug).first(), "kind": Meeting.Kind.GROUP}

    def save(form):
        require(can_edit_meeting(person, Meeting(group=form.cleaned_data.get("group"))), KEEPERS)
        meeting, created = create_form_once(form)
        return finished(
            request,
            meeting,
            _("Meeting “%(title)s” added.") % {"title": meeting.title}
            if created
            else _("This meeting was already added."),
        )

    return form_flow(
        request,
        access=(can_add_meetings(person), _("Only the support team and groups' co-chairs add meetings.")),
        form_class=MeetingCreateForm,
        form_kwargs={"person": person, "initial": initial},
        template="meetings/meeting_form.html",
        context={"meeting": None},
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = _meeting_for_writing(request, pk)
    person = request.user
    before = {name: getattr(meeting, name) for name in SCHEDULE_FIELDS}

    def save(form):
        # Moving a meeting to another group needs the right to keep that group's meetings too.
        require(can_edit_meeting(person, Meeting(group=form.cleaned_data.get("group"))), KEEPERS)
        saved = save_form_if_unchanged(form, after=_schedule_follow_up(before, person))
        saved.refresh_from_db()
        changed = saved.sequence != meeting_sequence
        if changed:
            message = _("Meeting “%(title)s” saved. The change of date, time, place or status is sent to the invitees.")
        else:
            message = _("Meeting “%(title)s” saved.")
        return finished(request, saved, message % {"title": saved.title})

    meeting_sequence = meeting.sequence
    return form_flow(
        request,
        form_class=MeetingEditForm,
        form_kwargs={"instance": meeting, "person": person},
        template="meetings/meeting_form.html",
        context={"meeting": Meeting.objects.get(pk=pk)},
        save=save,
    )


def _meeting_for_writing(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    require(can_edit_meeting(request.user, meeting), KEEPERS)
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk: int):
    meeting = _meeting_for_writing(request, pk)

    def save(form):
        save_form_if_unchanged(form)
        return finished(request, f"{meeting.get_absolute_url()}#minutes", _("Minutes saved."))

    return form_flow(
        request,
        form_class=MinutesForm,
        form_kwargs={"instance": meeting},
        template="meetings/section_form.html",
        context={"meeting": Meeting.objects.get(pk=pk), "heading": _("Minutes"), "submit": _("Save the minutes")},
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_form(request, pk: int, item_pk: int | None = None):
    meeting = _meeting_for_writing(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting) if item_pk else AgendaItem(meeting=meeting)

    def save(form):
        if item.pk:
            saved, created = save_form_if_unchanged(form), True
        else:
            saved, created = create_form_once(form, meeting=meeting)
        message = (
            _("Agenda item %(number)s “%(title)s” saved.") % {"number": saved.position, "title": saved.title}
            if created
            else _("This item was already added.")
        )
        return finished(request, f"{meeting.get_absolute_url()}#agenda", message)

    return form_flow(
        request,
        form_class=AgendaItemEditForm if item.pk else AgendaItemCreateForm,
        form_kwargs={"instance": item, "meeting": meeting},
        template="meetings/section_form.html",
        context={
            "meeting": meeting,
            "heading": _("Agenda item %(number)s") % {"number": item.position} if item.pk else _("New agenda item"),
            "submit": _("Save the agenda item"),
        },
        save=save,
    )


@login_required
@require_POST
def agenda_item_delete(request, pk: int, item_pk: int):
    meeting = _meeting_for_writing(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    item.delete()
    messages.success(request, _("Agenda item “%(title)s” removed.") % {"title": item.title})
    return HttpResponseRedirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
@require_http_methods(["GET", "POST"])
def action_point_form(request, pk: int, point_pk: int | None = None):
    meeting = _meeting_for_writing(request, pk)
    point = get_object_or_404(ActionPoint, pk=point_pk, meeting=meeting) if point_pk else ActionPoint(meeting=meeting)

    def save(form):
        if point.pk:
            saved, created = save_form_if_unchanged(form), True
        else:
            saved, created = create_form_once(form, meeting=meeting)
        if not created:
            message = _("This action point was already added.")
        elif saved.due_on:
            message = _("Action point for %(agency)s, due %(day)s saved.") % {
                "agency": saved.owner_agency,
                "day": date_format(saved.due_on, "DATE_FORMAT"),
            }
        else:
            message = _("Action point for %(agency)s saved.") % {"agency": saved.owner_agency}
        return finished(request, f"{meeting.get_absolute_url()}#action-{saved.pk}", message)

    return form_flow(
        request,
        form_class=ActionPointEditForm if point.pk else ActionPointCreateForm,
        form_kwargs={"instance": point},
        template="meetings/section_form.html",
        context={
            "meeting": meeting,
            "heading": _("Action point") if point.pk else _("New action point"),
            "submit": _("Save the action point"),
        },
        save=save,
    )


@login_required
@require_POST
def action_point_delete(request, pk: int, point_pk: int):
    meeting = _meeting_for_writing(request, pk)
    point = get_object_or_404(ActionPoint, pk=point_pk, meeting=meeting)
    point.delete()
    messages.success(request, _("Action point removed."))
    return HttpResponseRedirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#action-points")


# -- documents: agenda, minutes, the action points across meetings ------------------------------------------------

DOCUMENT_FORMATS = (documents.PDF, documents.DOCX)


@login_required
@require_GET
def meeting_document(request, pk: int, kind: str, fmt: str):
    """A meeting's agenda or minutes (with decisions, action points and those carried forward) as PDF or Word."""
    if fmt not in DOCUMENT_FORMATS or kind not in (meeting_documents.AGENDA, meeting_documents.MINUTES):
        raise Http404(_("A meeting's agenda and minutes are made as pdf or docx."))
    try:
        meeting = meeting_for_documents(pk)
    except Meeting.DoesNotExist:
        raise Http404(_("No such meeting.")) from None
    if kind == meeting_documents.AGENDA and not meeting.agenda_items.all():
        messages.info(request, _("This meeting has no agenda yet: there is no agenda to download."))
        return redirect(meeting.get_absolute_url())
    make = meeting_documents.meeting_pdf if fmt == documents.PDF else meeting_documents.meeting_docx
    with written_in(request):  # the fixed words and headings in the language asked for (?language=)
        content = make(meeting, kind)
    day = meeting.starts_on.isoformat() if meeting.starts_on else ""
    return documents.document_response(content, fmt=fmt, name=f"gmg-{kind}-{meeting.title[:60]}-{day}")


def _action_point_query(request) -> tuple[dict, list[str]]:
    """The list's filters from the query string: status, group and the day it is seen as of; errors in words."""
    errors = []
    status = request.GET.get("status") or "open"
    if status not in STATUS_CHOICES:
        errors.append(
            _("“%(value)s” is not a status of action points; choose %(choices)s.")
            % {"value": status[:40], "choices": ", ".join(STATUS_CHOICES)}
        )
        status = "open"
    group = None
    slug = request.GET.get("group", "")
    if slug:
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            errors.append(_("There is no group “%(slug)s”.") % {"slug": slug[:40]})
    # The day the list is seen as of: the portal's `?on=` (kit.as_of), told when unreadable.
    on = as_of_day(request)
    if request.GET.get("on") and as_of_given(request) is None:
        errors.append(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD (e.g. 2015-06-15).")
            % {"value": request.GET["on"][:40]}
        )
    day = date_format(on, "DATE_FORMAT")
    described = (DESCRIBED_OF_GROUP if group else DESCRIBED)[status] % {"group": group, "day": day}
    return {"status": status, "group": group, "on": on, "described": described}, errors


@login_required
@require_GET
def action_point_list(request):
    """The action points across meetings, the open ones carried forward from meeting to meeting, a page at a time
    (the exports have them all)."""
    query, errors = _action_point_query(request)

    def make_page() -> str:
        groups = Group.objects.order_by("kind", "name")
        context = {**query, "errors": errors, "statuses": STATUS_CHOICES, "groups": groups}
        if not errors:
            points = action_points_listed(status=query["status"], group=query["group"])
            listing = paginate(request, points)
            lines = action_point_lines_of(listing.rows, on=query["on"])
            context.update(lines=lines, listing=listing, as_of=as_of_given(request))
        return render_to_string("meetings/_action_point_page.html", context)

    # The filters and the page of points with its count and pages depend on the record, the query and the day
    # alone: kept while the parts of the record it reads do not change (kit.record_version).
    parts = (sorted(request.GET.lists()), query["on"])
    page = record_version.kept("action_points", parts, make_page, reads=("meetings", "groups"))
    return render(
        request,
        "meetings/action_point_list.html",
        {
            **query,
            "page_html": mark_safe(page),  # the page template's own output
            "errors": errors,
            "query": request.GET.urlencode(),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def action_point_export(request, fmt: str):
    """The same list as a PDF, a Word file or CSV."""
    if fmt not in (*DOCUMENT_FORMATS, documents.CSV):
        raise Http404(_("The action points are exported as pdf, docx or csv."))
    query, errors = _action_point_query(request)
    if errors:
        return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
    lines = action_point_lines(on=query["on"], status=query["status"], group=query["group"])
    if fmt == documents.CSV:
        content = meeting_documents.action_points_csv(lines)
    elif fmt == documents.PDF:
        content = meeting_documents.action_points_pdf(lines, described=query["described"])
    else:
        content = meeting_documents.action_points_docx(lines, described=query["described"])
    return documents.document_response(content, fmt=fmt, name=f"gmg-action-points-{query['status']}-{query['on']}")


# -- decisions (support staff, issue 12) ------------------------------------------------------------------------

DECISION_KEEPERS = gettext_lazy("Only the support team records the GMG's decisions.")


def _decision_page(request, form, *, title: str, submit: str, cancel_url: str, status=None, **extra):
    status = status or (400 if request.method == "POST" and form.errors else 200)
    context = {"form": form, "page_title": title, "submit_label": submit, "cancel_url": cancel_url}
    context["crumbs"] = [(_("Decisions"), "meetings:decision_list")]
    return render(request, "groups/record_form.html", {**context, **extra}, status=status)


def _decision_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in DECISION_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    require(can_keep_record(request.user), DECISION_KEEPERS)
    form = DecisionCreateForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        decision, created = decision_record(
            meeting=meeting,
            values=_decision_values(form),
            establishes=form.cleaned_data["establishes"],
            adopts=form.cleaned_data["adopts"],
            token=form.cleaned_data["token"],
        )
        messages.success(
            request,
            _("Decision %(number)s recorded.") % {"number": decision.number} if created else _("Already recorded."),
        )
        return redirect(decision)
    return _decision_page(
        request,
        form,
        title=_("New decision of %(title)s, %(when)s") % {"title": meeting.title, "when": meeting.when},
        submit=_("Record the decision"),
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk: int):
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    require(can_keep_record(request.user), DECISION_KEEPERS)
    form = DecisionEditForm(
        request.POST if request.method == "POST" else None, instance=decision, meeting=decision.meeting
    )
    page = {
        "title": _("Edit decision %(number)s") % {"number": decision.number},
        "submit": _("Save the decision"),
        "cancel_url": decision.get_absolute_url(),
    }
    if request.method == "POST" and form.is_valid():
        try:
            decision = decision_update(
                decision=decision,
                revision=form.cleaned_data["revision"],
                values=_decision_values(form),
                establishes=form.cleaned_data["establishes"],
                adopts=form.cleaned_data["adopts"],
            )
        except EditConflict as conflict:
            data = request.POST.copy()
            data["revision"] = str(conflict.current.revision)
            form = DecisionEditForm(data, instance=Decision.objects.get(pk=pk), meeting=decision.meeting)
            form.is_valid()
            rows = conflict_rows(form, conflict.current, list(DECISION_FIELDS))
            return _decision_page(request, form, status=409, conflict=conflict, conflict_rows=rows, **page)
        messages.success(request, _("Decision %(number)s saved.") % {"number": decision.number})
        return redirect(decision)
    return _decision_page(request, form, **page)


@login_required
@require_http_methods(["GET", "POST"])
def decision_review(request, pk: int):
    """A review's outcome, recorded as a decision of the meeting that reviewed it, linked to the first."""
    reviewed = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    require(can_keep_record(request.user), DECISION_KEEPERS)
    form = DecisionReviewForm(request.POST if request.method == "POST" else None, reviewed=reviewed)
    if request.method == "POST" and form.is_valid():
        decision, created = decision_record(
            meeting=form.cleaned_data["meeting"],
            values=_decision_values(form),
            establishes=form.cleaned_data["establishes"],
            adopts=form.cleaned_data["adopts"],
            reviews=reviewed,
            outcome=form.cleaned_data["outcome"],
            token=form.cleaned_data["token"],
        )
        messages.success(
            request,
            _("The review is recorded: decision %(number)s %(outcome)s.")
            % {"number": reviewed.number, "outcome": decision.get_outcome_display().lower()}
            if created
            else _("Already recorded."),
        )
        return redirect(decision)
    return _decision_page(
        request,
        form,
        title=_("Review of %(decision)s") % {"decision": reviewed},
        submit=_("Record the review"),
        cancel_url=reviewed.get_absolute_url(),
    )
