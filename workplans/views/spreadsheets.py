"""Work plan pages for spreadsheets: export to XLSX and CSV, upload an edited workbook, preview, confirm.

Only the plan's editors (workplans/access.py: can_edit_workplan) export and import. Nothing is applied until
the editor confirms the preview; the confirmation applies the stored workbook once, all or nothing.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kit.access import require
from workplans import spreadsheets, workbook_import
from workplans.access import can_edit_workplan
from workplans.forms import WorkbookForm
from workplans.models import WorkPlan, WorkPlanImport

EDITORS_ONLY = gettext_lazy("Only the plan's editors export it to a spreadsheet and import an edited one.")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _editable_plan(request, slug: str) -> WorkPlan:
    plan = get_object_or_404(WorkPlan, slug=slug)
    require(can_edit_workplan(request.user, plan), EDITORS_ONLY)
    return plan


@login_required
@require_GET
def workplan_export(request, slug: str, fmt: str):
    plan = _editable_plan(request, slug)
    if fmt == "xlsx":
        response = HttpResponse(spreadsheets.export_xlsx(plan), content_type=XLSX)
    else:
        response = HttpResponse(spreadsheets.export_csv(plan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def workplan_import(request, slug: str):
    """Upload: the workbook is checked and previewed; it is kept only when it can be applied."""
    plan = _editable_plan(request, slug)
    form = WorkbookForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    context = {"plan": plan, "form": form, "refused": [], "preview": None, "upload": None}
    if request.method == "POST" and form.is_valid():
        try:
            context["preview"], context["upload"] = workbook_import.workplan_import_preview(
                plan=plan, upload=form.cleaned_data["workbook"], user=request.user
            )
        except spreadsheets.SpreadsheetRefused as refusal:
            context["refused"] = refusal.reasons
    failed = bool(context["refused"]) or (context["preview"] is not None and not context["preview"].ok)
    return render(request, "workplans/import.html", context, status=400 if failed or form.errors else 200)


@login_required
@require_POST
def workplan_import_apply(request, token: str):
    try:
        token = uuid.UUID(token)
    except ValueError:
        raise Http404(_("No such import.")) from None
    upload = get_object_or_404(WorkPlanImport.objects.select_related("workplan"), token=token)
    plan = upload.workplan
    require(can_edit_workplan(request.user, plan), EDITORS_ONLY)
    if upload.uploaded_by_id != request.user.pk:
        raise Http404(_("No such import."))
    try:
        counts = workbook_import.workplan_import_apply(upload=upload, user=request.user)
    except (spreadsheets.ImportConflict, spreadsheets.SpreadsheetRefused) as problem:
        messages.error(request, _("Nothing was applied. %(problem)s") % {"problem": problem})
        return redirect("workplans:workplan_import", slug=plan.slug)
    if counts is None:
        messages.info(request, _("This workbook was already applied."))
        return redirect(plan)
    messages.success(
        request,
        _("Applied: %(added)s activities added, %(changed)s changed, %(removed)s removed.") % counts,
    )
    return redirect(plan)
