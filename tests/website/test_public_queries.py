"""A visitor's page of the public website reads the record in a fixed number of queries, whatever its size: the
home page and the MAWP's page, made afresh (the record just changed) and kept (it did not), on the GMG record and
on the record grown by more of everything those pages show."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Document, DocumentVersion
from events.models import ExternalEvent
from groups.models import Agency
from tests.factories import make_activity, make_agency, make_group, make_meeting, make_output, make_stream
from website import services
from website.models import Article, Publication
from workplans.models import WorkPlan

Kind = Publication.Kind
NOW = datetime(2026, 12, 7, 10, 30, tzinfo=ZoneInfo("Europe/Zurich"))
PAGES = {"home": "/", "MAWP": "/work-plans/mawp-2013-2015/"}
# Made afresh: the home page reads the publications' moments and versions, then each kind it shows (news, meetings,
# events, members, groups with their co-chairs, plans, the About page, the troika's terms and rotation); the MAWP's
# page its plan, its publication, its streams, outputs, activities and their lead agencies.
PINNED = {"home": 21, "MAWP": 8}
# Kept: one query, the versions of the website's part of the record (the publications' moments are kept under it)
# and of every part the pages show, read together (website.views.kept_page).
KEPT = {"home": 1, "MAWP": 1}


def grow(n: int) -> None:
    """n more of each thing the two pages show, published: news, meetings, events, members, groups, streams with
    outputs and activities of the MAWP."""
    mawp = WorkPlan.objects.get(slug="mawp-2013-2015")
    lead = list(Agency.objects.order_by("pk")[:2])
    for i in range(n):
        agency = make_agency(f"NEW{i}")
        services.publish(kind=Kind.AGENCY, obj=agency)
        services.publish(kind=Kind.GROUP, obj=make_group(slug=f"new-group-{i}", co_chairs=[agency]))
        meeting = make_meeting(date(2027, 1, 10 + i), title=f"Coming meeting {i}")
        services.publish(kind=Kind.MEETING, obj=meeting)
        event = ExternalEvent.objects.create(name=f"Coming event {i}", kind="gfmd", starts_on=date(2027, 2, 1 + i))
        services.publish(kind=Kind.EVENT, obj=event)
        article = services.article_save(
            article=Article(slug=f"news-{i}", title=f"News {i}", summary="News.", dated=date(2026, 12, 1 + i))
        )
        services.publish(kind=Kind.ARTICLE, obj=article)
        stream = make_stream(mawp, title=f"New stream {i}")
        output = make_output(stream, year=2015, title=f"New output {i}")
        for k in range(3):
            make_activity(output=output, lead_agencies=lead[: 1 + k % 2], description=f"New activity {i}.{k}")


def afresh(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def kept(client, url: str) -> int:
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
@time_machine.travel(NOW, tick=False)
def test_a_visitor_s_page_reads_the_same_number_of_queries_for_a_small_and_a_large_record(client, gmg_record, name):
    url = PAGES[name]
    afresh(client, url)  # warm the content types
    small, small_kept = afresh(client, url), kept(client, url)
    grow(8)
    large, large_kept = afresh(client, url), kept(client, url)
    assert small == large, f"{name}: {small} queries made afresh on the record, {large} on a larger one"
    assert small_kept == large_kept, f"{name}: {small_kept} queries kept on the record, {large_kept} on a larger one"
    assert (large, large_kept) == (PINNED[name], KEPT[name]), f"{name}: {large} afresh and {large_kept} kept"


def test_a_public_meetings_page_reads_the_same_queries_whatever_the_number_of_public_documents(client, db):
    """A meeting's public page lists its public documents in one query, not one per document of the website."""
    meeting = make_meeting(date(2015, 6, 15), title="GMG Principals meeting")
    services.publish(kind=Kind.MEETING, obj=meeting)
    url = f"/whats-on/meetings/{meeting.pk}-gmg-principals-meeting/"

    def add_documents(n: int, start: int) -> None:
        for i in range(start, start + n):
            document = Document.objects.create(title=f"Position paper {i}", kind="position_paper")
            DocumentVersion.objects.create(document=document, number=1, text=f"Paper {i}")
            if i % 2 == 0:
                document.meetings.set([meeting])
            services.publish(kind=Kind.DOCUMENT, obj=document)

    add_documents(2, 0)
    small = afresh(client, url)
    add_documents(10, 2)
    large = afresh(client, url)
    assert small == large
    page = client.get(url).text
    assert "Position paper 0" in page and "Position paper 10" in page and "Position paper 1<" not in page
