"""Every page of the public website, opened in headless Chromium by a visitor who is not signed in, checked as the
every-page walk checks the portal's pages (tests/browser/checks.py): no serious or critical axe-core violation,
no sideways swipe at 390 and 1,366 px, no word broken mid-word in a table, no console error, a plain-text title,
every status still readable when printed.

The pages are found, not listed: every URL pattern of the `website` namespace outside the support team's desk
(/website/..., walked as support staff by tests/browser/test_every_page.py), its address filled from SAMPLES, the
small world of tests/test_bad_input.py with everything in it published. A new public address without a sample
fails the walk with what to add; one that answers anything other than 200 to the visitor fails it too. An address
that answers a file or a feed (not an HTML page) is opened, not checked in the browser. The walk is made in English,
French and Spanish, at each language's addresses, by a browser that asks for that language.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse, translate_url
from django.utils import translation

from archive.models import Document, DocumentVersion
from chairs.models import ChairReportVersion, ChairTerm
from events.models import ExternalEvent
from groups.models import Agency, Group, TermsOfReference
from meetings.models import Meeting
from tests.archive.files import make_pdf
from tests.browser.checks import console_errors, page_problems
from tests.test_bad_input import _routes
from website import services
from website.models import Article, Publication
from website.publishable import agency_slug, report_slug, short_slug
from workplans.models import WorkPlan

pytestmark = pytest.mark.browser

Kind = Publication.Kind
# A 1x1 PNG: the image a news item shows.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003"
    "010100c9fe92ef0000000049454e44ae426082"
)
# Addresses of a public page beyond its pattern's own: a search with words.
MORE = ["/find/?q=decent+work"]


def public_routes() -> dict[str, str]:
    """The public website's patterns by name: the `website` namespace without the support team's desk."""
    return {
        name: route
        for name, route in sorted(_routes().items())
        if name.startswith("website:") and not route.startswith("website/")
    }


def publish_everything(world) -> dict[str, dict]:
    """The bad-input world with one item of each kind published, and each public pattern's address parameters."""
    ilo = Agency.objects.get(acronym="ILO")
    group = Group.objects.get(slug=world["samples"][("groups", "slug")])
    tor = TermsOfReference.objects.filter(group=group).first()
    plan = WorkPlan.objects.get(slug=world["samples"][("workplans", "slug")])
    meeting = Meeting.objects.get(pk=world["samples"][("meetings", "pk")])
    event = ExternalEvent.objects.get(pk=world["samples"][("events", "pk")])
    term = ChairTerm.objects.get(pk=world["samples"][("chairs", "pk")])
    ChairTerm.objects.filter(pk=term.pk).update(annual_report_submitted_on=date(2016, 2, 18))
    term.refresh_from_db()
    ChairReportVersion.objects.create(
        term=term, revision=1, introduction="In 2015 the ILO chaired the GMG.", highlights="- A joint statement"
    )
    paper = Document.objects.create(
        title="Position paper on decent work", kind="position_paper", dated=date(2014, 5, 6)
    )
    pdf = make_pdf("Position paper on decent work", "Migrant workers' rights at work.")
    DocumentVersion.objects.create(
        document=paper, number=1, file=ContentFile(pdf, name="paper.pdf"), file_name="paper.pdf", file_size=len(pdf)
    )
    photo = Document.objects.create(key="gfmd-photo", title="Photo of the GFMD", kind="other")
    image = DocumentVersion.objects.create(
        document=photo, number=1, file=ContentFile(PNG, name="gfmd.png"), file_name="gfmd.png", file_size=len(PNG)
    )
    news = Article(
        kind=Article.Kind.NEWS,
        slug="gmg-at-the-gfmd",
        title="The GMG at the GFMD",
        summary="The GMG's members spoke with one voice.",
        body="A side event on decent work.\n\n![The side event](archive:gfmd-photo)",
    )
    services.article_save(article=news)
    contact = Article(kind=Article.Kind.PAGE, slug="how-to-reach-us", title="Contact", summary="How to reach the GMG.")
    services.article_save(article=contact)
    for kind, obj in [
        (Kind.AGENCY, ilo),
        *[(Kind.AGENCY, agency) for agency in Agency.objects.exclude(pk=ilo.pk)],
        (Kind.GROUP, group),
        (Kind.TOR, tor),
        (Kind.WORKPLAN, plan),
        (Kind.MEETING, meeting),
        (Kind.EVENT, event),
        (Kind.DOCUMENT, paper),
        (Kind.REPORT, term),
        (Kind.ARTICLE, news),
        (Kind.ARTICLE, contact),
    ]:
        services.publish(kind=kind, obj=obj)
    return {
        "website:member": {"slug": agency_slug(ilo)},
        "website:group": {"slug": group.slug},
        "website:tor": {"slug": group.slug, "pk": tor.pk},
        "website:workplan": {"slug": plan.slug},
        "website:meeting": {"pk": meeting.pk, "slug": short_slug(meeting.title)},
        "website:event": {"pk": event.pk, "slug": short_slug(event.name)},
        "website:news_item": {"slug": news.slug},
        "website:image": {"pk": image.pk, "name": image.file_name},
        "website:report": {"slug": report_slug(term)},
        "website:report_file": {"slug": report_slug(term), "fmt": "html"},
        "website:publication": {"pk": paper.pk, "slug": short_slug(paper.title)},
        "website:publication_file": {"pk": paper.pk, "slug": short_slug(paper.title), "name": "paper.pdf"},
        "website:page": {"slug": contact.slug},
    }


def public_pages(samples: dict[str, dict], language: str = "en-gb") -> tuple[dict[str, str], list[str]]:
    """(the public pages by address with their pattern's name, the problems) as a visitor gets them, at the
    addresses of `language` (/fr/..., /es/...)."""
    visitor = Client()
    pages, problems = {}, []
    for name, route in public_routes().items():
        parameters = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if parameters and name not in samples:
            problems.append(
                f"{name} (/{route}) has no sample: add its parameters {parameters} to publish_everything() in "
                "tests/browser/test_every_public_page.py"
            )
            continue
        with translation.override(language):
            url = reverse(name, kwargs=samples.get(name) or None)
        response = visitor.get(url)
        if response.status_code != 200:
            problems.append(f"{name} ({url}) answered {response.status_code} to a visitor")
            continue
        downloaded = response.get("Content-Disposition", "").startswith("attachment")
        if response["Content-Type"].startswith("text/html") and b"<title" in response.content[:4000] and not downloaded:
            pages[url] = name
    for url in MORE:
        pages[translate_url(url, language)] = url
    return pages, problems


@pytest.mark.parametrize("language", ["en-gb", "fr", "es"])
def test_every_public_page_reads_right_to_a_visitor_in_the_browser(
    browser, live_server, world, transactional_db, language
):
    """Every page, in each of the website's languages, as a visitor whose browser asks for it."""
    pages, problems = public_pages(publish_everything(world), language)
    assert not problems, "Public addresses that did not open:\n" + "\n".join(problems)
    assert {"website:home", "website:workplan", "website:news_item", "website:report", "website:page"} <= set(
        pages.values()
    )
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=language)
    page = context.new_page()
    console = console_errors(page)
    try:
        for url, name in pages.items():
            response = page.goto(f"{live_server.url}{url}")
            if response is None or response.status != 200:
                problems.append(f"{url} ({name}): the browser got {response and response.status}")
                continue
            if page.locator("html").get_attribute("lang") != language:
                problems.append(f"{url} ({name}): the page does not say it is in {language}")
            problems += [f"{url} ({name}): {problem}" for problem in page_problems(page, console=console)]
    finally:
        context.close()
    assert not problems, f"{len(problems)} problems on the public pages:\n" + "\n".join(problems)


def test_a_public_address_without_a_sample_fails_the_walk(world):
    samples = publish_everything(world)
    del samples["website:member"]
    _, problems = public_pages(samples)
    assert any(p.startswith("website:member (/members/<slug:slug>/) has no sample") for p in problems), problems


def test_a_public_page_that_stops_opening_fails_the_walk(world):
    samples = publish_everything(world)
    samples["website:workplan"] = {"slug": "no-such-plan"}
    _, problems = public_pages(samples)
    assert "website:workplan (/work-plans/no-such-plan/) answered 404 to a visitor" in problems
