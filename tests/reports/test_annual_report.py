"""The chair's annual report, drafted from the GMG record: the ILO's 2014 term as a page, a PDF and a Word file;
its introduction and highlights kept as versions; marking it submitted closes the obligation on the register."""

import io
import re
import subprocess
import uuid
from datetime import date

import docx
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from chairs import services
from chairs.models import ChairReportVersion, ChairTerm
from groups import services as group_rules
from groups.models import Group, Person
from meetings.models import Decision, Meeting
from register.deadlines import ANNUAL_REPORT, State
from register.reading import obligations
from reports import documents
from reports.selectors import annual_report, find_term
from tests.factories import make_person, make_update
from workplans.models import Activity

pytestmark = pytest.mark.django_db

# The record is historic: the ILO's 2014 report is read as it stood when it was due (28 February 2015).
LATER = date(2026, 1, 10)


@pytest.fixture
def ilo_2014(gmg_record):
    return find_term("ILO-2014")


@pytest.fixture
def ilo_focal_point(ilo_2014):
    return make_person("ilo-focal", role=Person.Role.FOCAL_POINT, agency=ilo_2014.agency)


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


# -- which term ----------------------------------------------------------------------------------------------


def test_a_term_is_found_by_its_id_or_its_agency_and_year_the_actual_one_first(gmg_record):
    term = find_term("ILO-2014")
    assert (term.agency.acronym, term.kind, term.starts_on) == ("ILO", ChairTerm.Kind.ACTUAL, date(2014, 1, 1))
    assert ChairTerm.objects.filter(agency__acronym="ILO", starts_on__year=2014).count() == 2
    assert find_term(str(term.pk)) == term
    assert find_term("ilo-2014") == term
    assert find_term("World Bank-2015").agency.acronym == "World Bank"
    assert find_term("ILO-1999") is None
    assert find_term("nonsense") is None


# -- what the report says ------------------------------------------------------------------------------------


@time_machine.travel(LATER, tick=False)
def test_the_ilo_2014_report_is_drafted_from_the_record(ilo_2014):
    report = annual_report(ilo_2014)
    assert report.as_of == date(2015, 2, 28) == services.annual_report_due(ilo_2014)
    assert [plan.slug for plan in report.plans] == ["mawp-2013-2015"]
    assert [row.stream.position for row in report.streams] == [1, 2, 3, 4, 5, 6, 7]
    # The outputs of the term's year only, and every activity of them counted once.
    outputs = [o.output for row in report.streams for o in row.outputs]
    assert outputs and {o.year for o in outputs} == {2014}
    activities = Activity.objects.filter(output__in=outputs)
    assert sum(row.progress.total for row in report.streams) == activities.count()
    assert len(report.completed) + len(report.ongoing) + report.cancelled == activities.count()
    assert report.chart["labels"] == [row.label for row in report.streams]
    # Meetings held in 2014 and the decisions taken at them.
    held = Meeting.objects.filter(status=Meeting.Status.HELD, starts_on__year=2014)
    assert [m.pk for m in report.meetings] == list(
        held.order_by("starts_on", "start_time", "title").values_list("pk", flat=True)
    )
    assert len(report.decisions) == Decision.objects.filter(meeting__in=held).count()
    # Each group's year by the groups' own rule, and what is still open in the register.
    for row in report.group_years:
        assert row.year == 2014
        assert row.minimum == group_rules.minimum_meetings(row.group, 2014)
    dw = next(
        row for row in report.group_years if row.group.slug == Group.objects.get(short_name__icontains="decent").slug
    )
    assert dw.minimum == 3
    assert report.outstanding and all(
        o.is_open and date(2014, 1, 1) <= o.due <= date(2014, 12, 31) for o in report.outstanding
    )


@time_machine.travel(LATER, tick=False)
def test_an_activity_shows_its_latest_update_by_the_reports_day(ilo_2014):
    report = annual_report(ilo_2014)
    activity = next(line.activity for line in report.ongoing if line.activity.lead_agencies.all())
    agency = activity.lead_agencies.first()
    make_update(activity, agency, reported_on=date(2014, 5, 2), narrative="Half done.")
    make_update(activity, agency, reported_on=date(2014, 11, 20), status="completed", narrative="Launched in Geneva.")
    make_update(activity, agency, reported_on=date(2015, 6, 1), narrative="After the report: not shown.")
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.COMPLETED)
    report = annual_report(ilo_2014)
    line = next(line for line in report.completed if line.activity.pk == activity.pk)
    assert line.latest.narrative == "Launched in Geneva."
    assert all(line.activity.pk != activity.pk for line in report.ongoing)


# -- the three exports ---------------------------------------------------------------------------------------


@time_machine.travel(LATER, tick=False)
def test_the_ilo_2014_report_renders_as_a_pdf_with_a_title_page_contents_and_page_numbers(ilo_2014, tmp_path):
    pdf = documents.report_pdf(annual_report(ilo_2014))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = pdf_text(path)
    assert "Annual report of the Chair of the Global Migration Group, 2014" in text
    assert "International Labour Organization (ILO)" in text
    assert "Contents" in text and "Progress of the work plan" in text and "Outstanding" in text
    pages = int(
        subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    assert pages >= 4
    assert f"2 / {pages}" in text  # page numbers from @page CSS; none on the title page
    assert not re.search(rf"(?<!\d)1 / {pages}", text)
    # The first page is a real page image with the title on it.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    (png,) = tmp_path.glob("page-*.png")
    image = Image.open(png).convert("L")
    width, height = image.size
    assert 1.38 < height / width < 1.44  # A4
    dark = sum(image.histogram()[:128])
    assert 0.002 < dark / (width * height) < 0.2, "the page is blank or a solid block"
    single = tmp_path / "first.pdf"
    subprocess.run(["pdfseparate", "-f", "1", "-l", "1", str(path), str(single)], check=True)
    assert "Annual report of the Chair" in pdf_text(single)


@time_machine.travel(LATER, tick=False)
def test_the_ilo_2014_report_renders_as_word_with_the_streams_as_headings_and_a_table_each(ilo_2014):
    report = annual_report(ilo_2014)
    document = docx.Document(io.BytesIO(documents.report_docx(report)))
    assert document.core_properties.title == report.title
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    level_one = [text for style, text in headings if style == "Heading 1"]
    assert level_one == ["Contents", *(heading for _, heading in report.sections)]
    level_two = [text for style, text in headings if style == "Heading 2"]
    for row in report.streams:
        assert row.label in level_two
    stream_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Output"]
    assert len(stream_tables) == len(report.streams)
    first = stream_tables[0]
    assert [c.text for c in first.rows[0].cells] == [
        "Output",
        "Planned",
        "On track",
        "Delayed",
        "Completed",
        "Cancelled",
        "Overdue",
    ]
    assert len(first.rows) == 1 + len(report.streams[0].outputs)
    assert len(document.inline_shapes) == 1  # the chart


@time_machine.travel(LATER, tick=False)
def test_the_ilo_2014_report_renders_as_a_page_and_an_html_file(client, ilo_2014):
    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    page = client.get(reverse("chairs:report", args=[ilo_2014.pk]))
    assert page.status_code == 200
    html = page.text
    assert "Annual report of the Chair of the Global Migration Group, 2014" in html
    assert 'src="data:image/png;base64,' in html
    assert "1. GMG coordination and visibility" in html
    standalone = client.get(reverse("chairs:report_download", args=[ilo_2014.pk, "html"]))
    assert standalone["Content-Type"].startswith("text/html")
    assert 'filename="gmg-annual-report-ilo-2014.html"' in standalone["Content-Disposition"]
    assert "@page" in standalone.text and "1. GMG coordination and visibility" in standalone.text
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        response = client.get(reverse("chairs:report_download", args=[ilo_2014.pk, fmt]))
        assert response.status_code == 200 and response.content.startswith(magic)
    assert client.get(f"/chairs/{ilo_2014.pk}/report.xls").status_code == 404


@time_machine.travel(LATER, tick=False)
def test_the_command_writes_each_format(ilo_2014, tmp_path):
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!doctype html>")):
        out = tmp_path / f"report.{fmt}"
        call_command("annual_report", "ILO-2014", "--format", fmt, "--output", str(out), stdout=io.StringIO())
        assert out.read_bytes().startswith(magic)
    call_command("annual_report", str(ilo_2014.pk), "--output", str(tmp_path / "by-id.pdf"), stdout=io.StringIO())
    assert (tmp_path / "by-id.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="No chair term 'XYZ-2014'"):
        call_command("annual_report", "XYZ-2014", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("annual_report", "ILO-2014", "--output", str(tmp_path / "missing" / "x.pdf"))


# -- the chair's text, versioned -----------------------------------------------------------------------------


def test_each_save_of_the_text_is_a_version_and_the_latest_is_in_the_report(ilo_2014, ilo_focal_point):
    first, created = services.report_text_save(
        term=ilo_2014,
        introduction="In 2014 the ILO chaired.",
        highlights="- GFMD input",
        revision=0,
        token=uuid.uuid4(),
        by=ilo_focal_point,
    )
    assert created and first.revision == 1
    second, created = services.report_text_save(
        term=ilo_2014,
        introduction="In 2014 the ILO chaired the GMG.",
        highlights="- GFMD input",
        revision=1,
        token=uuid.uuid4(),
        by=ilo_focal_point,
    )
    assert created and second.revision == 2
    assert list(ilo_2014.report_versions.values_list("revision", flat=True)) == [2, 1]
    assert annual_report(ilo_2014).text == second


def test_a_save_from_an_older_version_is_refused_and_changes_nothing(ilo_2014, ilo_focal_point):
    services.report_text_save(
        term=ilo_2014, introduction="Mine", highlights="", revision=0, token=uuid.uuid4(), by=ilo_focal_point
    )
    with pytest.raises(services.ReportConflict) as raised:
        services.report_text_save(
            term=ilo_2014, introduction="Theirs", highlights="", revision=0, token=uuid.uuid4(), by=ilo_focal_point
        )
    assert raised.value.current.introduction == "Mine"
    assert ChairReportVersion.objects.count() == 1


def test_a_form_posted_twice_makes_one_version(client, ilo_2014, ilo_focal_point):
    client.force_login(ilo_focal_point)
    url = reverse("chairs:report_edit", args=[ilo_2014.pk])
    data = {"introduction": "Intro", "highlights": "High", "revision": 0, "token": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ChairReportVersion.objects.filter(term=ilo_2014).count() == 1


def test_two_editors_from_the_same_version_the_second_is_told_and_keeps_what_they_typed(client, ilo_2014):
    support = make_person("support", role=Person.Role.SUPPORT)
    client.force_login(support)
    url = reverse("chairs:report_edit", args=[ilo_2014.pk])
    first = {"introduction": "First editor", "highlights": "", "revision": 0, "token": str(uuid.uuid4())}
    second = {"introduction": "Second editor", "highlights": "", "revision": 0, "token": str(uuid.uuid4())}
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 409
    assert "Someone saved the report" in response.text
    assert "Second editor" in response.text and "First editor" in response.text
    assert list(ChairReportVersion.objects.values_list("introduction", flat=True)) == ["First editor"]
    # Saving again from the conflict page keeps the second editor's text, as a new version.
    assert client.post(url, {**second, "revision": 1, "token": str(uuid.uuid4())}).status_code == 302
    assert services.report_text_current(ilo_2014).introduction == "Second editor"


# -- submitted -----------------------------------------------------------------------------------------------


def annual_report_obligation(term):
    (found,) = [
        o
        for o in obligations(first=date(2015, 2, 28), last=date(2015, 2, 28), kinds={ANNUAL_REPORT})
        if o.chair_term.pk == term.pk
    ]
    return found


@time_machine.travel(date(2015, 2, 20), tick=False)
def test_marking_the_report_submitted_clears_the_obligation_on_the_register(client, ilo_2014, ilo_focal_point):
    assert annual_report_obligation(ilo_2014).state == State.DUE
    client.force_login(ilo_focal_point)
    url = reverse("chairs:report_submit", args=[ilo_2014.pk])
    response = client.post(url, {"submitted_on": "2015-02-18"}, follow=True)
    assert "marked submitted on 18 February 2015" in response.text
    ilo_2014.refresh_from_db()
    assert ilo_2014.annual_report_submitted_on == date(2015, 2, 18)
    obligation = annual_report_obligation(ilo_2014)
    assert (obligation.state, obligation.done_on) == (State.DONE, date(2015, 2, 18))
    # A second post keeps the first day.
    response = client.post(url, {"submitted_on": "2015-02-19"}, follow=True)
    assert "already marked submitted on 18 February 2015" in response.text
    ilo_2014.refresh_from_db()
    assert ilo_2014.annual_report_submitted_on == date(2015, 2, 18)


@time_machine.travel(date(2015, 2, 20), tick=False)
def test_a_bad_day_or_a_planned_term_is_refused_with_a_reason(client, ilo_2014):
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    url = reverse("chairs:report_submit", args=[ilo_2014.pk])
    response = client.post(url, {"submitted_on": "2015-03-01"}, follow=True)
    assert "a day still to come" in response.text
    response = client.post(url, {"submitted_on": "not a date"}, follow=True)
    assert "as a date" in response.text
    planned = ChairTerm.objects.get(agency__acronym="ILO", starts_on=date(2014, 1, 1), kind=ChairTerm.Kind.PLANNED)
    response = client.post(
        reverse("chairs:report_submit", args=[planned.pk]), {"submitted_on": "2015-02-18"}, follow=True
    )
    assert "owes no annual report" in response.text
    assert not ChairTerm.objects.filter(annual_report_submitted_on__isnull=False).exists()


# -- a group's year ------------------------------------------------------------------------------------------


@time_machine.travel(LATER, tick=False)
def test_a_groups_year_is_reported_the_same_way_with_its_own_streams_meetings_and_obligations(client, gmg_record):
    from reports.selectors import group_year_report

    group = Group.objects.get(short_name="TF on Migration and Decent Work")
    report = group_year_report(group, 2014)
    assert report.as_of == date(2015, 2, 28)
    assert report.title == f"Annual report of the {group.name}, 2014"
    assert report.streams and all(
        row.stream.lead_group_id == group.pk or row.stream.workplan.group_id == group.pk for row in report.streams
    )
    assert [(row.group, row.year, row.minimum) for row in report.group_years] == [
        (group, 2014, group_rules.minimum_meetings(group, 2014))
    ]
    assert all(m.group_id == group.pk for m in report.meetings)
    assert report.outstanding and all(
        (o.group is not None and o.group.pk == group.pk) or o.kind in ("activity_end", "action_point")
        for o in report.outstanding
    )
    assert ("highlights", "Highlights") not in report.sections

    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    page = client.get(reverse("groups:group_report", args=[group.slug, 2014]))
    assert page.status_code == 200 and report.title in page.text
    word = docx.Document(
        io.BytesIO(client.get(reverse("groups:group_report_download", args=[group.slug, 2014, "docx"])).content)
    )
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"][-2:] == ["The group's year", "Outstanding"]
    pdf = client.get(reverse("groups:group_report_download", args=[group.slug, 2014, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("groups:group_report", args=[group.slug, 3000])).status_code == 404
