"""Chair terms as pages: planned and actual side by side, year by year; a term with its obligations."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from chairs import services
from chairs.selectors import terms_side_by_side
from chairs.services import annual_report_due, letter_of_commitment_due, troika_on
from gmg_portal.access import can_edit_chair_report, can_keep_record, require
from meetings.deadlines import CHAIR_KINDS, obligations

from .forms import ChairRecordForm, RotationChoiceForm, RotationOverrideForm
from .models import ChairTerm


@login_required
def term_list(request):
    today = timezone.localdate()
    periods = terms_side_by_side()
    years = [(year, list(rows)) for year, rows in groupby(periods, key=lambda p: p.starts_on.year)]
    return render(
        request,
        "chairs/chairterm_list.html",
        {"years": list(reversed(years)), "troika": troika_on(today), "today": today},
    )


@login_required
def term_detail(request, pk: int):
    term = get_object_or_404(ChairTerm.objects.select_related("agency", "co_chair"), pk=pk)
    today = timezone.localdate()
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
        },
    )


ROTATION_COUNT = 3


def _proposal_for(form) -> services.Proposal | None:
    """The current proposal the posted form names, or None when the rotation has moved on since the page."""
    for proposal in services.propose_rotation(count=ROTATION_COUNT):
        if proposal.starts_on == form.cleaned_data["starts_on"] and proposal.agency == form.cleaned_data["proposed"]:
            return proposal
    return None


@login_required
def rotation(request):
    """The next chairs by alphabetical rotation; the support team confirms one or plans another agency."""
    override_form = None
    if request.method == "POST":
        require(can_keep_record(request.user), "Only the support team confirms or overrides the chair rotation.")
        overriding = "override" in request.POST
        form = RotationOverrideForm(request.POST) if overriding else RotationChoiceForm(request.POST)
        if form.is_valid():
            proposal = _proposal_for(form)
            if proposal is None:
                messages.error(request, "The rotation has changed since this page was shown: here it is again.")
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
            messages.success(request, f"{term.agency} is now the planned chair for {term.period_label}.")
            return redirect(term.get_absolute_url())
        if overriding:
            override_form = form
        else:
            messages.error(request, "That proposal could not be read; please choose again.")
    proposals = services.propose_rotation(count=ROTATION_COUNT)
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
        {"proposals": forms_by_proposal, "may_confirm": can_keep_record(request.user)},
        status=400 if override_form is not None else 200,
    )


@login_required
def term_record(request, pk: int):
    """The chair's people (and the support team) record when the letter, the plan and the report came."""
    term = get_object_or_404(ChairTerm.objects.select_related("agency"), pk=pk)
    require(
        can_edit_chair_report(request.user, term),
        f"Only {term.agency}'s focal points and principal, with the support team, keep this term's record.",
    )
    form = ChairRecordForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved the record of {term.agency}'s {term.period_label} term.")
        return redirect(term.get_absolute_url())
    return render(request, "chairs/term_record.html", {"term": term, "form": form}, status=400 if form.errors else 200)
