"""The portal's documents: the one place that turns a page into a PDF, builds a Word file and draws a chart.

Every document the portal hands out - the chair's annual report, a meeting's agenda and minutes, the action
points - is rendered here, in the same way:
- a PDF is the page's own template printed by WeasyPrint (`documents/print.html`: the GMG's title page, a
  table of contents and page numbers through `@page` CSS), so the page and the PDF never differ;
- a Word file is built with python-docx from the same content, with real headings (Word's Heading styles,
  so its navigation pane and contents work) and tables, to be edited by the chair's people;
- a chart is drawn in Python as a PNG (Pillow), the same image in the page, the PDF and the Word file: no
  JavaScript takes part in a document.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

PDF = "pdf"
DOCX = "docx"
HTML = "html"
CSV = "csv"
FORMATS = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    HTML: "text/html; charset=utf-8",
    CSV: "text/csv; charset=utf-8",
}

# The activity statuses' colours, as on the dashboard's chart (static/js/dashboard.js).
STATUS_COLOURS = {
    "planned": "#adb5bd",
    "on_track": "#0d6efd",
    "delayed": "#dc3545",
    "completed": "#198754",
    "cancelled": "#212529",
}
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)
UN_BLUE = "#009edb"


# -- PDF ------------------------------------------------------------------------------------------------------


def pdf_from_template(template_name: str, context: dict, *, request=None) -> bytes:
    """The template rendered as HTML and printed by WeasyPrint; static files are read from disk, never fetched."""
    # Imported here: pango is needed only when a PDF is made.
    from weasyprint import HTML as WeasyHTML  # noqa: N811
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, {**context, "for_print": True}, request=request)
    # A document embeds what it shows (the chart as a data: URL): nothing is read from disk or the network.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return WeasyHTML(string=html, url_fetcher=fetcher, base_url=str(settings.BASE_DIR)).write_pdf()


# -- Word -----------------------------------------------------------------------------------------------------


def new_word_document(*, title: str, subtitle: str = "", lines: Sequence[str] = (), compact: bool = False):
    """A Word document opening on a title page (the GMG's name, the title, the subtitle, what follows), with page
    numbers in its footer; `compact` (an agenda, a list) puts the title at the top of the first page instead."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = Document()
    document.core_properties.title = title
    document.core_properties.author = "Global Migration Group"
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run("GLOBAL MIGRATION GROUP")
    run.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor.from_string(UN_BLUE.lstrip("#").upper())
    alignment = WD_ALIGN_PARAGRAPH.LEFT if compact else WD_ALIGN_PARAGRAPH.CENTER
    if compact:
        header.alignment = alignment
    else:
        for _ in range(6):
            document.add_paragraph()
    heading = document.add_paragraph(title, style="Title")
    heading.alignment = alignment
    if subtitle:
        document.add_paragraph(subtitle, style="Subtitle").alignment = alignment
    for line in lines:
        document.add_paragraph(line).alignment = alignment
    if not compact:
        document.add_section(WD_SECTION.NEW_PAGE)
    _page_number_footer(document.sections[-1])
    return document


def _page_number_footer(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def add_contents(document) -> None:
    """Word's own table of contents (a TOC field over Headings 1-2): Word fills it in when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.add_heading("Contents", level=1)
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "Right-click and choose Update Field to show the contents."
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, placeholder, end):
        run._r.append(element)
    settings_part = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings_part.append(update)


def add_paragraphs(document, text: str, *, style: str | None = None) -> None:
    """Text as people typed it: a blank line starts a paragraph; lines starting "- " or "* " are list items."""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line[:2] in ("- ", "* ") for line in lines):
            for line in lines:
                document.add_paragraph(line[2:], style="List Bullet")
        elif lines:
            document.add_paragraph(" ".join(lines), style=style)


def add_table(document, header: Sequence[str], rows: Iterable[Sequence[object]], *, widths: Sequence[float] = ()):
    """A table with a bold header row that repeats on each page, one row per item; cells as text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(label)).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)
    for index, width in enumerate(widths):
        for row in table.rows:
            row.cells[index].width = Cm(width)
    document.add_paragraph()
    return table


def add_picture(document, png: bytes, *, width_cm: float = 16.0, caption: str = "") -> None:
    from docx.shared import Cm

    document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        document.add_paragraph(caption, style="Caption")


def word_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- the chart ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartSeries:
    status: str
    label: str
    data: list[int]


def status_chart_png(chart: dict, *, width: int = 1600) -> bytes:
    """Stacked horizontal bars, one per row of `chart` (the dashboard's data: labels and datasets by status),
    with a legend; drawn at twice the printed size so it stays sharp in a PDF and in Word."""
    from PIL import Image, ImageDraw

    labels: list[str] = list(chart["labels"])
    series = [ChartSeries(s["status"], s["label"], list(s["data"])) for s in chart["datasets"]]
    font, small = _font(26), _font(22)
    label_width = int(width * 0.42)
    bar_height, gap, top = 34, 18, 20
    wrapped = [_wrap(label, font, label_width - 20) for label in labels]
    row_heights = [max(bar_height, 32 * len(lines)) + gap for lines in wrapped]
    legend_top = top + sum(row_heights) + 20
    height = legend_top + 60
    image = Image.new("RGB", (width, max(height, 120)), "white")
    draw = ImageDraw.Draw(image)
    totals = [sum(s.data[i] for s in series) for i in range(len(labels))]
    most = max(totals, default=0) or 1
    plot_left, plot_right = label_width, width - 80
    y = top
    for index, lines in enumerate(wrapped):
        row_height = row_heights[index]
        for number, line in enumerate(lines):
            draw.text((10, y + number * 32), line, fill="#212529", font=font)
        x = plot_left
        bar_y = y + (row_height - gap - bar_height) // 2
        for s in series:
            value = s.data[index]
            if not value:
                continue
            length = (plot_right - plot_left) * value / most
            draw.rectangle([x, bar_y, x + length, bar_y + bar_height], fill=STATUS_COLOURS.get(s.status, "#6c757d"))
            if length > 30:
                colour = "black" if s.status in ("planned",) else "white"
                draw.text((x + length / 2, bar_y + bar_height / 2), str(value), fill=colour, font=small, anchor="mm")
            x += length
        draw.text((x + 10, bar_y + bar_height / 2), str(totals[index]), fill="#212529", font=small, anchor="lm")
        y += row_height
    draw.line([plot_left, top - 5, plot_left, legend_top - 20], fill="#6c757d", width=2)
    x = plot_left
    for s in series:
        draw.rectangle([x, legend_top + 8, x + 28, legend_top + 36], fill=STATUS_COLOURS.get(s.status, "#6c757d"))
        draw.text((x + 36, legend_top + 22), s.label, fill="#212529", font=small, anchor="lm")
        x += 60 + int(draw.textlength(s.label, font=small))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def png_data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@cache
def _font(size: int):
    from PIL import ImageFont

    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _wrap(text: str, font, width: int, max_lines: int = 3) -> list[str]:
    from PIL import Image, ImageDraw

    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if measure.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines or [""]


# -- responses ------------------------------------------------------------------------------------------------


def document_response(content: bytes | str, *, fmt: str, name: str) -> HttpResponse:
    """A document to download, named after what it is (e.g. gmg-annual-report-ilo-2014.pdf)."""
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{fmt}"'
    return response
