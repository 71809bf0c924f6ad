"""Hostile files uploaded to the archive (tests/hostile_files.py, the corpus the work plan import gets too).

Each is refused with its reason in the page, or kept with its page saying why its text was not read (or, for a
big but harmless file, kept with its text read), in under 5 seconds and 200 MB: the web process's peak, and the
reading process's own peak as it measured itself. Nothing hangs; the server never parses the file itself.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import archive.forms
from archive.models import Document
from groups.models import Person
from tests.factories import make_person
from tests.hostile_files import CORPUS, LIMIT_MB, LIMIT_SECONDS, measured, pdf_with

REFUSED, KEPT_UNREAD, KEPT_READ = "refused", "kept, its text not read", "kept, its text read"
OUTCOME = dict.fromkeys((h.key for h in CORPUS), REFUSED) | {
    # Spreadsheets and images: kept as they are (the archive hands back the same file), no text read from them.
    "formulas": KEPT_UNREAD,
    "huge-dimensions": KEPT_UNREAD,
    "huge-png": KEPT_UNREAD,
    # A PDF with a zip appended is a PDF; it shows no text.
    "polyglot-zip-pdf": KEPT_UNREAD,
    # Big but harmless once read as a stream: 5 MB of Word XML, a zip inside a Word file (never unpacked),
    # 20,000 pages (the first 1,000 are read).
    "word-bomb-5mb": KEPT_READ,
    "nested-zip": KEPT_READ,
    "pdf-many-pages": KEPT_READ,
}


@pytest.fixture
def support(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_person("support", role=Person.Role.SUPPORT)


@pytest.fixture
def reads(monkeypatch):
    """What each reading of a file gave (the real reading, recorded on its way back to the form)."""
    found = []

    def recorded(upload):
        read = original(upload)
        found.append(read)
        return read

    original = archive.forms.read_text
    monkeypatch.setattr(archive.forms, "read_text", recorded)
    return found


def upload(client, name: str, data: bytes):
    return client.post(
        reverse("archive:document_create"),
        {
            "title": "Minutes",
            "kind": "minutes",
            "dated": "2013-02-18",
            "language": "en",
            "token": str(uuid.uuid4()),
            "file": SimpleUploadedFile(name, data),
        },
    )


def field_errors(page: str) -> list[str]:
    return [e.strip() for e in re.findall(r'id="error_\d+_id_file"[^>]*>\s*(?:<strong>)?(.*?)<', page, re.S)]


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.key for h in CORPUS])
def test_each_hostile_file_is_refused_or_kept_unread_with_its_reason_quickly_and_in_little_memory(
    client, support, reads, hostile
):
    client.force_login(support)
    data = hostile.data

    response, seconds, megabytes = measured(lambda: upload(client, hostile.name, data))

    assert seconds < LIMIT_SECONDS, f"{hostile.what}: {seconds:.1f} s"
    assert megabytes < LIMIT_MB, f"{hostile.what}: the web process grew by {megabytes:.0f} MB"
    assert all(read.peak_mb < LIMIT_MB for read in reads), f"{hostile.what}: reading took {reads[0].peak_mb:.0f} MB"
    expected = OUTCOME[hostile.key]
    if expected == REFUSED:
        assert response.status_code == 400, f"{hostile.what}: answered {response.status_code}"
        assert field_errors(response.text), f"{hostile.what}: refused without a reason shown"
        assert not Document.objects.exists()
        return
    assert response.status_code == 302, f"{hostile.what}: {field_errors(response.text)}"
    document = Document.objects.get()
    version = document.versions.get()
    page = client.get(document.get_absolute_url()).text
    if expected == KEPT_UNREAD:
        assert version.text_problem and not document.text
        assert f"was not read: {version.text_problem}" in page
    else:
        assert document.text and not version.text_problem


def test_a_word_bomb_of_under_1_mb_is_refused_with_what_it_unpacks_to(client, support):
    client.force_login(support)
    bomb = next(h for h in CORPUS if h.key == "word-bomb-120mb")
    assert len(bomb.data) < 1024 * 1024
    response = upload(client, bomb.name, bomb.data)
    assert "report.docx cannot be read as a .docx file: it unpacks to 124 MB or more; more than 40 MB is refused." in (
        " ".join(field_errors(response.text))
    )


def test_a_document_whose_reading_runs_out_of_time_is_kept_and_its_page_says_why(client, support, settings):
    settings.GMG_TEXT_READ_SECONDS = 1
    client.force_login(support)
    # 1,000 pages of 100,000 text operators each: a real PDF's worth of work per page, times a thousand.
    slow = pdf_with(b"BT /F1 9 Tf " + b"(x) Tj " * 100_000 + b"ET", pages=1000)
    assert upload(client, "slow.pdf", slow).status_code == 302
    document = Document.objects.get()
    assert document.versions.get().text_problem == "reading its text took longer than the 1 seconds allowed"
    assert (
        "was not read: reading its text took longer than the 1 seconds allowed"
        in client.get(document.get_absolute_url()).text
    )
    assert document.text == ""


def test_a_document_whose_reading_runs_out_of_memory_is_kept_and_its_page_says_why(client, support, settings):
    settings.GMG_TEXT_READ_MB = 20
    client.force_login(support)
    big = next(h for h in CORPUS if h.key == "word-bomb-5mb")
    assert upload(client, big.name, big.data).status_code == 302
    document = Document.objects.get()
    assert document.versions.get().text_problem == "reading its text needed more than the 20 MB of memory allowed"
    assert "the search does not find words inside it" in client.get(document.get_absolute_url()).text
