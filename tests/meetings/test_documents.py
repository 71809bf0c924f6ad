"""A meeting's agenda and minutes as PDF and Word; the action points across meetings, open ones carried forward,
as a page and as PDF, Word and CSV."""

import csv
import io
import re
import subprocess
from datetime import date

import docx
import pytest
import time_machine
from django.urls import reverse

from groups.models import Person
from meetings.models import ActionPoint, AgendaItem, Meeting
from meetings.selectors import action_point_lines, carried_forward_to
from tests.factories import make_action_point, make_agency, make_decision, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def tf(db):
    ilo, iom, unodc = make_agency("ILO"), make_agency("IOM"), make_agency("UNODC")
    group = make_group(co_chairs=[ilo, iom], slug="tf-decent-work", name="TF on Migration and Decent Work")
    first = make_meeting(
        date(2014, 2, 10), title="TF meeting 1", kind=Meeting.Kind.GROUP, group=group, status="held", venue="Geneva"
    )
    first.attendees.set([ilo, iom, unodc])
    AgendaItem.objects.create(meeting=first, position=1, title="Welcome", notes="By the co-conveners.")
    AgendaItem.objects.create(meeting=first, position=2, title="Employers' handbook")
    first.minutes = "The TF agreed the outline of the handbook.\nIOM will circulate a draft."
    first.save()
    make_decision(first, "1", title="Outline of the handbook", text="The TF adopts the outline.")
    draft = make_action_point(first, iom, text="Circulate the draft handbook", due_on=date(2014, 3, 1))
    done = make_action_point(
        first, ilo, text="Book the room", due_on=date(2014, 2, 20), status="done", done_on=date(2014, 2, 15)
    )
    second = make_meeting(date(2014, 4, 7), title="TF meeting 2", kind=Meeting.Kind.GROUP, group=group, status="held")
    third = make_meeting(date(2014, 6, 2), title="TF meeting 3", kind=Meeting.Kind.GROUP, group=group, status="held")
    make_action_point(second, unodc, text="=HYPERLINK(evil)", due_on=date(2014, 9, 1))
    plenary = make_meeting(date(2014, 5, 5), title="Working-level meeting", status="held")
    return {
        "group": group,
        "first": first,
        "second": second,
        "third": third,
        "plenary": plenary,
        "draft": draft,
        "done": done,
    }


@pytest.fixture
def reader(client, db):
    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    return client


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_an_open_point_is_carried_forward_by_each_later_meeting_of_its_body(tf):
    lines = {line.point.text: line for line in action_point_lines(on=date(2014, 7, 1), status="all")}
    assert lines["Circulate the draft handbook"].carried == 2  # TF meetings 2 and 3; the plenary does not count
    assert lines["Circulate the draft handbook"].overdue
    assert lines["Book the room"].carried == 0  # done before the next meeting
    assert not lines["Book the room"].overdue
    assert lines["=HYPERLINK(evil)"].carried == 1
    open_only = action_point_lines(on=date(2014, 7, 1))
    assert [line.point.text for line in open_only] == ["Circulate the draft handbook", "=HYPERLINK(evil)"]
    assert action_point_lines(on=date(2014, 7, 1), group=tf["group"], status="done")[0].point.text == "Book the room"


def test_the_minutes_carry_forward_the_points_still_open_on_the_meetings_day(tf):
    assert [p.text for p in carried_forward_to(tf["second"])] == ["Circulate the draft handbook"]
    assert [p.text for p in carried_forward_to(tf["third"])] == ["Circulate the draft handbook", "=HYPERLINK(evil)"]
    assert carried_forward_to(tf["plenary"]) == []
    ActionPoint.objects.filter(pk=tf["draft"].pk).update(status="done", done_on=date(2014, 5, 1))
    assert [p.text for p in carried_forward_to(tf["second"])] == ["Circulate the draft handbook"]
    assert [p.text for p in carried_forward_to(tf["third"])] == ["=HYPERLINK(evil)"]


def test_the_agenda_and_the_minutes_as_pdf(reader, tf, tmp_path):
    agenda = reader.get(reverse("meetings:meeting_document", args=[tf["first"].pk, "agenda", "pdf"]))
    assert agenda.status_code == 200 and agenda["Content-Type"] == "application/pdf"
    assert 'filename="gmg-agenda-tf-meeting-1-2014-02-10.pdf"' in agenda["Content-Disposition"]
    text = pdf_text(agenda.content, tmp_path)
    assert "Agenda: TF meeting 1" in text and "Employers' handbook" in text and "By the co-conveners." in text
    minutes = reader.get(reverse("meetings:meeting_document", args=[tf["first"].pk, "minutes", "pdf"]))
    text = pdf_text(minutes.content, tmp_path)
    for expected in (
        "Minutes: TF meeting 1",
        "agreed the outline",
        "Decision 1: Outline of the handbook",
        "Circulate the draft handbook",
        "ILO, IOM, UNODC",
    ):
        assert expected in text
    assert re.search(r"\b1 ?/ ?2\b", text), "page numbers"
    third = reader.get(reverse("meetings:meeting_document", args=[tf["third"].pk, "minutes", "pdf"]))
    assert "carried forward" in pdf_text(third.content, tmp_path)
    assert "Circulate the draft handbook" in pdf_text(third.content, tmp_path)


def test_the_agenda_and_the_minutes_as_word(reader, tf):
    response = reader.get(reverse("meetings:meeting_document", args=[tf["third"].pk, "minutes", "docx"]))
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Agenda",
        "Minutes",
        "Decisions",
        "Action points",
        "Open action points carried forward from earlier meetings",
    ]
    carried = document.tables[-1]
    assert [c.text for c in carried.rows[0].cells] == ["Action", "Owner", "Due", "Status", "Raised at"]
    assert carried.rows[1].cells[0].text == "Circulate the draft handbook"
    agenda = docx.Document(
        io.BytesIO(reader.get(reverse("meetings:meeting_document", args=[tf["first"].pk, "agenda", "docx"])).content)
    )
    assert [p.text for p in agenda.paragraphs if p.style.name == "List Number"] == ["Welcome", "Employers' handbook"]


def test_an_unknown_document_or_meeting_is_not_found(reader, tf):
    assert reader.get(f"/meetings/{tf['first'].pk}/agenda.xls").status_code == 404
    assert reader.get(f"/meetings/{tf['first'].pk}/budget.pdf").status_code == 404
    assert reader.get("/meetings/999999/agenda.pdf").status_code == 404


@time_machine.travel(date(2014, 7, 1), tick=False)
def test_the_action_point_list_and_its_exports(reader, tf, tmp_path):
    page = reader.get(reverse("meetings:action_point_list"))
    assert page.status_code == 200
    assert "Circulate the draft handbook" in page.text and "Book the room" not in page.text
    assert "2 meetings" in page.text
    response = reader.get(reverse("meetings:action_point_export", args=["csv"]) + "?status=all")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for spreadsheets
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Meeting" and len(rows) == 4
    assert ["TF meeting 2", "2014-04-07", "'=HYPERLINK(evil)", "UNODC", "2014-09-01", "Open", "", "1"] in rows
    pdf = reader.get(reverse("meetings:action_point_export", args=["pdf"]))
    assert "Circulate the draft handbook" in pdf_text(pdf.content, tmp_path)
    word = docx.Document(io.BytesIO(reader.get(reverse("meetings:action_point_export", args=["docx"])).content))
    assert len(word.tables[0].rows) == 3


def test_bad_filters_are_told_in_words_and_export_nothing(reader, tf):
    page = reader.get(reverse("meetings:action_point_list") + "?status=late&on=yesterday&group=nope")
    assert page.status_code == 400
    assert "is not a status" in page.text and "is not a date" in page.text and "There is no group" in page.text
    export = reader.get(reverse("meetings:action_point_export", args=["csv"]) + "?on=2014-13-40")
    assert export.status_code == 400 and "is not a date" in export.text
    assert reader.get("/meetings/action-points.xlsx").status_code == 404


def test_a_meeting_without_an_agenda_offers_no_agenda_and_its_address_says_why(reader):
    from django.contrib.messages import get_messages

    bare = make_meeting(date(2015, 9, 1), title="Meeting to be planned")
    page = reader.get(bare.get_absolute_url()).text
    assert "Agenda (PDF)" not in page and "Agenda (Word)" not in page
    for fmt in ("pdf", "docx"):
        answer = reader.get(reverse("meetings:meeting_document", args=[bare.pk, "agenda", fmt]))
        assert answer.status_code == 302 and answer["Location"] == bare.get_absolute_url()
        told = [str(m) for m in get_messages(answer.wsgi_request)]
        assert told and set(told) == {"This meeting has no agenda yet: there is no agenda to download."}
    AgendaItem.objects.create(meeting=bare, position=1, title="Welcome")
    assert "Agenda (PDF)" in reader.get(bare.get_absolute_url()).text
