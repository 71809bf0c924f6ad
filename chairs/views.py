"""Chair terms as pages: planned and actual side by side, year by year; a term with its obligations."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from chairs.selectors import terms_side_by_side
from chairs.services import annual_report_due, letter_of_commitment_due, troika_on
from meetings.deadlines import CHAIR_KINDS, obligations

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
        },
    )
