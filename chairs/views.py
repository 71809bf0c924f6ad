"""Chair terms as pages: planned and actual side by side, year by year; a term with its obligations."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chairs import services
from chairs.access import can_edit_chair_report, can_tick_chair_functions
from chairs.selectors import terms_side_by_side
from chairs.services import troika_on
from groups.access import can_keep_record
from kit import record_version
from kit.access import require
from kit.as_of import as_of_day, as_of_given
from kit.forms_flow import create_form_once, finished, form_flow, save_form_if_unchanged

from .forms import (
    ChairFunctionTickForm,
    ChairRecordForm,
    ReportSubmittedForm,
    ReportTextForm,
    RotationChoiceForm,
    RotationOverrideForm,
)
from .models import ChairFunction, ChairTerm


@login_required
@require_GET
def term_list(request):
    today = as_of_day(request)

    def make_terms() -> str:
        periods = terms_side_by_side()
        years = [(year, list(rows)) for year, rows in groupby(periods, key=lambda p: p.starts_on.year)]
        context = {"years": list(reversed(years)), "troika": troika_on(today), "today": today}
        return render_to_string("chairs/_chairterm_listing.html", context)

    # The terms side by side and the troika of the day are the same for every reader: kept while the chairs and
    # agencies do not change (kit.record_version).
    terms = record_version.kept("term_list", (today,), make_terms, reads=("chairs", "groups"))
    return render(request, "chairs/chairterm_list.html", {"terms_html": mark_safe(terms)})  # the listing's output


TICKERS = gettext_lazy(
    "Only %(agency)s's focal points and principal, with the support team, tick this term's functions of the Chair."
)


@login_required
@require_http_methods(["GET", "POST"])
def function_tick(request, pk: int, function_pk: int):
    """Tick one function of the Chair (Annex I) as done for the term: the day, who said so, kept in the history."""
    term = get_object_or_404(ChairTerm.objects.select_related("agency"), pk=pk)
    function = get_object_or_404(ChairFunction, pk=function_pk)

    def save(form):
        tick, made = create_form_once(form, term=term, function=function, ticked_by=request.user)
        if not made:
            return finished(request, term, _("This function was already ticked."), level=messages.INFO)
        return finished(
            request,
            term,
            _("%(function)s is ticked as done on %(day)s.")
            % {"function": function, "day": date_format(tick.done_on, "DATE_FORMAT")},
        )

    return form_flow(
        request,
        access=(can_tick_chair_functions(request.user, term), TICKERS % {"agency": term.agency}),
        form_class=ChairFunctionTickForm,
        form_kwargs={"term": term, "function": function},
        template="chairs/function_tick.html",
        context={"term": term, "function": function},
        save=save,
    )


ROTATION_COUNT = 3


def _proposal_for(form) -> services.Proposal | None:
    """The current proposal the posted form names, or None when the rotation has moved on since the page."""
    for proposal in services.chair_succession(timezone.localdate(), pending=ROTATION_COUNT).pending:
        if proposal.starts_on == form.cleaned_data["starts_on"] and proposal.agency == form.cleaned_data["proposed"]:
            return proposal
    return None


@login_required
@require_http_methods(["GET", "POST"])
def rotation(request):
    """The next chairs by alphabetical rotation; the support team confirms one or plans another agency."""
    override_form = None
    if request.method == "POST":
        require(can_keep_record(request.user), _("Only the support team confirms or overrides the chair rotation."))
        overriding = "override" in request.POST
        form = RotationOverrideForm(request.POST) if overriding else RotationChoiceForm(request.POST)
        if form.is_valid():
            proposal = _proposal_for(form)
            if proposal is None:
                messages.error(request, _("The rotation has changed since this page was shown: here it is again."))
                return redirect("chairs:rotation")
            try:
                if overriding:
                    term = services.override_proposal(
                        proposal,
                        agency=form.cleaned_data["agency"],
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                else:
                    term = services.confirm_proposal(proposal, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("chairs:rotation")
            messages.success(
                request,
                _("%(agency)s is now the planned chair for %(period)s.")
                % {"agency": term.agency, "period": term.period_label},
            )
            return redirect(term.get_absolute_url())
        if overriding:
            override_form = form
        else:
            messages.error(request, _("That proposal could not be read; please choose again."))
    # Seen as of a day (`?on=`), the rotation as it stood then; proposals are confirmed only as of today.
    seen_on = as_of_day(request)
    succession = services.chair_succession(seen_on, pending=ROTATION_COUNT)
    proposals = succession.pending
    forms_by_proposal = []
    for number, proposal in enumerate(proposals, start=1):
        initial = {"starts_on": proposal.starts_on, "proposed": proposal.agency}
        # One page, several forms: each its own element ids, so every label names its own field.
        auto_id = f"id_rotation{number}_%s"
        override = RotationOverrideForm(initial=initial, auto_id=auto_id)
        if override_form is not None and override_form.data.get("starts_on") == proposal.starts_on.isoformat():
            override, override.auto_id = override_form, auto_id
        forms_by_proposal.append(
            (proposal, RotationChoiceForm(initial=initial, auto_id=f"id_confirm{number}_%s"), override)
        )
    return render(
        request,
        "chairs/rotation.html",
        {
            "proposals": forms_by_proposal,
            "lapsed": succession.lapsed,
            "may_confirm": can_keep_record(request.user) and as_of_given(request) in (None, timezone.localdate()),
            "seen_on": seen_on,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_record(request, pk: int):
    """The chair's people (and the support team) record when the letter, the plan and the report came."""
    term = get_object_or_404(ChairTerm.objects.select_related("agency"), pk=pk)

    def save(form):
        save_form_if_unchanged(form)
        return finished(
            request,
            term,
            _("Saved the record of %(agency)s's %(period)s term.")
            % {"agency": term.agency, "period": term.period_label},
        )

    return form_flow(
        request,
        access=(
            can_edit_chair_report(request.user, term),
            _("Only %(agency)s's focal points and principal, with the support team, keep this term's record.")
            % {"agency": term.agency},
        ),
        form_class=ChairRecordForm,
        form_kwargs={"instance": term},
        template="chairs/term_record.html",
        context={"term": ChairTerm.objects.select_related("agency").get(pk=pk)},
        save=save,
    )


# -- the annual report ----------------------------------------------------------------------------------------

REPORT_WRITERS = gettext_lazy(
    "Only %(agency)s's focal points and principal, with the support team, write this term's report."
)


def _term(pk: int) -> ChairTerm:
    return get_object_or_404(ChairTerm.objects.select_related("agency", "co_chair"), pk=pk)


@login_required
def report_edit(request, pk: int):
    """The chair's people and the support team write the introduction and highlights; each save is a version."""
    term = _term(pk)
    require(can_edit_chair_report(request.user, term), REPORT_WRITERS % {"agency": term.agency})
    current = services.report_text_current(term)
    versions = list(term.report_versions.select_related("saved_by").order_by("-revision"))
    context = {"term": term, "current": current, "versions": versions}
    if request.method == "POST":
        form = ReportTextForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                version, created = services.report_text_save(
                    term=term,
                    introduction=data["introduction"].strip(),
                    highlights=data["highlights"].strip(),
                    revision=data["revision"],
                    token=data["token"],
                    by=request.user,
                )
            except services.ReportConflict as conflict:
                theirs = conflict.current
                form = ReportTextForm(
                    {**request.POST.dict(), "revision": theirs.revision if theirs else 0},
                )
                form.is_valid()
                context["conflict"] = {
                    "message": _("Someone saved the report's text since you opened this page."),
                    "saved_by": theirs.saved_by if theirs else "",
                }
                context["conflict_rows"] = [
                    (_("Introduction"), theirs.introduction if theirs else "", data["introduction"]),
                    (_("Highlights"), theirs.highlights if theirs else "", data["highlights"]),
                ]
                return render(request, "chairs/report_edit.html", {**context, "form": form}, status=409)
            if created:
                messages.success(request, _("Saved version %(n)s of the report's text.") % {"n": version.revision})
            else:
                messages.info(request, _("Nothing new to save: the report's text is as it was."))
            return redirect("chairs:report", pk=term.pk)
    else:
        form = ReportTextForm(
            initial={
                "introduction": current.introduction if current else "",
                "highlights": current.highlights if current else "",
                "revision": current.revision if current else 0,
            }
        )
    return render(request, "chairs/report_edit.html", {**context, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def report_submit(request, pk: int):
    """Mark the report submitted: the register's annual-report obligation for the term is then done."""
    term = _term(pk)
    require(can_edit_chair_report(request.user, term), REPORT_WRITERS % {"agency": term.agency})
    form = ReportSubmittedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the report was submitted, as a date (e.g. 2015-02-20)."))
        return redirect("chairs:report", pk=term.pk)
    try:
        recorded = services.annual_report_mark_submitted(
            term=term, on=form.cleaned_data["submitted_on"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("chairs:report", pk=term.pk)
    day = date_format(term.annual_report_submitted_on, "DATE_FORMAT")
    if recorded:
        messages.success(
            request, _("The report is marked submitted on %(day)s; the obligation is done.") % {"day": day}
        )
    else:
        messages.info(request, _("The report was already marked submitted on %(day)s.") % {"day": day})
    return redirect("chairs:report", pk=term.pk)
