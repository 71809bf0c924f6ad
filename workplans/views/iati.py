"""A plan as open data: its activities as an IATI 2.03 XML file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from groups.access import can_keep_record
from workplans.models import WorkPlan


@login_required
@require_GET
def workplan_iati(request, slug: str):
    """Open data: everyone who reads the plan may take its activities as IATI 2.03 XML; while IATI's rules would
    reject the file, the page lists what is missing instead."""
    from workplans.iati import IatiProblems, export_iati

    plan = get_object_or_404(WorkPlan, slug=slug)
    try:
        xml = export_iati(plan)
    except IatiProblems as refused:
        context = {"plan": plan, "problems": refused.problems, "may_keep": can_keep_record(request.user)}
        return render(request, "workplans/iati_problems.html", context, status=409)
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-iati.xml"'
    return response
