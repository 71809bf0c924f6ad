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
import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext

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

# The Word files are laid out as the PDF is (documents/print.html: `@page { size: A4; margin: 22mm 20mm }`):
# A4, the same margins, Arial (Liberation Sans, the PDF's font, has Arial's metrics) and 9 pt tables.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_SIDE_MM = 22, 20
WORD_FONT = "Arial"
TABLE_FONT_PT = 9
# A cell's left and right padding in Word (0.19 cm each by default), and some room for a wider font.
CELL_PADDING_MM = 4.5
# The fonts the table widths are measured with: the PDF's own, or a wider one (a column then comes out roomier).
MEASURE_FONTS = {
    False: ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", *FONT_FILES),
    True: (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 activity", "3 activities": a count and its noun, as the documents write them."""
    if count == 1:
        return f"{count} {singular}"
    if plural_form is None:
        plural_form = (
            singular[:-1] + "ies" if singular.endswith("y") and singular[-2:-1] not in "aeiou" else singular + "s"
        )
    return f"{count} {plural_form}"


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


def new_word_document(
    *, title: str, subtitle: str = "", lines: Sequence[str] = (), compact: bool = False, running_head: str = ""
):
    """A Word document opening on a title page (the GMG's name, the title, the subtitle, what follows), with the
    PDF's running head and page numbers; `compact` (an agenda, a list) puts the title at the top of the first page
    instead."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = Document()
    document.core_properties.title = title
    document.core_properties.author = gettext("Global Migration Group")
    _page_setup(document.sections[0])
    styles = document.styles
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Caption"):
        _set_font(styles[name], WORD_FONT)
    styles["Normal"].font.size = Pt(10.5)
    # The title page as the PDF's: the GMG's name in UN blue over a blue rule, the title in black.
    for name, size, bold in (("Title", 17 if compact else 22, True), ("Subtitle", 11 if compact else 14, False)):
        style = styles[name]
        style.font.size, style.font.bold, style.font.italic = Pt(size), bold, False
        style.font.color.rgb = RGBColor(0x21, 0x25, 0x29)
        _remove_borders(style)
    # Section headings as the PDF's: dark blue over a thin blue rule; a stream's heading in black.
    for name, size, colour in (("Heading 1", 15, "0B4F8A"), ("Heading 2", 12, "212529")):
        style = styles[name]
        style.font.size, style.font.color.rgb = Pt(size), RGBColor.from_string(colour)
    _add_rule(styles["Heading 1"].element.get_or_add_pPr(), size=4, space=2)
    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run("GLOBAL MIGRATION GROUP")
    run.bold = True
    run.font.size = Pt(12 if compact else 13)
    run.font.color.rgb = RGBColor.from_string(UN_BLUE.lstrip("#").upper())
    alignment = WD_ALIGN_PARAGRAPH.LEFT if compact else WD_ALIGN_PARAGRAPH.CENTER
    if compact:
        header.alignment = alignment
    else:
        header.paragraph_format.space_before = Pt(85)
    _blue_rule(header)
    heading = document.add_paragraph(title, style="Title")
    heading.alignment = alignment
    if subtitle:
        document.add_paragraph(subtitle, style="Subtitle").alignment = alignment
    for line in lines:
        document.add_paragraph(line).alignment = alignment
    if not compact:
        document.add_section(WD_SECTION.NEW_PAGE)
    _page_furniture(document.sections[-1], running_head or title)
    return document


def _page_setup(section) -> None:
    """A4 with the PDF's margins; a section added later copies these."""
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = section.bottom_margin = Mm(MARGIN_TOP_MM)
    section.left_margin = section.right_margin = Mm(MARGIN_SIDE_MM)
    section.header_distance = section.footer_distance = Mm(10)


def _blue_rule(paragraph) -> None:
    """A 3 pt rule in UN blue under the paragraph, as the PDF's title page has."""
    from docx.shared import Pt

    _add_rule(paragraph._p.get_or_add_pPr(), size=24, space=8)
    paragraph.paragraph_format.space_after = Pt(24)


# What follows w:pBdr among a paragraph's properties (ECMA-376, CT_PPrBase), and w:tblW among a table's.
AFTER_PBDR = tuple(
    f"w:{tag}"
    for tag in [
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)
AFTER_TBLW = tuple(
    f"w:{tag}"
    for tag in [
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ]
)


def _add_rule(properties, *, size: int, space: int) -> None:
    """A bottom border in UN blue (`size` in eighths of a point), in its place among the paragraph's properties
    (Word refuses a file whose properties are out of order)."""
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val="single", sz=size, space=space, color=UN_BLUE.lstrip("#").upper()))
    properties.insert_element_before(borders, *AFTER_PBDR)


def _remove_borders(style) -> None:
    from docx.oxml.ns import qn

    properties = style.element.pPr
    if properties is not None:
        for border in properties.findall(qn("w:pBdr")):
            properties.remove(border)
    # The Subtitle's letter spacing too: the PDF has none.
    if style.element.rPr is not None:
        for spacing in style.element.rPr.findall(qn("w:spacing")):
            style.element.rPr.remove(spacing)


def _set_font(style, name: str) -> None:
    """The style's font for every script (Word picks the East Asian or theme font otherwise)."""
    from docx.oxml.ns import qn

    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


def _field_run(paragraph, code: str):
    """A run holding a field (PAGE, NUMPAGES) that every program computes as it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), ("end", None)):
        if kind:
            run._r.append(_element("w:fldChar", fldCharType=kind))
        else:
            from docx.oxml import OxmlElement
            from docx.oxml.ns import qn

            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
            run._r.append(element)
    return run


def _page_furniture(section, running_head: str) -> None:
    """As the PDF's pages: "Global Migration Group" and the running head at the top, "2 / 7" at the bottom."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt, RGBColor

    section.header.is_linked_to_previous = False
    head = section.header.paragraphs[0]
    # The Header style's own stops (centre and right, for US Letter) are cleared: one stop at A4's right margin.
    for position in head.style.paragraph_format.tab_stops:
        head.paragraph_format.tab_stops.add_tab_stop(position.position, WD_TAB_ALIGNMENT.CLEAR)
    head.paragraph_format.tab_stops.add_tab_stop(Mm(PAGE_WIDTH_MM - 2 * MARGIN_SIDE_MM), WD_TAB_ALIGNMENT.RIGHT)
    run = head.add_run(f"{gettext('Global Migration Group')}\t{running_head}")
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor.from_string("5A6268")
    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in (_field_run(paragraph, "PAGE"), paragraph.add_run(" / "), _field_run(paragraph, "NUMPAGES")):
        part.font.size = Pt(9)


def add_contents(document) -> None:
    """The contents as the PDF lists them: each Heading 1 after it, with a dotted leader to its page number.

    The entries are written out (`word_bytes` fills them in once the document is complete), so the contents read
    right in any program without updating a field; each page number is a PAGEREF field to a bookmark on its
    heading, which LibreOffice lays out and Word updates on opening (`w:updateFields`)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.add_heading(gettext("Contents"), level=1)
    document._gmg_contents = document.add_paragraph()
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _fill_contents(document) -> None:
    from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    placeholder = getattr(document, "_gmg_contents", None)
    if placeholder is None:
        return
    document._gmg_contents = None
    headings, after = [], False
    for paragraph in document.paragraphs:
        if paragraph._p is placeholder._p:
            after = True
        elif after and paragraph.style.name == "Heading 1":
            headings.append(paragraph)
    usable = Mm(PAGE_WIDTH_MM - 2 * MARGIN_SIDE_MM)
    for number, heading in enumerate(headings, start=1):
        name = f"_Toc_gmg_{number}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(number))
        start.set(qn("w:name"), name)
        finish = OxmlElement("w:bookmarkEnd")
        finish.set(qn("w:id"), str(number))
        heading._p.insert(1 if heading._p.pPr is not None else 0, start)
        heading._p.append(finish)
        entry = placeholder.insert_paragraph_before()
        entry.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        entry._p.append(link)
        run = entry.add_run(heading.text)
        link.append(run._r)
        run = entry.add_run("\t")
        link.append(run._r)
        run = entry.add_run()
        link.append(run._r)
        for kind, text in (("begin", None), (None, f" PAGEREF {name} \\h "), ("separate", None), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)
    # The contents fill a page of their own, as in the PDF.
    placeholder.add_run().add_break(WD_BREAK.PAGE)


def add_paragraphs(document, text: str, *, style: str | None = None) -> None:
    """Text as people typed it: a blank line starts a paragraph; lines starting "- " or "* " are list items."""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line[:2] in ("- ", "* ") for line in lines):
            for line in lines:
                document.add_paragraph(line[2:], style="List Bullet")
        elif lines:
            document.add_paragraph(" ".join(lines), style=style)


def add_table(document, header: Sequence[str], rows: Iterable[Sequence[object]], *, empty: str = ""):
    """A table with a bold header row that repeats on each page, one row per item; cells as text in 9 pt.

    Each column is as wide as its content asks (`column_widths`), set on the table's grid and on every cell, with
    a fixed layout, so that Word and LibreOffice both keep them and no word is broken inside a cell."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rows = [list(values) for values in rows]
    if not rows and empty:
        # As the PDF: a sentence where there is nothing to list, not an empty table.
        document.add_paragraph(empty)
        return None
    texts = [["" if value is None else str(value) for value in values] for values in rows]
    # Counts are aligned to the right, as in the PDF (and their headings with them).
    numeric = [bool(rows) and all(isinstance(values[i], int) for values in rows) for i in range(len(header))]
    header = [str(label) for label in header]
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False  # a fixed layout: the widths below are kept as given
    # Thin grey lines, as the PDF's tables (#adb5bd), in their place among the table's properties.
    borders = _element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{edge}", val="single", sz=4, space=0, color="ADB5BD"))
    table._tbl.tblPr.insert_element_before(borders, *AFTER_TBLW[AFTER_TBLW.index("w:tblBorders") + 1 :])
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
        run.font.size = Pt(TABLE_FONT_PT)
        cell._tc.get_or_add_tcPr().append(_element("w:shd", val="clear", color="auto", fill="E7F5FB"))
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in texts:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(value).font.size = Pt(TABLE_FONT_PT)
    for row in table.rows:
        # A row stays on one page, as in the PDF (`tr { break-inside: avoid }`).
        row._tr.get_or_add_trPr().append(_element("w:cantSplit"))
        for cell, right in zip(row.cells, numeric, strict=True):
            if right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    widths = column_widths(header, texts, PAGE_WIDTH_MM - 2 * MARGIN_SIDE_MM)
    _set_widths(table, widths)
    document.add_paragraph()
    return table


def _element(tag: str, **attributes):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _set_widths(table, widths_mm: Sequence[float]) -> None:
    """The widths on the grid (LibreOffice reads these), on the table and on every cell (Word reads these)."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    twips = [round(width * 1440 / 25.4) for width in widths_mm]
    tbl = table._tbl
    width = tbl.tblPr.find(qn("w:tblW"))
    if width is None:
        width = tbl.tblPr.insert_element_before(_element("w:tblW"), *AFTER_TBLW)
    width.set(qn("w:w"), str(sum(twips)))
    width.set(qn("w:type"), "dxa")
    for column, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        column.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def text_width_mm(text: str, *, bold: bool = False, size: float = TABLE_FONT_PT) -> float:
    """How wide a text prints in the PDF's font at `size` points."""
    return _measure_font(bold).getlength(text) / 10 * size / 10 * 25.4 / 72


@cache
def _measure_font(bold: bool):
    from PIL import ImageFont

    for path in MEASURE_FONTS[bold]:
        try:
            return ImageFont.truetype(path, 100)
        except OSError:
            continue
    return ImageFont.load_default(size=100)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total_mm: float) -> list[float]:
    """Column widths in mm that fill `total_mm` as a browser lays out a table of width 100%: each column at least as
    wide as its longest word (so no word is broken), the rest shared in proportion to how much text it holds."""
    least, most = [], []
    for index, label in enumerate(header):
        column = [(label, True)] + [(row[index], False) for row in rows]
        words = [text_width_mm(word, bold=bold) for text, bold in column for word in text.split()]
        lines = [
            max((text_width_mm(line, bold=bold) for line in text.splitlines()), default=0) for text, bold in column
        ]
        least.append(max(words, default=0) + CELL_PADDING_MM)
        most.append(max(max(lines, default=0) + CELL_PADDING_MM, least[-1]))
    if sum(most) <= total_mm:
        # Everything fits on one line: the room left is shared in proportion to each column's width.
        return [width * total_mm / sum(most) for width in most]
    if sum(least) >= total_mm:
        return [width * total_mm / sum(least) for width in least]
    spare = total_mm - sum(least)
    wants = [m - s for m, s in zip(most, least, strict=True)]
    return [s + spare * w / sum(wants) for s, w in zip(least, wants, strict=True)]


def add_picture(document, png: bytes, *, width_cm: float = 16.0, caption: str = "") -> None:
    from docx.shared import Cm

    document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        document.add_paragraph(caption, style="Caption")


def word_bytes(document) -> bytes:
    _fill_contents(document)
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


# -- spreadsheets --------------------------------------------------------------------------------------------

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets (OWASP, "CSV
# Injection"); a tab or carriage return can hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"


def spreadsheet_text(value: object) -> object:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe, which the
    program shows and never runs (OWASP); numbers and dates stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet_text(value: object) -> object:
    """The text as it was before `spreadsheet_text`: an exported file read back gives what was exported."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV for a spreadsheet: UTF-8 with a byte-order mark, so that Excel and LibreOffice read every en
    dash and apostrophe right (without one they take the system's character set), and no cell runs as a formula."""
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if value is None else spreadsheet_text(value) for value in row])
    return buffer.getvalue()


# -- responses ------------------------------------------------------------------------------------------------


def document_response(content: bytes | str, *, fmt: str, name: str) -> HttpResponse:
    """A document to download, named after what it is (e.g. gmg-annual-report-ilo-2014.pdf)."""
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{fmt}"'
    return response
