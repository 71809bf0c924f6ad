"""Files opened in the programs people open them with: LibreOffice headless for Word, Excel and CSV files.

Each checker takes a file the portal handed out and what LibreOffice made of it, and returns the problems a
person would meet, as sentences (an empty list when there is none). The gate (tests/test_files_opened.py) runs
them over every file the portal serves, and feeds them deliberately broken files to show that they catch each
problem.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

BOM = b"\xef\xbb\xbf"
A4_POINTS = (595, 842)
# Text a program shows in place of a field it did not fill in.
UNFILLED_FIELD = re.compile(r"Update Field|Error! (Bookmark|Reference)|No table of contents entries", re.IGNORECASE)
# A count of one with a plural noun ("1 activities").
WRONG_PLURAL = re.compile(
    r"(?<![\d.,/])\b1 (activities|action points|meetings|decisions|outputs|updates|agencies|documents|groups)\b"
)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# LibreOffice's CSV filter options: comma, double quote, then the character set (76 = UTF-8, 1 = Windows-1252).
UTF_8, WINDOWS_1252 = 76, 1


def soffice(paths: Sequence[Path], target: str, outdir: Path, *, infilter: str | None = None) -> None:
    """Convert many files in one LibreOffice start (it takes seconds), with a private profile so that concurrent
    runs do not clash."""
    profile = Path("/tmp") / f"lo-gmg-{uuid.uuid4().hex}"
    command = ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", target, "--outdir", str(outdir), *map(str, paths)]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=300)
    finally:
        subprocess.run(["rm", "-rf", str(profile)], check=False)


def open_csv_as_a_person_would(paths: Sequence[Path], outdir: Path) -> None:
    """CSV files opened in LibreOffice Calc and saved as workbooks.

    The program picks the character set: Calc's text import dialog (ScImportAsciiDlg) sniffs the byte-order mark
    and preselects UTF-8 when the file starts with one, and otherwise offers the system's character set - on the
    GMG's Windows desktops Windows-1252, as Excel reads a CSV without a BOM. Headless LibreOffice shows no
    dialog, so its choice is made here in the same way: the BOM is what makes a file read right."""
    by_charset: dict[int, list[Path]] = {}
    for path in paths:
        charset = UTF_8 if path.read_bytes().startswith(BOM) else WINDOWS_1252
        by_charset.setdefault(charset, []).append(path)
    for charset, group in by_charset.items():
        # Row 1 on, language default, quoted fields as usual, "Detect special numbers" off (the dialog's default).
        soffice(group, "xlsx", outdir, infilter=f"CSV:44,34,{charset},1,,0,false,false")


# -- Word -----------------------------------------------------------------------------------------------------


def pdf_text(path: Path, *, layout: bool = False) -> str:
    command = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdf_page_size(path: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    return float(width), float(height)


def table_words(docx_path: Path) -> set[str]:
    """Every word written in a cell of the Word file's tables."""
    import docx

    words = set()
    for table in docx.Document(str(docx_path)).tables:
        for row in table.rows:
            for cell in row.cells:
                words.update(WORD.findall(cell.text))
    return words


# The order ECMA-376 gives the properties of a paragraph, a table and a cell: LibreOffice reads them in any
# order, Word calls a file with them out of order damaged.
PROPERTY_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark "
    "headers cellIns cellDel cellMerge tcPrChange",
}


def properties_out_of_order(docx_path: Path) -> list[str]:
    """Properties Word would refuse: in document.xml, styles.xml, headers and footers."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    found = []
    with zipfile.ZipFile(docx_path) as archive:
        for name in archive.namelist():
            if not re.fullmatch(r"word/(document|styles|header\d*|footer\d*)\.xml", name):
                continue
            root = etree.fromstring(archive.read(name))
            for tag, order in PROPERTY_ORDER.items():
                ranks = {f"{w}{child}": rank for rank, child in enumerate(order.split())}
                for element in root.iter(f"{w}{tag}"):
                    seen = [ranks[c.tag] for c in element if c.tag in ranks]
                    if seen != sorted(seen):
                        children = " ".join(etree.QName(c).localname for c in element)
                        found.append(f"{name}: w:{tag} holds {children}")
    return found


def word_problems(docx_path: Path, converted_pdf: Path) -> list[str]:
    """A Word file as LibreOffice lays it out: A4, every field filled, counts in the right number, no word broken
    inside a table cell (each word of the tables is whole in the pages' text)."""
    import docx

    problems = []
    if not converted_pdf.exists():
        return [f"{docx_path.name}: LibreOffice could not open it"]
    width, height = pdf_page_size(converted_pdf)
    if (round(width), round(height)) != A4_POINTS:
        problems.append(f"{docx_path.name}: the page is {width:.0f} x {height:.0f} pt, not A4 (595 x 842)")
    text = pdf_text(converted_pdf)
    for found in sorted({m.group(0) for m in UNFILLED_FIELD.finditer(text)}):
        problems.append(f"{docx_path.name}: an unfilled field shows “{found}”")
    document = docx.Document(str(docx_path))
    if any((code.text or "").strip().startswith("TOC") for code in document.element.xpath("//w:instrText")):
        problems.append(f"{docx_path.name}: the contents are a field left for the reader to update")
    for found in sorted({m.group(0) for m in WRONG_PLURAL.finditer(" ".join(text.split()))}):
        problems.append(f"{docx_path.name}: “{found}”")
    for found in sorted(set(properties_out_of_order(docx_path)))[:5]:
        problems.append(f"{docx_path.name}: properties out of order, which Word calls damaged: {found}")
    printed = set(WORD.findall(text))
    broken = sorted(word for word in table_words(docx_path) if word not in printed)
    if broken:
        problems.append(f"{docx_path.name}: words broken inside table cells: {', '.join(broken[:12])}")
    return problems


# -- Excel ----------------------------------------------------------------------------------------------------


def _same(a, b) -> bool:
    if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal):
        return Decimal(str(a)) == Decimal(str(b))
    return ("" if a is None else a) == ("" if b is None else b)


def workbook_cells(path: Path) -> dict[tuple[str, str], object]:
    from openpyxl import load_workbook

    book = load_workbook(str(path))
    return {
        (sheet.title, cell.coordinate): cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value not in (None, "")
    }


def xlsx_problems(original: Path, converted: Path, *, formulas: Sequence[str] = ()) -> list[str]:
    """An exported workbook that LibreOffice opened and saved again: every value read back unchanged, and no
    formula but those the export writes on purpose (`formulas`: "Sheet!A1")."""
    if not converted.exists():
        return [f"{original.name}: LibreOffice could not open it"]
    problems = []
    before, after = workbook_cells(original), workbook_cells(converted)
    for (sheet, coordinate), cell in before.items():
        again = after.get((sheet, coordinate))
        if again is None or not _same(cell.value, again.value):
            problems.append(
                f"{original.name} {sheet}!{coordinate}: {cell.value!r} reads back as {getattr(again, 'value', None)!r}"
            )
    for (sheet, coordinate), cell in after.items():
        if (sheet, coordinate) not in before:
            problems.append(f"{original.name} {sheet}!{coordinate}: {cell.value!r} appeared")
    for name, cells in (("exported", before), ("opened in LibreOffice", after)):
        for (sheet, coordinate), cell in cells.items():
            if cell.data_type == "f" and f"{sheet}!{coordinate}" not in formulas:
                problems.append(
                    f"{original.name} {sheet}!{coordinate}: a formula made from data ({name}): {cell.value}"
                )
    return problems


# -- CSV ------------------------------------------------------------------------------------------------------


def csv_problems(original: Path, converted: Path) -> list[str]:
    """A CSV opened in LibreOffice as a person would (`open_csv_as_a_person_would`): it starts with a BOM and
    every cell reads back as the file holds it in UTF-8 (numbers Calc recognises compared as numbers)."""
    from openpyxl import load_workbook

    data = original.read_bytes()
    problems = []
    if not data.startswith(BOM):
        problems.append(f"{original.name}: no byte-order mark, so the program guesses the character set")
    if not converted.exists():
        return [*problems, f"{original.name}: LibreOffice could not open it"]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = load_workbook(str(converted)).worksheets[0]
    read = [[cell.value for cell in row] for row in sheet.iter_rows()]
    wrong = []
    for number, row in enumerate(rows):
        again = read[number] if number < len(read) else []
        for column, text in enumerate(row):
            value = again[column] if column < len(again) else None
            if isinstance(value, datetime) and value.date().isoformat() == text:
                continue  # Calc reads an ISO date as that date
            if isinstance(value, int | float) and not isinstance(value, bool):
                try:
                    if Decimal(text.replace(",", "")) == Decimal(str(value)):
                        continue
                except ArithmeticError:
                    pass
            if not _same(text, value):
                wrong.append(f"row {number + 1}: {text!r} reads as {value!r}")
    if wrong:
        problems.append(f"{original.name}: {len(wrong)} cells read wrongly, e.g. " + "; ".join(wrong[:3]))
    return problems
