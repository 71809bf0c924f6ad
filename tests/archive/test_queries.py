"""The archive's pages read the record in a fixed number of queries, whatever the number of documents."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import Document, DocumentVersion
from groups.models import Person
from tests.factories import make_agency, make_decision, make_group, make_meeting, make_person, make_term


def grow(size: int, records: dict) -> None:
    """Add `size` documents, each with three versions and linked to every kind of record, and more records."""
    for _ in range(size):
        day = date(2014, 1, 1) + timedelta(days=Document.objects.count())
        meeting = make_meeting(day, title=f"Meeting {day}")
        document = Document.objects.create(title=f"Minutes {day}", kind="minutes", dated=day, text="Minutes " * 500)
        for number in (1, 2, 3):
            DocumentVersion.objects.create(document=document, number=number, text="Minutes", file_name="m.pdf")
        document.meetings.set([meeting, records["meeting"]])
        document.groups.set([records["group"]])
        document.chair_terms.set([records["term"]])
        document.decisions.set([records["decision"]])


@pytest.fixture
def record(db, settings):
    meeting = make_meeting(date(2013, 7, 3), title="Principals meeting")
    records = {
        "meeting": meeting,
        "decision": make_decision(meeting, "1"),
        "group": make_group(),
        "term": make_term(make_agency("ILO"), date(2014, 1, 1), date(2014, 12, 31)),
        "support": make_person("support", role=Person.Role.SUPPORT),
    }
    grow(1, records)
    return records


PAGES = {
    "document_list": lambda r: reverse("archive:document_list"),
    "document_detail": lambda r: Document.objects.order_by("pk").first().get_absolute_url(),
    "meeting_detail": lambda r: r["meeting"].get_absolute_url(),
}


def count_queries(client, url) -> int:
    """What the page reads when nothing of it is kept (the record just changed: kit.record_version)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_a_page_reads_the_same_number_of_queries_for_a_small_and_a_large_archive(client, record, name):
    client.force_login(record["support"])
    url = PAGES[name](record)
    count_queries(client, url)  # warm the session and the content types
    small = count_queries(client, url)
    grow(60, record)  # more than a page of the list (50)
    large = count_queries(client, url)
    assert small == large, f"{name}: {small} queries with a small archive, {large} with a large one"
    assert large == PINNED[name], f"{name}: {large} queries, pinned at {PINNED[name]}"


# The number of queries each page makes today (the layout: 3). The list reads its page of documents with their
# number of versions and counts them (+2), after the record's version (+1: the list is kept under it,
# kit.record_version); the document page reads the document, its versions with who added
# them, and each kind of linked record (+7); a meeting's page reads its documents in one query (its own pin is
# in tests/overview/test_pages_queries.py).
PINNED = {
    "document_list": 6,
    "document_detail": 10,
    "meeting_detail": 14,
}


def test_the_kept_list_reads_only_the_reader_and_the_version_while_the_archive_does_not_change(client, record):
    """Once kept: the session, the person, the record's version and the layout's bell."""
    client.force_login(record["support"])
    url = reverse("archive:document_list")
    client.get(url)
    kept = count_queries_kept(client, url)
    grow(60, record)
    client.get(url)
    assert kept == count_queries_kept(client, url) == 4


def count_queries_kept(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)
