"""The archive (seed 000, support team: "maintaining archives of GMG information"): documents uploaded once,
checked as update files are, their text read from PDF, Word and PowerPoint files and found by the search box,
linked to their records both ways, with versions that keep the old ones, and the source documents shipped."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Document, DocumentVersion
from groups.models import Person
from overview.search import search_record
from tests.archive.files import make_docx, make_pdf, make_pptx
from tests.factories import make_agency, make_decision, make_group, make_meeting, make_person, make_term

PDF_TYPE = "application/pdf"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(date(2013, 2, 18), title="Working-level meeting of 18 February 2013")
    return {
        "meeting": meeting,
        "decision": make_decision(meeting, "1"),
        "group": make_group(name="Task Force on Migration and Decent Work"),
        "term": make_term(make_agency("ILO"), date(2014, 1, 1), date(2014, 12, 31)),
        "support": make_person("support", role=Person.Role.SUPPORT),
        "focal": make_person("fp", role=Person.Role.FOCAL_POINT),
    }


def upload(client, upload_file, **extra):
    data = {
        "title": "Minutes of the working-level meeting",
        "kind": "minutes",
        "dated": "2013-02-18",
        "language": "en",
        "token": str(uuid.uuid4()),
        "file": upload_file,
        **extra,
    }
    return client.post(reverse("archive:document_create"), data)


def pdf(name="minutes.pdf", *lines):
    return SimpleUploadedFile(name, make_pdf(*(lines or ("The members agreed on a xenophobia campaign.",))), PDF_TYPE)


def test_a_pdf_uploaded_to_a_meeting_is_found_by_a_word_inside_it_and_linked_both_ways(client, world):
    client.force_login(world["support"])
    response = upload(client, pdf(), meetings=[world["meeting"].pk], decisions=[world["decision"].pk])
    assert response.status_code == 302, response.content[:2000]
    document = Document.objects.get()
    assert "xenophobia campaign" in document.text
    assert document.versions.get().file_name == "minutes.pdf"
    # The search box finds the document by the word inside its file, and links to the document's page.
    page = client.get(reverse("search"), {"q": "xenophobia"})
    assert "Documents in the archive" in page.text
    assert document.get_absolute_url() in page.text
    # Both ways: the document names its meeting and decision, the meeting's and decision's pages the document.
    detail = client.get(document.get_absolute_url()).text
    assert world["meeting"].get_absolute_url() in detail and world["decision"].get_absolute_url() in detail
    for record in (world["meeting"], world["decision"]):
        assert document.get_absolute_url() in client.get(record.get_absolute_url()).text


def test_word_and_powerpoint_files_are_read_for_the_search(client, world):
    client.force_login(world["support"])
    docx = SimpleUploadedFile("paper.docx", make_docx("Position paper", "Remittances lower the cost of transfers."))
    pptx = SimpleUploadedFile("slides.pptx", make_pptx("Priorities for 2015", "Knowledge partnership KNOMAD"))
    assert upload(client, docx, kind="position_paper", groups=[world["group"].pk]).status_code == 302
    assert upload(client, pptx, kind="presentation", chair_terms=[world["term"].pk]).status_code == 302
    found = {g.key: [r.title for r in g.results] for g in search_record("remittances")}
    assert found.get("documents") == ["Minutes of the working-level meeting"]
    assert "KNOMAD" in Document.objects.get(kind="presentation").text
    assert any(g.key == "documents" for g in search_record("KNOMAD"))
    # The group's and the chair term's pages list their documents.
    group_page = client.get(world["group"].get_absolute_url()).text
    assert Document.objects.get(kind="position_paper").get_absolute_url() in group_page
    term_page = client.get(world["term"].get_absolute_url()).text
    assert Document.objects.get(kind="presentation").get_absolute_url() in term_page


def test_a_file_that_is_not_what_it_says_or_cannot_be_read_is_refused_in_the_page_and_nothing_is_saved(client, world):
    client.force_login(world["support"])
    response = upload(client, SimpleUploadedFile("minutes.pdf", b"MZ not a pdf", PDF_TYPE))
    assert response.status_code == 400
    assert "minutes.pdf is not a real .pdf file" in response.text
    response = upload(client, SimpleUploadedFile("minutes.exe", b"MZ", "application/octet-stream"))
    assert "this type of file cannot be attached" in response.text
    response = upload(client, SimpleUploadedFile("broken.pdf", b"%PDF-1.4\nnothing else", PDF_TYPE))
    assert response.status_code == 400
    assert "broken.pdf cannot be read as a .pdf file" in response.text
    response = upload(client, SimpleUploadedFile("broken.docx", b"PK\x03\x04 not a zip", "application/zip"))
    assert "broken.docx cannot be read as a .docx file" in response.text
    # What was typed stays in the form.
    assert 'value="Minutes of the working-level meeting"' in response.text
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    settings.GMG_UPDATE_FILE_MAX_MB = 0
    client.force_login(world["support"])
    response = upload(client, pdf())
    assert response.status_code == 400
    assert "files can be at most 0 MB" in response.text
    assert not Document.objects.exists()


def test_a_document_needs_a_date_or_what_it_gives(client, world):
    client.force_login(world["support"])
    response = upload(client, pdf(), dated="")
    assert response.status_code == 400
    assert "Give the document" in response.text
    assert upload(client, pdf(), dated="", date_as_written="2010").status_code == 302
    assert Document.objects.get().when == "2010"


def test_a_new_document_posted_twice_is_one_document(client, world):
    client.force_login(world["support"])
    token = str(uuid.uuid4())
    upload(client, pdf(), token=token)
    upload(client, pdf(), token=token)
    assert Document.objects.count() == 1 and DocumentVersion.objects.count() == 1


def test_a_new_version_keeps_the_old_ones_and_the_search_reads_the_new_one(client, world):
    client.force_login(world["support"])
    upload(client, pdf("draft.pdf", "Draft wording about quotas."))
    document = Document.objects.get()
    url = reverse("archive:version_create", args=[document.pk])
    token = str(uuid.uuid4())
    new = {"file": pdf("adopted.pdf", "Adopted wording about pathways."), "note": "as adopted", "token": token}
    assert client.post(url, new).status_code == 302
    # The same form posted again adds nothing.
    client.post(url, {**new, "file": pdf("adopted.pdf", "Adopted wording about pathways.")})
    versions = list(document.versions.order_by("number").values_list("number", "file_name", "note"))
    assert versions == [(1, "draft.pdf", ""), (2, "adopted.pdf", "as adopted")]
    assert any(g.key == "documents" for g in search_record("pathways"))
    assert not any(g.key == "documents" for g in search_record("quotas"))
    page = client.get(document.get_absolute_url()).text
    assert "draft.pdf" in page and "adopted.pdf" in page and "Version 2 (latest)" in page
    first = document.versions.get(number=1)
    download = client.get(reverse("archive:version_file", args=[first.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_same_version_posted_twice_is_one_version(client, world):
    client.force_login(world["support"])
    upload(client, pdf())
    document = Document.objects.get()
    url = reverse("archive:version_create", args=[document.pk])
    token = str(uuid.uuid4())
    client.post(url, {"file": pdf(), "token": token})
    client.post(url, {"file": pdf(), "token": token})
    assert document.versions.count() == 2


def test_a_bad_file_for_a_new_version_is_refused_and_the_old_version_stays(client, world):
    client.force_login(world["support"])
    upload(client, pdf())
    document = Document.objects.get()
    url = reverse("archive:version_create", args=[document.pk])
    response = client.post(url, {"file": SimpleUploadedFile("v2.pdf", b"GIF89a", PDF_TYPE), "token": uuid.uuid4()})
    assert response.status_code == 400 and "v2.pdf is not a real .pdf file" in response.text
    assert document.versions.count() == 1 and "xenophobia" in Document.objects.get().text


def test_two_people_editing_a_document_the_second_is_told_and_loses_nothing(client, world):
    client.force_login(world["support"])
    upload(client, pdf())
    document = Document.objects.get()
    url = reverse("archive:document_edit", args=[document.pk])
    base = {"kind": "minutes", "dated": "2013-02-18", "language": "en", "revision": 1}
    assert client.post(url, {**base, "title": "Minutes (final)", "meetings": [world["meeting"].pk]}).status_code == 302
    response = client.post(url, {**base, "title": "Minutes (summary)"})
    assert response.status_code == 409
    assert "Minutes (final)" in response.text
    document.refresh_from_db()
    assert document.title == "Minutes (final)" and list(document.meetings.all()) == [world["meeting"]]


def test_the_upload_form_opened_from_a_record_has_the_record_chosen(client, world):
    client.force_login(world["support"])
    response = client.get(reverse("archive:document_create") + f"?meeting={world['meeting'].pk}")
    assert response.context["form"]["meetings"].value() == [world["meeting"].pk]
    assert f"?meeting={world['meeting'].pk}" in client.get(world["meeting"].get_absolute_url()).text


def test_only_support_staff_keep_the_archive(client, world):
    client.force_login(world["focal"])
    response = upload(client, pdf())
    assert response.status_code == 403
    assert "Only the support team keeps the archive" in response.text
    assert not Document.objects.exists()
    # Others read, and are not offered the upload.
    assert "Add a document" not in client.get(world["meeting"].get_absolute_url()).text
    assert client.get(reverse("archive:document_list")).status_code == 200


def test_the_list_filters_by_kind(client, world):
    client.force_login(world["support"])
    upload(client, pdf(), title="Minutes of February")
    upload(client, SimpleUploadedFile("s.pptx", make_pptx("Slides", "Body")), title="ILO slides", kind="presentation")
    client.get(reverse("archive:document_list"))  # shows (and so clears) the "added" messages
    page = client.get(reverse("archive:document_list"), {"kind": "presentation"}).text
    assert "ILO slides" in page and "Minutes of February" not in page
    # An unknown kind shows every document rather than failing.
    page = client.get(reverse("archive:document_list"), {"kind": "nonsense"}).text
    assert "ILO slides" in page and "Minutes of February" in page


def test_the_record_ships_the_source_documents_linked_to_what_they_are_the_source_of(gmg_record):
    documents = {d.key: d for d in Document.objects.prefetch_related("meetings", "groups", "chair_terms")}
    assert set(documents) == {
        "decisions-2013-07-03",
        "gmg-work-plan-2010",
        "ilo-slides-2014-02",
        "world-bank-slides-2015-02",
        "tor-tf-decent-work-2016-03-24",
    }
    decisions = documents["decisions-2013-07-03"]
    assert [m.key for m in decisions.meetings.all()] == ["principals-2013-07-03"]
    assert sorted(d.number for d in decisions.decisions.all()) == ["1", "2", "3", "4", "5"]
    assert "Functions of the Chair" in decisions.text
    assert [g.slug for g in documents["tor-tf-decent-work-2016-03-24"].groups.all()] == ["tf-decent-work"]
    assert {t.key for t in documents["world-bank-slides-2015-02"].chair_terms.all()} == {"actual-2015"}
    assert documents["gmg-work-plan-2010"].when == "2010"
    # Each has its text as its first version, and the search finds a word only the slides hold.
    assert DocumentVersion.objects.filter(number=1, file="").count() == 5
    found = {g.key: [r.title for r in g.results] for g in search_record("Sonia Plaza")}
    assert found["documents"] == [documents["world-bank-slides-2015-02"].title]


def test_loading_the_record_twice_changes_no_document(gmg_record):
    from record.loader import load_gmg_record

    again = load_gmg_record()
    assert again.created["documents"] == 0 and again.updated["documents"] == 0
    assert Document.objects.count() == 5


# Bad files, for the two upload forms (the bad-input corpus of tests/test_bad_input.py posts no files).
BAD_FILES = [
    ("empty", "minutes.pdf", b"", "The submitted file is empty."),
    ("no extension", "minutes", b"%PDF-1.4", "this type of file cannot be attached"),
    ("program", "minutes.pdf.exe", b"MZ\x90\x00", "this type of file cannot be attached"),
    ("image named pdf", "minutes.pdf", b"\x89PNG\r\n\x1a\n....", "minutes.pdf is not a real .pdf file"),
    ("truncated pdf", "minutes.pdf", make_pdf("Cut short")[:60], "minutes.pdf cannot be read as a .pdf file"),
    ("zip named pptx", "slides.pptx", b"PK\x03\x04\x14\x00" + b"\x00" * 40, "slides.pptx cannot be read"),
    ("binary named txt", "notes.txt", b"text\x00\x01\x02", "notes.txt is not a plain text file"),
    ("long name", "m" * 300 + ".pdf", b"MZ", "is not a real .pdf file"),
]


@pytest.mark.parametrize(("what", "name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_every_bad_file_is_refused_in_the_page_on_both_upload_forms_and_nothing_is_saved(
    client, world, what, name, content, message
):
    client.force_login(world["support"])
    document = Document.objects.create(title="Minutes", kind="minutes", dated=date(2013, 2, 18), text="Kept")
    before = list(DocumentVersion.objects.values_list("pk", flat=True)), Document.objects.count()
    response = upload(client, SimpleUploadedFile(name, content))
    assert response.status_code == 400 and message in response.text, response.text[-3000:]
    url = reverse("archive:version_create", args=[document.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content), "token": str(uuid.uuid4())})
    assert response.status_code == 400 and message in response.text
    assert (list(DocumentVersion.objects.values_list("pk", flat=True)), Document.objects.count()) == before
    assert Document.objects.get().text == "Kept"


def test_a_text_file_s_nul_bytes_and_odd_encoding_never_reach_the_database(client, world):
    client.force_login(world["support"])
    odd = SimpleUploadedFile("notes.csv", "Année,Zürich\n".encode("latin-1"))
    assert upload(client, odd).status_code == 302
    assert "Ann" in Document.objects.get().text and "\x00" not in Document.objects.get().text


def test_a_csv_s_byte_order_mark_is_no_part_of_its_text():
    from archive.text import read_text

    exported = SimpleUploadedFile("plan.csv", "\ufeffStream,Timeframe\nGMG,May – September 2013\n".encode())
    assert read_text(exported).text == "Stream,Timeframe\nGMG,May – September 2013"
