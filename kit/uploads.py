"""Files people attach (progress updates, terms of reference, input answers, the archive): the allowed kinds,
and a check that a file is one of them, looks like it inside and is no larger than the limit."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# The kinds of file a focal point may attach to an update (issue 5: "files with type and size checks").
UPDATE_FILE_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "txt", "csv")

# What the first bytes of an allowed file must look like: the name's extension alone proves nothing.
_ZIP = (b"PK\x03\x04",)
FILE_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def check_update_file(upload) -> None:
    """An attached file is one of the allowed types, looks like it inside, and is no larger than the limit."""
    limit = settings.GMG_UPDATE_FILE_MAX_MB * 1024 * 1024
    name = upload.name
    extension = Path(name).suffix.lower().lstrip(".")
    if extension not in UPDATE_FILE_EXTENSIONS:
        allowed = ", ".join(e for e in UPDATE_FILE_EXTENSIONS if e != "jpeg")
        raise ValidationError(
            gettext("%(name)s: this type of file cannot be attached. Attach one of: %(allowed)s.")
            % {"name": name, "allowed": allowed}
        )
    if upload.size > limit:
        raise ValidationError(
            gettext("%(name)s is %(size)s MB; files can be at most %(limit)s MB.")
            % {"name": name, "size": f"{upload.size / 1024 / 1024:.1f}", "limit": settings.GMG_UPDATE_FILE_MAX_MB}
        )
    if upload.size == 0:
        raise ValidationError(gettext("%(name)s is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = FILE_SIGNATURES.get(extension)
    if signatures is not None:
        if not head.startswith(signatures):
            raise ValidationError(
                gettext("%(name)s is not a real .%(extension)s file (its contents do not match its name).")
                % {"name": name, "extension": extension}
            )
    elif b"\x00" in head:
        raise ValidationError(
            gettext("%(name)s is not a plain text file (.%(extension)s).") % {"name": name, "extension": extension}
        )
