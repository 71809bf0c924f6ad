"""The text inside an uploaded document, read once at upload so that the portal's search finds it.

PDF with pypdf, Word (.docx) and PowerPoint (.pptx) by streaming their XML parts with lxml, text and CSV as they
are. The other allowed types (spreadsheets, images) have no text taken from them.

A hostile file must not hold the server: an 8 KB .docx can unpack to megabytes of XML, a PDF can hold a huge
object stream or thousands of pages. So:
- an Office file is checked as bytes first (kit.office_files: unpacked size, parts, XML elements, no
  DOCTYPE or entities) and refused with the reason;
- the text is read in a separate process that limits its own time and memory (RLIMIT_CPU, RLIMIT_AS; the web
  process adds a wall clock), reading at most MAX_PDF_PAGES pages and MAX_TEXT characters; the web process never
  parses the file;
- a file the reader finds damaged is refused with a clear message (the person can try another copy); a file
  whose reading runs out of time or memory is kept, and its page says its text could not be read, and why.
"""

from __future__ import annotations

import json
import logging
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# The archive keeps at most this many characters of a document's text (a 300-page report holds about 1 MB).
MAX_TEXT = 2_000_000
# A PDF's pages beyond this are not read (the GMG's longest reports have about 200).
MAX_PDF_PAGES = 1000
# What an Office document may unpack to before its text is read (a 300-page report is about 5 MB of XML).
OFFICE_LIMITS = {"max_parts": 2000, "max_unpacked_bytes": 40 * 1024 * 1024, "max_elements": 1_500_000}
OFFICE_KINDS = {
    "docx": ("Word", "word/document.xml"),
    "pptx": ("PowerPoint", "ppt/presentation.xml"),
    "xlsx": ("Excel", "xl/workbook.xml"),
}
DAMAGED = 3  # the reader's exit status for a file it cannot read
OUT_OF_MEMORY = 4  # the reader's exit status when its memory limit stopped it
READING_PROCESS = "import sys; from archive.text import _read_in_this_process as read; read(*sys.argv[1:])"


@dataclass(frozen=True)
class ReadText:
    """What reading a file gave: its text, or (text empty) why its text was not read."""

    text: str = ""
    problem: str = ""
    # The reading process's peak memory (MB), as it measured itself; logged, and checked by the tests.
    peak_mb: float = 0.0


class Unreadable(Exception):
    """The file is damaged or not what its name says; `reason` is a sentence for the person."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# -- the readers (run in the reading process) ---------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _xml_text(stream, *, text_tag: str, paragraph_tag: str, tab_tag: str | None = None) -> str:
    from lxml import etree

    parts: list[str] = []
    size = 0
    tags = (text_tag, paragraph_tag, *((tab_tag,) if tab_tag else ()))
    # No entities, no network, no huge trees: the package was checked, and this holds if it were not.
    for _, element in etree.iterparse(
        stream, events=("end",), tag=tags, resolve_entities=False, no_network=True, huge_tree=False
    ):
        if element.tag == text_tag:
            parts.append(element.text or "")
            size += len(element.text or "")
        elif element.tag == tab_tag:
            parts.append("\t")
        else:
            parts.append("\n")
            # What was read is dropped, so that a long document is read in little memory.
            element.clear(keep_tail=False)
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
        if size > MAX_TEXT:
            break
    return "".join(parts)


def _docx(path: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as package, package.open("word/document.xml") as part:
        return _xml_text(part, text_tag=f"{W}t", paragraph_tag=f"{W}p", tab_tag=f"{W}tab")


def _pptx(path: str) -> str:
    import re
    import zipfile

    with zipfile.ZipFile(path) as package:
        slides = sorted(
            (int(m.group(1)), name)
            for name in package.namelist()
            if (m := re.fullmatch(r"ppt/slides/slide(\d+)\.xml", name))
        )
        texts = []
        for _, name in slides:
            with package.open(name) as part:
                texts.append(_xml_text(part, text_tag=f"{A}t", paragraph_tag=f"{A}p"))
            if sum(map(len, texts)) > MAX_TEXT:
                break
    return "\n\n".join(texts)


def _pdf_pages(reader, limit: int):
    """The first `limit` pages, walking the page tree lazily: pypdf's `reader.pages` first flattens the whole tree
    (seconds for a file of 20,000 pages), and a crafted tree can loop."""
    from pypdf import PageObject
    from pypdf.generic import IndirectObject

    inherited_keys = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
    stack = [(reader.trailer["/Root"]["/Pages"], {})]
    seen: set[int] = set()
    count = 0
    while stack and count < limit:
        reference, inherited = stack.pop()
        if isinstance(reference, IndirectObject):
            if reference.idnum in seen:
                continue
            seen.add(reference.idnum)
        node = reference.get_object()
        if "/Kids" in node:
            passed = {**inherited, **{k: node[k] for k in inherited_keys if k in node}}
            stack.extend((kid, passed) for kid in reversed(node["/Kids"]))
            continue
        page = PageObject(reader, reference if isinstance(reference, IndirectObject) else None)
        page.update({**inherited, **node})
        count += 1
        yield page


def _pdf(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = []
    size = 0
    for page in _pdf_pages(reader, MAX_PDF_PAGES):
        text = page.extract_text() or ""
        pages.append(text)
        size += len(text)
        if size > MAX_TEXT:
            break
    return "\n\n".join(pages)


def _plain(path: str) -> str:
    # A CSV saved by Excel or the portal starts with a byte-order mark, which is no part of the text.
    with open(path, "rb") as handle:
        return handle.read(MAX_TEXT * 4).decode("utf-8-sig", errors="replace")


READERS = {"pdf": _pdf, "docx": _docx, "pptx": _pptx, "txt": _plain, "csv": _plain}


def _read_in_this_process(extension: str, path: str, seconds: str, megabytes: str) -> None:
    """The reading process: the file's text as JSON on stdout, or exit DAMAGED with the error on stderr."""
    resource.setrlimit(resource.RLIMIT_CPU, (int(seconds), int(seconds) + 1))
    resource.setrlimit(resource.RLIMIT_AS, (int(megabytes) * 2**20, int(megabytes) * 2**20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # the peak restarts here: until exec this process was counted at its parent's size
    except OSError:
        pass
    try:
        text = READERS[extension](path)
    except Exception as error:  # every library raises its own errors for a damaged file
        sys.stderr.write(f"{type(error).__name__}: {error}"[:500])
        # Under the memory limit, a library fails to load ("failed to map segment") or to allocate (MemoryError).
        message = str(error).lower()
        short = isinstance(error, MemoryError) or "memory" in message or "map segment" in message
        sys.exit(OUT_OF_MEMORY if short else DAMAGED)
    sys.stdout.write(json.dumps({"text": text[: MAX_TEXT * 2], "peak_mb": _peak_mb()}))


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- in the web process ---------------------------------------------------------------------------------------------


def check_office_file(upload, extension: str) -> None:
    """Refuse an Office file that is not one, or that would be costly or unsafe to unpack and parse."""
    from kit.office_files import Limits, PackageRefused, check_package

    kind, required = OFFICE_KINDS[extension]
    upload.seek(0)
    try:
        check_package(upload, kind=kind, required_part=required, limits=Limits(**OFFICE_LIMITS))
    except PackageRefused as refusal:
        raise Unreadable(f"{upload.name} cannot be read as a .{extension} file: {refusal.reason}.") from None
    finally:
        upload.seek(0)


def _stored_path(upload) -> tuple[str, object]:
    """A path to the upload's bytes for the reading process (a temporary copy when the upload is in memory)."""
    import tempfile

    path = getattr(upload, "temporary_file_path", None)
    if path is not None:
        return path(), None
    copy = tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix)  # noqa: SIM115 - closed by read_text
    upload.seek(0)
    while chunk := upload.read(1024 * 1024):
        copy.write(chunk)
    copy.flush()
    upload.seek(0)
    return copy.name, copy


def read_text(upload) -> ReadText:
    """The text of an upload already checked by `workplans.forms.check_update_file`, read within the limits.

    Raises Unreadable for a file that is damaged or not what its name says."""
    from django.conf import settings

    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension in OFFICE_KINDS:
        check_office_file(upload, extension)
    if extension not in READERS:
        return ReadText(problem="the portal reads no text from spreadsheets and images")
    seconds = settings.GMG_TEXT_READ_SECONDS
    megabytes = settings.GMG_TEXT_READ_MB
    path, copy = _stored_path(upload)
    try:
        finished = subprocess.run(
            [sys.executable, "-c", READING_PROCESS, extension, path, str(seconds), str(megabytes)],
            cwd=str(settings.BASE_DIR),
            env={"PYTHONPATH": str(settings.BASE_DIR), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            capture_output=True,
            timeout=seconds * 2 + 2,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ReadText(problem=f"reading its text took longer than the {seconds * 2 + 2} seconds allowed")
    finally:
        if copy is not None:
            copy.close()
    if finished.returncode == 0:
        answer = json.loads(finished.stdout)
        text = " ".join(answer["text"].replace("\x00", "").split(" "))[:MAX_TEXT].strip()
        log.info("archive: read %s: %d characters, %.0f MB", upload.name, len(text), answer["peak_mb"])
        if not text:
            return ReadText(
                problem="no text was found in it (a scanned page holds only a picture of its words)",
                peak_mb=answer["peak_mb"],
            )
        return ReadText(text=text, peak_mb=answer["peak_mb"])
    error = finished.stderr.decode("utf-8", errors="replace")
    if finished.returncode == DAMAGED:
        log.info("archive: cannot read %s: %s", upload.name, error)
        raise Unreadable(
            f"{upload.name} cannot be read as a .{extension} file (it may be damaged or protected). "
            "Save it again from the program that made it, or upload another copy."
        )
    log.warning("archive: reading %s stopped (status %s): %s", upload.name, finished.returncode, error[-300:])
    if finished.returncode == OUT_OF_MEMORY or "MemoryError" in error:
        return ReadText(problem=f"reading its text needed more than the {megabytes} MB of memory allowed")
    if finished.returncode in (-9, -24):  # SIGKILL, SIGXCPU: the CPU time limit
        return ReadText(problem=f"reading its text took longer than the {seconds} seconds allowed")
    return ReadText(problem="its text could not be read (the reader stopped on this file)")


if __name__ == "__main__":  # pragma: no cover - the reading process
    _read_in_this_process(*sys.argv[1:])
