"""Nothing that is not published reaches the public website, live or as its static copy: on the GMG's record with
the demo accounts and drafts beside what is public (tests/website/conftest.py), every address reachable from the
home page is read as an anonymous visitor, and none may show a person's e-mail address or full name, an internal
field's text (notes, costs, funding, update narratives, review comments, minutes, remote links), an unpublished
item's text or page, or a file other than the published version. The checker is shown to catch a leak too."""

from __future__ import annotations

from django.urls import reverse

from archive.models import Document
from chairs.models import ChairTerm
from reports.documents import report_html
from reports.selectors import annual_report
from tests.website.conftest import ACCEPTED_NARRATIVE
from tests.website.crawl import Forbidden, Served, crawl, leaks, unpublished_answers, walk
from website import selectors
from website.models import Article, Publication
from website.publishable import report_slug
from website.static_copy import build

Kind = Publication.Kind


def test_the_drafts_are_on_the_record_but_not_public(drafts, client):
    """The world is what the other tests assume: drafts that exist, and public items that show."""
    assert Article.objects.filter(slug="zephyrine-draft").exists()
    assert selectors.public_article("marmalade-news", page=False) is None
    found = crawl(client)
    assert reverse("website:news_item", args=["teal-news"]) in found
    images = [a for a in found if a.startswith("/news/images/")]
    assert len(images) == 1 and found[images[0]].body == drafts.image
    files = [a for a, s in found.items() if a.startswith("/publications/") and s.body == drafts.published_file]
    assert len(files) == 1
    assert any(a.endswith("/report.pdf") for a in found), "the published annual report's PDF is linked"
    assert {"/news.atom", "/publications.atom", "/whats-on.ics", "/sitemap.xml", "/find/index.json"} <= set(found)


def test_the_live_website_shows_nothing_unpublished(drafts, client):
    forbidden = Forbidden.of_record(*drafts.secrets)
    assert len(forbidden.unpublished_addresses) > 50 and forbidden.files
    found = crawl(client)
    assert leaks(found, forbidden) == []
    assert unpublished_answers(client, forbidden) == []


def test_the_static_copy_shows_nothing_unpublished(drafts, client, tmp_path):
    forbidden = Forbidden.of_record(*drafts.secrets)
    build(tmp_path / "copy")
    files = walk(tmp_path / "copy")
    assert "index.html" in files and "find/index.json" in files
    assert leaks(files, forbidden) == []


def test_the_public_annual_report_shows_only_accepted_updates(drafts, client):
    """The portal's report shows an activity's latest update, under review or not; the public one the latest the
    support team accepted."""
    term = ChairTerm.objects.get(pk=Publication.objects.get(kind=Kind.REPORT).object_id)
    public = client.get(reverse("website:report", args=[report_slug(term)])).content.decode()
    assert ACCEPTED_NARRATIVE in public
    assert "Rhododendron" not in public
    assert "Rhododendron" in report_html(annual_report(term, today=term.annual_report_submitted_on))


# -- the checker catches a leak ------------------------------------------------------------------------------------


def test_the_checker_catches_an_email_in_a_published_article(drafts, client):
    from website import services

    article = services.article_save(
        article=Article(
            kind=Article.Kind.NEWS,
            slug="leaky",
            title="Leaky news",
            summary="A news item that names a person's address.",
            body=f"Write to [our colleague](mailto:{drafts.person_email}).",
        )
    )
    services.publish(kind=Kind.ARTICLE, obj=article)
    found = crawl(client)
    problems = leaks(found, Forbidden.of_record(*drafts.secrets))
    assert any(p.startswith("/news/leaky/: the e-mail of person") for p in problems), problems


def test_the_checker_catches_an_internal_text_in_a_template(drafts, client, monkeypatch):
    """A page that shows the work plan activities' notes, as a careless template change would."""
    from website import views

    made = views._workplan_values

    def with_notes(plan):
        values = made(plan)
        values["description"] = " ".join(a.note for a in plan.streams.first().outputs.first().activities.all())
        return values

    monkeypatch.setattr(views, "_workplan_values", with_notes)
    problems = leaks(crawl(client), Forbidden.of_record(*drafts.secrets))
    assert any("/work-plans/" in p and ": the note of activity" in p for p in problems), problems


def test_the_checker_catches_an_unpublished_page_and_file(drafts, client, monkeypatch):
    """A website that takes every item for public, and serves a document's latest version."""
    from website import selectors as chosen

    everything = Publication(public_from=None)
    monkeypatch.setattr(chosen, "public_one", lambda kind, pk, now=None: everything)
    forbidden = Forbidden.of_record(*drafts.secrets)
    answers = unpublished_answers(client, forbidden)
    assert any("/news/zephyrine-draft/" in a for a in answers), answers

    def latest(document, publication):
        return document.versions.order_by("-number").first()

    monkeypatch.setattr(chosen, "document_version", latest)
    cerulean = reverse("website:publication", args=[_pk("cerulean-paper"), "cerulean-paper"])
    page = client.get(cerulean)
    found = {cerulean: _served(cerulean, page)}
    file_address = reverse("website:publication_file", args=[_pk("cerulean-paper"), "cerulean-paper", "cerulean-2.pdf"])
    found[file_address] = _served(file_address, client.get(file_address))
    problems = leaks(found, forbidden)
    assert any("the unpublished version's text" in p for p in problems), problems
    assert any("the file of version 2 of document" in p for p in problems), problems


def _pk(key: str) -> int:
    return Document.objects.get(key=key).pk


def _served(address, response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Served(address, body, response["Content-Type"])
