"""Writes of the calendar of events: an agency's contribution to an input request."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from groups.models import Agency
from kit.forms_flow import create_once

from .models import Contribution, InputRequest


def contribution_submit(
    *,
    input_request: InputRequest,
    agency: Agency,
    author,
    text: str = "",
    upload: UploadedFile | None = None,
    token: uuid.UUID | None = None,
) -> tuple[Contribution, bool]:
    """An asked agency's answer, once per form (a second post of the same form returns the first answer).

    The agency must be one of those asked (the register reminds only them, `register.deadlines`); the caller
    checks who may answer for it (`events.access.can_contribute`).
    """
    if not input_request.agencies.filter(pk=agency.pk).exists():
        raise ValueError(f"{agency} was not asked for this input.")
    values = {"request": input_request, "agency": agency, "author": author, "text": text}
    values["submitted_on"] = timezone.localdate()
    if upload is not None:
        values.update(file=upload, file_name=upload.name[:255], file_size=upload.size)
    return create_once(Contribution, token=token, **values)
