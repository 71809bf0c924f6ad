"""Writes of the archive: a document with its first version, a new version (the old ones kept)."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from kit.forms_flow import create_form_once, create_once

from .models import Document, DocumentVersion
from .text import ReadText


def document_create(form, *, upload: UploadedFile, read: ReadText, author) -> tuple[Document, bool]:
    """The document of a creating form and its first version, once per form (a second post returns the first)."""
    with transaction.atomic():
        document, created = create_form_once(form, text=read.text)
        if created:
            _add_version(document, upload=upload, read=read, author=author, note="", token=None)
    return document, created


def version_add(
    document: Document, *, upload: UploadedFile, read: ReadText, author, note: str = "", token: uuid.UUID | None = None
) -> tuple[DocumentVersion, bool]:
    """A new version of the document, numbered after the last; its text becomes the document's searched text.

    A version whose text could not be read (archive/text.py) leaves the searched text empty: the search must not
    find the document by words the latest version may no longer hold."""
    existing = DocumentVersion.objects.filter(token=token).first() if token is not None else None
    if existing is not None:
        return existing, False
    with transaction.atomic():
        # The document's row is locked so that two uploads at once get two numbers, not one.
        locked = Document.objects.select_for_update().get(pk=document.pk)
        version, created = _add_version(locked, upload=upload, read=read, author=author, note=note, token=token)
        if created:
            Document.objects.filter(pk=locked.pk).update(text=read.text)
    return version, created


def _add_version(document, *, upload, read: ReadText, author, note, token) -> tuple[DocumentVersion, bool]:
    last = document.versions.aggregate(last=Max("number"))["last"] or 0
    return create_once(
        DocumentVersion,
        token=token,
        document=document,
        number=last + 1,
        file=upload,
        file_name=upload.name[:255],
        file_size=upload.size,
        text=read.text,
        text_problem=read.problem[:300],
        note=note,
        uploaded_by=author,
    )
