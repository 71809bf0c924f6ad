"""Work plan pages for spreadsheets: export to XLSX and CSV, upload an edited workbook, preview, confirm.

Only the plan's editors (workplans/access.py: can_edit_workplan) export and import. Nothing is applied until
the editor confirms the preview; the confirmation applies the stored workbook once, all or nothing.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.access import can_keep_record
from kit.access import require
from workplans import spreadsheets
from workplans.access import can_edit_workplan
from workplans.models import WorkPlan, WorkPlanImport

EDITORS_ONLY = "Only the plan's editors export it to a spreadsheet and import an edited one."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label="Edited workbook (.xlsx) or CSV file (.csv)",
        help_text=f"The file exported from this page, edited; at most {spreadsheets.MAX_FILE_BYTES // 2**20} MB.",
    )


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
        upload = form.cleaned_data["workbook"]
        if upload.size > spreadsheets.MAX_FILE_BYTES:
            context["refused"] = [
                f"The file is {upload.size / 2**20:.0f} MB; a work plan workbook is at most "
                f"{spreadsheets.MAX_FILE_BYTES // 2**20} MB."
            ]
        else:
            data = upload.read()
            try:
                preview = spreadsheets.preview_import(plan, data)
            except spreadsheets.SpreadsheetRefused as refusal:
                context["refused"] = refusal.reasons
            else:
                context["preview"] = preview
                if preview.ok and not preview.is_empty:
                    token = uuid.uuid4()
                    context["upload"] = WorkPlanImport.objects.create(
                        workplan=plan,
                        token=token,
                        file=ContentFile(data, name=f"{token}.xlsx"),
                        file_name=upload.name[:255],
                        uploaded_by=request.user,
                    )
    failed = bool(context["refused"]) or (context["preview"] is not None and not context["preview"].ok)
    return render(request, "workplans/import.html", context, status=400 if failed or form.errors else 200)


@login_required
@require_POST
def workplan_import_apply(request, token: str):
    try:
        token = uuid.UUID(token)
    except ValueError:
        raise Http404("No such import.") from None
    upload = get_object_or_404(WorkPlanImport.objects.select_related("workplan"), token=token)
    plan = upload.workplan
    require(can_edit_workplan(request.user, plan), EDITORS_ONLY)
    if upload.uploaded_by_id != request.user.pk:
        raise Http404("No such import.")
    try:
        with transaction.atomic():
            # The claim: a confirmation posted twice finds the import applied and applies nothing again.
            if not WorkPlanImport.objects.filter(pk=upload.pk, applied_at__isnull=True).update(
                applied_at=timezone.now()
            ):
                messages.info(request, "This workbook was already applied.")
                return redirect(plan)
            with upload.file.open("rb") as stored:
                preview = spreadsheets.preview_import(plan, stored.read())
            if not preview.ok:
                raise spreadsheets.ImportConflict(
                    "The plan changed since the preview: " + "; ".join(e.message for e in preview.errors[:5])
                )
            counts = spreadsheets.apply_import(preview, user=request.user)
            WorkPlanImport.objects.filter(pk=upload.pk).update(summary=counts)
    except (spreadsheets.ImportConflict, spreadsheets.SpreadsheetRefused) as problem:
        messages.error(request, f"Nothing was applied. {problem}")
        return redirect("workplans:workplan_import", slug=plan.slug)
    messages.success(
        request,
        f"Applied: {counts['added']} activities added, {counts['changed']} changed, {counts['removed']} removed.",
    )
    return redirect(plan)


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
