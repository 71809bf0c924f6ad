"""What the website's tests share: a small real PNG in the archive, and a support officer."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from archive.models import Document, DocumentVersion


def png_bytes(color=(11, 79, 113)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(out, format="PNG")
    return out.getvalue()


def archive_image(key: str = "gfmd-photo", title: str = "GFMD 2015 opening session") -> Document:
    document = Document.objects.create(key=key, title=title, kind="other", text="")
    DocumentVersion.objects.create(
        document=document,
        number=1,
        file=SimpleUploadedFile(f"{key}.png", png_bytes(), "image/png"),
        file_name=f"{key}.png",
        file_size=100,
    )
    return document
