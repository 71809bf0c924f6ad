"""What a visitor's programs make of the public website's files: the Atom feeds read by a strict XML parser, the
sitemap by the sitemap schema's rules, the calendar by a strict RFC 5545 parser, robots.txt; and the public
search. Each names public items only."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.conf import settings

from events.models import ExternalEvent
from meetings.models import Meeting
from tests.reminders.test_calendar_files import read_strictly
from website import services
from website.models import Article

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def site(db):
    public = Article.objects.create(
        slug="gfmd-2015", title="The GMG at the GFMD", summary="At the GFMD.", dated=date(2015, 10, 14), body="Text"
    )
    draft = Article.objects.create(slug="draft", title="A draft nobody may read", summary="Draft.", body="Secret")
    services.publish(kind="article", obj=public)
    meeting = Meeting.objects.create(
        title="GMG Principals meeting",
        kind="principals",
        starts_on=date(2015, 6, 15),
        venue="Geneva",
        remote_link="https://meet.example/internal-room",
    )
    hidden = Meeting.objects.create(
        title="Internal working-level call", kind="working_level", starts_on=date(2015, 6, 2)
    )
    event = ExternalEvent.objects.create(
        name="GFMD Summit 2015", kind="gfmd", starts_on=date(2015, 10, 14), ends_on=date(2015, 10, 16), place="Istanbul"
    )
    services.publish(kind="meeting", obj=meeting)
    services.publish(kind="event", obj=event)
    return {"public": public, "draft": draft, "meeting": meeting, "hidden": hidden, "event": event}


def test_the_news_feed_is_atom_a_strict_parser_reads_with_public_items_only(client, site):
    response = client.get("/news.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["The GMG at the GFMD"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"{settings.SITE_URL}/news/gfmd-2015/"
    assert b"A draft nobody may read" not in response.content


def test_the_publications_feed_is_atom(client, site):
    feed = ET.fromstring(client.get("/publications.atom").content)
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}title") == "Global Migration Group: publications"


def test_the_sitemap_lists_every_public_page_and_nothing_else(client, site):
    response = client.get("/sitemap.xml")
    urls = [u.findtext(f"{SITEMAP}loc") for u in ET.fromstring(response.content).findall(f"{SITEMAP}url")]
    assert all(u.startswith("http") for u in urls)
    paths = {u.split("//", 1)[1].split("/", 1)[1] for u in urls}
    assert {"", "news/", "news/gfmd-2015/", "members/", "find/"} <= {p.rstrip("/") + "/" if p else "" for p in paths}
    assert not any("draft" in u or "internal-working-level" in u for u in urls)
    for url in urls:
        assert client.get(url.split(settings.SITE_URL, 1)[1]).status_code == 200, url


def test_robots_allows_the_site_and_points_to_the_sitemap(client, db):
    text = client.get("/robots.txt").text
    assert "Disallow: /accounts/" in text and f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text
    assert "Disallow: /\n" not in text


def test_the_calendar_of_public_meetings_and_events_reads_strictly_and_says_nothing_internal(client, site):
    response = client.get("/whats-on.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = read_strictly(response.content, "public calendar")
    summaries = sorted(event.summary for event in calendar.events)
    assert summaries == ["GFMD Summit 2015", "GMG Principals meeting"]
    assert b"meet.example" not in response.content and b"mailto:" not in response.content
    gfmd = next(e for e in calendar.events if e.summary == "GFMD Summit 2015")
    assert gfmd.dtstart == date(2015, 10, 14) and gfmd.dtend == date(2015, 10, 17)


def test_the_public_search_finds_what_is_published_and_nothing_else(client, site):
    found = client.get("/find/", {"q": "GFMD"}).text
    assert "The GMG at the GFMD" in found and "GFMD Summit 2015" in found
    assert "A draft nobody may read" not in client.get("/find/", {"q": "draft"}).text
    assert "Internal working-level call" not in client.get("/find/", {"q": "internal call"}).text
    assert "Type at least two letters." in client.get("/find/", {"q": "x"}).text


def test_every_public_page_names_itself_for_search_engines_and_link_previews(client, site):
    for path in ("/", "/news/", "/news/gfmd-2015/", "/members/", "/chair/", "/working-groups/", "/work-plans/"):
        page = client.get(path).text
        assert f'<link rel="canonical" href="{settings.SITE_URL}{path}">' in page, path
        assert '<meta name="description" content="' in page and 'content=""' not in page, path
        assert '<meta property="og:title"' in page and '<meta property="og:url"' in page, path


def test_a_public_page_is_kept_until_the_public_record_changes(client, site, django_assert_max_num_queries):
    client.get("/news/")
    with django_assert_max_num_queries(3):
        assert "The GMG at the GFMD" in client.get("/news/").text
    services.unpublish(kind="article", obj=site["public"])
    assert "The GMG at the GFMD" not in client.get("/news/").text
