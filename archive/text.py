"""The text inside an uploaded document, read once at upload so that the portal's search finds it.

PDF with pypdf, Word (.docx) with python-docx, PowerPoint (.pptx) with python-pptx, text and CSV as they are.
The other allowed types (spreadsheets, images) have no text taken from them. A file that has the right first
bytes but cannot be read (a damaged PDF) is refused with a clear message: a document the archive cannot read
is not searchable, and the person can try another copy.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)

# The archive keeps at most this many characters of a document's text (a 300-page report holds about 1 MB).
MAX_TEXT = 2_000_000


def _pdf(upload) -> str:
    from pypdf import PdfReader

    reader = PdfReader(upload)
    return "\n\n".join((page.extract_text() or "") for page in reader.pages)


def _docx(upload) -> str:
    from docx import Document

    document = Document(upload)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pptx(upload) -> str:
    from pptx import Presentation

    slides = []
    for slide in Presentation(upload).slides:
        lines = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    lines.append("\t".join(cell.text for cell in row.cells))
        slides.append("\n".join(lines))
    return "\n\n".join(slides)


def _plain(upload) -> str:
    # A CSV saved by Excel or the portal starts with a byte-order mark, which is no part of the text.
    return upload.read().decode("utf-8-sig", errors="replace")


READERS = {"pdf": _pdf, "docx": _docx, "pptx": _pptx, "txt": _plain, "csv": _plain}


def extract_text(upload) -> str:
    """The text of an upload already checked by `workplans.forms.check_update_file` ('' for images, sheets)."""
    extension = Path(upload.name).suffix.lower().lstrip(".")
    reader = READERS.get(extension)
    if reader is None:
        return ""
    upload.seek(0)
    try:
        text = reader(upload)
    except Exception as error:  # every library raises its own errors for a damaged file
        log.info("archive: cannot read %s: %s", upload.name, error)
        raise ValidationError(
            f"{upload.name} cannot be read as a .{extension} file (it may be damaged or protected). "
            "Save it again from the program that made it, or upload another copy."
        ) from None
    finally:
        upload.seek(0)
    return " ".join(text.replace("\x00", "").split(" "))[:MAX_TEXT].strip()
