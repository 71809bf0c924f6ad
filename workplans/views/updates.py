"""Progress updates and their review loop - filed by a focal point, returned and resubmitted, accepted - with
their attachments, an agency's activities to report on, and the reporting rounds that ask for them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from groups.access import is_support
from groups.models import Person
from kit import record_version
from kit.access import require
from kit.as_of import as_of_day, as_of_given
from kit.audit import record_history
from kit.forms_flow import finished, form_flow, form_values
from kit.pagination import paginate
from workplans import selectors, services
from workplans.access import can_change_update, can_open_reporting_round, can_report_on, can_review_updates
from workplans.filters import ActivityFilter
from workplans.forms import ActivityUpdateForm, ActivityUpdateResubmitForm, ReportingRoundForm, UpdateReviewForm
from workplans.models import Activity, ActivityUpdate, ReportingRound, UpdateAttachment

# -- progress updates ---------------------------------------------------------------------------------------------


REPORT_REFUSED = gettext_lazy(
    "Only a focal point of an agency that leads or takes part in this activity (or the support team) reports on it."
)


@login_required
@require_http_methods(["GET", "POST"])
def activity_report(request, pk: int):
    """A focal point files a progress update; the agency comes from the person, never from the form."""
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    agencies = selectors.agencies_reported_for(request.user, activity)

    def save(form):
        data = form.cleaned_data
        update, created = services.activity_update_submit(
            activity=activity,
            author=request.user,
            agency=data["agency"] if agencies is not None else request.user.agency,
            status=data["status"],
            narrative=data["narrative"],
            links=data["links"],
            files=data["files"],
            token=data["token"],
        )
        message = (
            _("Your update is filed; the support team will review it.")
            if created
            else _("This update was already filed.")
        )
        return finished(request, update, message)

    return form_flow(
        request,
        access=(can_report_on(request.user, activity), REPORT_REFUSED),
        form_class=ActivityUpdateForm,
        form_kwargs={"agencies": agencies, "initial": {"status": activity.status}},
        template="workplans/update_form.html",
        context={
            "activity": activity,
            "updates": activity.updates.select_related("agency", "author", "reviewed_by").prefetch_related(
                "attachments"
            ),
            "page_title": _("Report progress on activity %(number)s") % {"number": activity.number},
            "action": reverse("workplans:activity_report", args=[activity.pk]),
            "open_rounds": selectors.reporting_rounds_open_on(as_of_day(request), activity),
        },
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_resubmit(request, pk: int):
    update = get_object_or_404(ActivityUpdate.objects.select_related("activity__output__stream__workplan"), pk=pk)
    require(can_change_update(request.user, update), _("Only the agency that filed this update changes it."))
    if update.review != ActivityUpdate.Review.RETURNED:
        return finished(
            request,
            update,
            _("This update is not returned for changes; there is nothing to resubmit."),
            level=messages.INFO,
        )
    known = [a.url for a in update.attachments.all() if a.url]

    def save(form):
        data = form.cleaned_data
        try:
            services.activity_update_resubmit(
                update=update,
                author=request.user,
                status=data["status"],
                narrative=data["narrative"],
                links=[link for link in data["links"] if link not in known],
                files=data["files"],
            )
        except services.ReviewConflict as conflict:
            return finished(request, update, str(conflict), level=messages.ERROR)
        return finished(request, update, _("Your update is resubmitted for review."))

    return form_flow(
        request,
        form_class=ActivityUpdateResubmitForm,
        form_kwargs={"initial": {"status": update.status, "narrative": update.narrative, "links": "\n".join(known)}},
        template="workplans/update_form.html",
        context={
            "activity": update.activity,
            "returned": update,
            "page_title": _("Answer the returned update on activity %(number)s") % {"number": update.activity.number},
            "action": reverse("workplans:update_resubmit", args=[update.pk]),
            "open_rounds": selectors.reporting_rounds_open_on(as_of_day(request), update.activity),
        },
        save=save,
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def update_review(request, pk: int):
    update = get_object_or_404(ActivityUpdate.objects.select_related("activity", "agency"), pk=pk)
    back = _safe_next(request, update.get_absolute_url())

    def save(form):
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.activity_update_review(
                update=update, accept=accept, comment=form.cleaned_data["comment"], reviewer=request.user
            )
        except services.ReviewConflict as conflict:
            return finished(request, back, str(conflict), level=messages.ERROR)
        return finished(
            request,
            back,
            (_("%(agency)s's update accepted.") if accept else _("%(agency)s's update returned with your comment."))
            % {"agency": update.agency},
        )

    return form_flow(
        request,
        access=(can_review_updates(request.user), _("Only the support team accepts or returns updates.")),
        form_class=UpdateReviewForm,
        template="workplans/review_page.html",
        context={"update": update, "next": back},
        save=save,
    )


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = get_object_or_404(UpdateAttachment.objects.select_related("update__activity"), pk=pk)
    if attachment.is_link:
        # A focal point typed the address: show it before leaving the portal, never redirect blindly.
        scheme = attachment.url.split(":", 1)[0].lower()
        return render(
            request,
            "workplans/leaving.html",
            {
                "attachment": attachment,
                "followable": scheme in {"http", "https"},
                "activity": attachment.update.activity,
            },
        )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is no longer stored.")) from None
    return FileResponse(handle, as_attachment=True, filename=attachment.file_name or attachment.file.name)


@login_required
@require_GET
def my_activities(request):
    """ "My agency's activities": what the person's agency leads or takes part in, filterable."""
    agency = request.user.agency
    if agency is None:
        return render(request, "workplans/my_activities.html", {"agency": None}, status=200)
    today = as_of_day(request)
    can_report = request.user.role == Person.Role.FOCAL_POINT or is_support(request.user)

    def make_listing() -> str:
        activities = Activity.objects.involving(agency).in_plan_order()
        open_rounds = selectors.reporting_rounds_open_on(today)
        activity_filter = ActivityFilter(
            request.GET or None, queryset=activities, day=today, agency=agency, rounds=open_rounds
        )
        # The page's ids come in plan order from the stored key's index; only the rows shown are then read.
        listing = paginate(
            request,
            activity_filter.qs,
            read=lambda pks: selectors.agency_activity_rows(pks, agency=agency, day=today),
            count=None if activity_filter.narrows else lambda: selectors.involving_count(agency),
        )
        context = {
            "agency": agency,
            "filter": activity_filter,
            "activities": listing.rows,
            "listing": listing,
            "can_report": can_report,
            "open_rounds": open_rounds,
            "as_of": as_of_given(request),
        }
        return render_to_string("workplans/_my_activities_listing.html", context)

    # The same for everyone of the agency who may report (the rows, the filters, the rounds open on the day): kept
    # while the parts of the record it reads do not change (kit.record_version).
    parts = (agency.pk, can_report, today, as_of_given(request), sorted(request.GET.lists()))
    listing = record_version.kept("my_activities", parts, make_listing, reads=("workplans", "groups", "chairs"))
    return render(request, "workplans/my_activities.html", {"agency": agency, "listing_html": mark_safe(listing)})


# -- reporting rounds ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request):
    today = as_of_day(request)

    def make_listing() -> str:
        listing = paginate(request, ReportingRound.objects.select_related("workplan"))
        context = {"rounds": listing.rows, "listing": listing, "today": today}
        return render_to_string("workplans/_round_listing.html", context)

    # The page of rounds (past or not on the day) is the same for every reader: kept while the plans do not
    # change (kit.record_version). Only the button to open a round is the reader's own.
    listing = record_version.kept(
        "round_list", (sorted(request.GET.lists()), today), make_listing, reads=("workplans", "groups")
    )
    return render(
        request,
        "workplans/round_list.html",
        {"listing_html": mark_safe(listing), "can_open": can_open_reporting_round(request.user)},  # its own output
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    def save(form):
        values = form_values(form)
        round, created = services.reporting_round_open(user=request.user, token=form.cleaned_data["token"], **values)
        message = (
            _("Reporting round “%(round)s” opened; updates are due on %(due)s.")
            % {"round": round, "due": date_format(round.due_on, "DATE_FORMAT")}
            if created
            else _("This reporting round was already opened.")
        )
        return finished(request, round, message)

    return form_flow(
        request,
        access=(can_open_reporting_round(request.user), _("Only the support team opens reporting rounds.")),
        form_class=ReportingRoundForm,
        template="workplans/form_page.html",
        context={
            "page_title": _("Open a reporting round"),
            "form_id": "round-form",
            "action": reverse("workplans:round_create"),
            "submit_label": _("Open the round"),
            "cancel_url": reverse("workplans:round_list"),
        },
        save=save,
    )


@login_required
@require_GET
def round_detail(request, pk: int):
    round = get_object_or_404(ReportingRound.objects.select_related("workplan"), pk=pk)

    def make_overview() -> dict:
        rows, waiting = selectors.reporting_round_overview(round)
        missing_list = selectors.reporting_round_missing_agencies(rows)
        return {
            "activity_pks": [row["activity"]["pk"] for row in rows],
            "waiting": waiting,
            "missing_count": len(missing_list),
            "missing_html": render_to_string("workplans/_round_missing.html", {"missing": missing_list}),
            "scope_html": render_to_string("workplans/_round_scope.html", {"rows": rows}),
        }

    # The page depends on the record, the day, the page of the queue and the kind of reader alone (whether they
    # review, whether they are support staff): kept while its plan (every plan for a round over all of them) and
    # the agencies do not change (kit.record_version). Its review forms' CSRF token is the reader's own.
    today = as_of_day(request)
    can_review = can_review_updates(request.user)

    def make_page() -> str:
        overview = make_overview()
        overview = {**overview, "missing_html": mark_safe(overview["missing_html"])}
        overview["scope_html"] = mark_safe(overview["scope_html"])
        # The review queue, a page at a time (each update is shown whole, with its attachments).
        pending = paginate(
            request,
            selectors.reporting_round_to_review(round, overview["activity_pks"]),
            per_page=20,
            count=lambda: overview["waiting"],  # the answers the overview read, those waiting for review
        )
        context = {
            "round": round,
            "overview": overview,
            "pending": pending,
            "can_review": can_review,
            "review_form": UpdateReviewForm(),
            "today": today,
            "history": record_history(round.history.all()),
            "next_path": request.get_full_path(),
            "user": request.user,  # what the page shows of the reader is in the kept page's parts
            "csrf_token": record_version.CSRF_SLOT,
        }
        return render_to_string("workplans/_round_page.html", context)

    reads = (f"workplan:{round.workplan_id}",) if round.workplan_id else ("workplans",)
    parts = (round.pk, today, request.get_full_path(), can_review, is_support(request.user))
    page = record_version.kept("round_page", parts, make_page, reads=(*reads, "groups"))
    return render(
        request,
        "workplans/round_detail.html",
        {"round": round, "page": mark_safe(record_version.with_csrf(page, request))},  # the page template's own
    )
