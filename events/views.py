"""Pages of the calendar of events: the external events the GMG takes part in, the input requests for them
(support staff ask, an asked agency's people answer) and who has answered.

Every write checks `kit.access` on the server; hiding a button is never the check.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from events.access import can_contribute, can_keep_events
from groups.access import is_support
from kit import record_version
from kit.as_of import as_of_day
from kit.audit import record_history
from kit.forms_flow import create_form_once, finished, form_flow, save_form_if_unchanged

from . import selectors
from .forms import ContributionForm, EventCreateForm, EventEditForm, InputRequestCreateForm, InputRequestEditForm
from .models import Contribution, ExternalEvent, InputRequest
from .services import contribution_submit

EVENT_KEEPERS = gettext_lazy("Only the support team keeps the calendar of events and asks agencies for their input.")
CONTRIBUTORS = gettext_lazy("Only the focal points and principals of an agency asked for this input answer it.")


def _page(title: str, *, submit: str, cancel_url: str, crumbs: list, intro: str = "") -> dict:
    return {"page_title": title, "submit_label": submit, "cancel_url": cancel_url, "crumbs": crumbs, "intro": intro}


@login_required
@require_GET
def event_list(request):
    today = as_of_day(request)

    def make_listing() -> str:
        events = list(selectors.event_list())
        context = {
            "coming": [e for e in events if e.last_day >= today],
            "past": [e for e in reversed(events) if e.last_day < today],
        }
        return render_to_string("events/_event_listing.html", context)

    # The events coming and past on a day are the same for every reader: kept while the events do not change
    # (kit.record_version). Only the "Add an event" button is the reader's own.
    listing = record_version.kept("event_list", (today,), make_listing, reads=("events",))
    return render(
        request,
        "events/event_list.html",
        {"listing_html": mark_safe(listing), "can_keep": can_keep_events(request.user)},  # the listing's output
    )


@login_required
@require_GET
def event_detail(request, pk: int):
    try:
        event = selectors.event_with_requests(pk)
    except ExternalEvent.DoesNotExist:
        raise Http404(_("No such event.")) from None
    history = record_history(event.history.all(), InputRequest.history.filter(event_id=event.pk))
    return render(
        request,
        "events/event_detail.html",
        {"event": event, "can_keep": can_keep_events(request.user), "history": history},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    def save(form):
        event, created = create_form_once(form)
        return finished(
            request, event, _("%(event)s added to the calendar.") % {"event": event} if created else _("Already added.")
        )

    return form_flow(
        request,
        form_class=EventCreateForm,
        access=(can_keep_events(request.user), EVENT_KEEPERS),
        template="groups/record_form.html",
        context=_page(
            _("New event"),
            submit=_("Add the event"),
            cancel_url=reverse("events:event_list"),
            crumbs=[(_("Events"), "events:event_list")],
            intro=_("An event outside the GMG that it takes part in: an HLD, a GFMD, a Council or Commission session."),
        ),
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = get_object_or_404(ExternalEvent, pk=pk)

    def save(form):
        saved = save_form_if_unchanged(form)
        return finished(request, saved, _("%(record)s saved.") % {"record": saved})

    return form_flow(
        request,
        form_class=EventEditForm,
        form_kwargs={"instance": event},
        access=(can_keep_events(request.user), EVENT_KEEPERS),
        template="groups/record_form.html",
        context=_page(
            _("Edit %(event)s") % {"event": event},
            submit=_("Save the event"),
            cancel_url=event.get_absolute_url(),
            crumbs=[(_("Events"), "events:event_list"), (str(event), event.get_absolute_url())],
        ),
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request, pk: int):
    event = get_object_or_404(ExternalEvent, pk=pk)

    def save(form):
        asked, created = create_form_once(form, event=event, asked_by=request.user)
        names = ", ".join(a.acronym for a in asked.agencies.order_by("sort_name"))
        due = date_format(asked.due_on, "DATE_FORMAT")
        message = (
            _("Input asked of %(agencies)s by %(day)s.") % {"agencies": names, "day": due}
            if created
            else _("This request was already sent.")
        )
        return finished(request, asked, message)

    return form_flow(
        request,
        form_class=InputRequestCreateForm,
        form_kwargs={"event": event},
        access=(can_keep_events(request.user), EVENT_KEEPERS),
        template="groups/record_form.html",
        context=_page(
            _("Ask for input to %(event)s") % {"event": event},
            submit=_("Ask the agencies"),
            cancel_url=event.get_absolute_url(),
            crumbs=[(_("Events"), "events:event_list"), (str(event), event.get_absolute_url())],
        ),
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request, pk: int):
    """Another due day, another wording, more agencies asked; an agency that has answered stays asked."""
    asked = _request(pk)

    def save(form):
        saved = save_form_if_unchanged(form)
        return finished(
            request, saved, _("Input request saved: due %(day)s.") % {"day": date_format(saved.due_on, "DATE_FORMAT")}
        )

    return form_flow(
        request,
        form_class=InputRequestEditForm,
        form_kwargs={"instance": asked, "event": asked.event},
        access=(can_keep_events(request.user), EVENT_KEEPERS),
        template="groups/record_form.html",
        context=_page(
            _("Edit the input request for %(event)s") % {"event": asked.event},
            submit=_("Save the request"),
            cancel_url=asked.get_absolute_url(),
            crumbs=[(_("Events"), "events:event_list"), (str(asked.event), asked.event.get_absolute_url())],
        ),
        save=save,
    )


def _request(pk: int) -> InputRequest:
    return get_object_or_404(InputRequest.objects.select_related("event"), pk=pk)


@login_required
@require_GET
def request_detail(request, pk: int):
    """Who has answered: each asked agency, answered or not, with its contributions."""
    asked = _request(pk)
    answers = selectors.request_answers(asked)
    person = request.user
    return render(
        request,
        "events/request_detail.html",
        {
            "input_request": asked,
            "event": asked.event,
            "answers": answers,
            "answered": sum(1 for a in answers if a.answered),
            "may_answer": can_contribute(person, asked),
            "can_keep": can_keep_events(person),
            "for_others": is_support(person),
            "today": as_of_day(request),
            "history": record_history(asked.history.all(), Contribution.history.filter(request_id=asked.pk)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_create(request, pk: int):
    """An asked agency's answer: its focal points and principal for their own agency; support staff for any."""
    asked = _request(pk)
    person = request.user
    support = is_support(person)
    agencies = asked.agencies.order_by("sort_name") if support else None

    def save(form):
        agency = form.cleaned_data["agency"] if support else person.agency
        contribution, created = contribution_submit(
            input_request=asked,
            agency=agency,
            author=person,
            text=form.cleaned_data["text"],
            upload=form.cleaned_data["file"],
            token=form.cleaned_data["token"],
        )
        message = (
            _("%(agency)s's input to %(event)s received.") % {"agency": agency, "event": asked.event}
            if created
            else _("This answer was already sent.")
        )
        return finished(request, contribution, message)

    return form_flow(
        request,
        form_class=ContributionForm,
        form_kwargs={"agencies": agencies},
        access=(can_contribute(person, asked), CONTRIBUTORS),
        template="groups/record_form.html",
        context=_page(
            _("Input to %(event)s") % {"event": asked.event},
            submit=_("Send the input"),
            cancel_url=asked.get_absolute_url(),
            crumbs=[(_("Events"), "events:event_list"), (str(asked.event), asked.event.get_absolute_url())],
            intro=_("Asked: %(asked)s Due %(day)s.")
            % {"asked": asked.asked, "day": date_format(asked.due_on, "DATE_FORMAT")},
        ),
        save=save,
    )


@login_required
@require_GET
def contribution_file(request, pk: int):
    contribution = get_object_or_404(Contribution, pk=pk)
    if not contribution.file:
        raise Http404(_("This contribution has no file."))
    try:
        handle = contribution.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is no longer stored.")) from None
    return FileResponse(handle, as_attachment=True, filename=contribution.file_name or contribution.file.name)
