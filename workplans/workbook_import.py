"""A plan's edited workbook, previewed, kept for the editor's confirmation, then applied once, all or nothing
(`workplans.spreadsheets` reads and writes the workbook; its writes go through `workplans.services`)."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workplans import spreadsheets
from workplans.models import WorkPlan, WorkPlanImport


def workplan_import_preview(*, plan: WorkPlan, upload: UploadedFile, user=None):
    """Check an uploaded workbook and preview what it would change in the plan; keep it for the editor's
    confirmation only when it can be applied (and changes something).

    Gives (the preview, the kept import or None); raises spreadsheets.SpreadsheetRefused when the file as a whole
    cannot be read, its reasons in words.
    """
    if upload.size > spreadsheets.MAX_FILE_BYTES:
        raise spreadsheets.SpreadsheetRefused(
            [
                _("The file is %(size)s MB; a work plan workbook is at most %(most)s MB.")
                % {"size": f"{upload.size / 2**20:.0f}", "most": spreadsheets.MAX_FILE_BYTES // 2**20}
            ]
        )
    data = upload.read()
    preview = spreadsheets.preview_import(plan, data)
    if not preview.ok or preview.is_empty:
        return preview, None
    token = uuid.uuid4()
    kept = WorkPlanImport.objects.create(
        workplan=plan,
        token=token,
        file=ContentFile(data, name=f"{token}.xlsx"),
        file_name=upload.name[:255],
        uploaded_by=user,
    )
    return preview, kept


def workplan_import_apply(*, upload: WorkPlanImport, user=None) -> dict[str, int] | None:
    """Apply a kept workbook, once and all or nothing: the counts of activities added, changed and removed, or None
    when it was already applied.

    The claim comes first: a confirmation posted twice finds the import applied and applies nothing again. The
    workbook is previewed again against the plan as it is now; raises spreadsheets.ImportConflict (or
    SpreadsheetRefused) when it no longer applies, and then nothing is applied nor claimed.
    """
    with transaction.atomic():
        if not WorkPlanImport.objects.filter(pk=upload.pk, applied_at__isnull=True).update(applied_at=timezone.now()):
            return None
        with upload.file.open("rb") as stored:
            preview = spreadsheets.preview_import(upload.workplan, stored.read())
        if not preview.ok:
            raise spreadsheets.ImportConflict(
                _("The plan changed since the preview: %(problems)s")
                % {"problems": "; ".join(str(e.message) for e in preview.errors[:5])}
            )
        counts = spreadsheets.apply_import(preview, user=user)
        WorkPlanImport.objects.filter(pk=upload.pk).update(summary=counts)
    return counts
