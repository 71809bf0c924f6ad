"""The public website in headless Chromium: a support officer writes a news item about the GFMD with an image from
the archive, previews it and schedules it for tomorrow 09:00; marks the ILO's 2014 annual report submitted and
publishes it; publishes the Decent Work task force's terms of reference. A visitor, not signed in, then finds the
Chair and troika of today, the members, the groups, the MAWP with where it stands, the documents and the feeds; the
news item is not there before 09:00 and is there at 09:00 (the live server runs in the test's process, so the
clock travels for it too).

Each page the visitor opens is checked as the every-page walk checks them (tests/browser/checks.py); the home page
and the MAWP page are kept as screenshots at a phone's and a laptop's width in /tmp/shots/ for a person to look at.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from archive.models import Document, DocumentVersion
from chairs.models import ChairTerm
from groups.models import Agency, Group, Person
from tests.browser.checks import console_errors, page_problems
from tests.factories import make_person, make_term
from website.models import Article

pytestmark = pytest.mark.browser

ZURICH = ZoneInfo("Europe/Zurich")
# Today for the journey: a Monday morning in the GMG's time zone, after the record's load made its items public.
NOW = datetime(2026, 12, 7, 10, 30, tzinfo=ZURICH)
NINE_TOMORROW = datetime(2026, 12, 8, 9, 0, tzinfo=ZURICH)
SHOTS = Path("/tmp/shots")


def _png() -> bytes:
    """A small real picture: a blue banner with a white band (what the archive keeps of a photo)."""
    image = Image.new("RGB", (320, 180), (11, 79, 113))
    ImageDraw.Draw(image).rectangle((0, 120, 320, 150), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def officer(gmg_record, transactional_db, settings, tmp_path):
    """The record as loaded, a photo of the GFMD in the archive, and the Chairs around 2026 (the record stops
    at 2017: these make a troika of today)."""
    settings.MEDIA_ROOT = tmp_path
    photo = Document.objects.create(
        key="gfmd-2026-side-event-photo", title="Photo: the GMG's side event at the GFMD 2026", kind="other"
    )
    png = _png()
    DocumentVersion.objects.create(
        document=photo,
        number=1,
        file=ContentFile(png, name="gfmd-side-event.png"),
        file_name="gfmd-side-event.png",
        file_size=len(png),
    )
    make_term(Agency.objects.get(acronym="UNDP"), date(2025, 1, 1), date(2025, 12, 31))
    make_term(Agency.objects.get(acronym="UNHCR"), date(2026, 1, 1), date(2026, 12, 31))
    make_term(Agency.objects.get(acronym="UNICEF"), date(2027, 1, 1), date(2027, 12, 31), kind=ChairTerm.Kind.PLANNED)
    return make_person("support-officer", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support")


def _shots(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_support_team_publishes_and_a_visitor_finds_it_at_its_hour(page, browser, live_server, sign_in, officer):
    with time_machine.travel(NOW, tick=True) as clock:
        console = console_errors(page)
        sign_in(officer)
        _write_and_schedule_the_news(page, live_server)
        _submit_and_publish_the_annual_report(page, live_server)
        _publish_the_terms_of_reference(page, live_server)
        assert console == [], console

        visitor = browser.new_context(viewport={"width": 1366, "height": 900})
        seen = visitor.new_page()
        problems = _visit(seen, live_server)

        # Not public before its hour: not on the home page, the news, the feed, nor at its address.
        clock.move_to(NINE_TOMORROW - timedelta(minutes=1))
        seen.goto(f"{live_server.url}/")
        expect(seen.get_by_role("region", name="News and statements")).not_to_contain_text("GFMD")
        assert seen.goto(f"{live_server.url}/news/gmg-at-the-gfmd-2026/").status == 404
        assert "GFMD" not in seen.request.get(f"{live_server.url}/news.atom").text()

        # At 09:00 it is everywhere, with its picture.
        clock.move_to(NINE_TOMORROW)
        seen.goto(f"{live_server.url}/")
        news = seen.get_by_role("region", name="News and statements")
        news.get_by_role("link", name="The GMG at the Global Forum on Migration and Development 2026").click()
        expect(seen.get_by_role("heading", level=1)).to_have_text(
            "The GMG at the Global Forum on Migration and Development 2026"
        )
        picture = seen.get_by_role("img", name="The GMG's side event at the GFMD")
        expect(picture).to_be_visible()
        assert picture.evaluate("img => img.complete && img.naturalWidth") == 320
        problems += [f"the news item: {p}" for p in page_problems(seen, console=console_errors(seen))]
        feed = seen.request.get(f"{live_server.url}/news.atom")
        assert feed.ok and "The GMG at the Global Forum on Migration and Development 2026" in feed.text()
        visitor.close()
    assert problems == [], "\n".join(problems)


def _write_and_schedule_the_news(page, live_server) -> None:
    page.goto(f"{live_server.url}/website/")
    page.get_by_role("link", name="Write a news item, statement or page").click()
    page.locator("#id_title").fill("The GMG at the Global Forum on Migration and Development 2026")
    page.get_by_label("Address").fill("gmg-at-the-gfmd-2026")
    page.locator("#id_summary").fill("The GMG's members spoke with one voice at the GFMD's side event on decent work.")
    body = page.locator("#id_body")
    body.fill("The GMG held a side event at the **GFMD 2026** on decent work for migrant workers.\n\n")
    body.press("End")
    page.get_by_label("Insert an image from the archive").select_option(
        label="Photo: the GMG's side event at the GFMD 2026"
    )
    page.get_by_role("button", name="Insert").click()
    # The inserted reference's words are selected: typing replaces them with the description.
    page.keyboard.type("The GMG's side event at the GFMD")
    expect(body).to_have_value(
        "The GMG held a side event at the **GFMD 2026** on decent work for migrant workers.\n\n"
        f"![The GMG's side event at the GFMD](archive:{Document.objects.get(key='gfmd-2026-side-event-photo').pk})"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("It is not public until you publish it")
    article = Article.objects.get(slug="gmg-at-the-gfmd-2026")
    assert article.images.count() == 1

    # The preview: the page as visitors will see it, with its picture.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview as visitors will see it").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("note")).to_contain_text("Preview.")
    expect(preview.get_by_role("heading", level=1)).to_have_text(
        "The GMG at the Global Forum on Migration and Development 2026"
    )
    picture = preview.get_by_role("img", name="The GMG's side event at the GFMD")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 320, "the preview's image did not load"
    preview.close()

    # Scheduled for tomorrow 09:00, the GMG's time.
    page.get_by_label("At a day and time").check()
    page.get_by_label("Day", exact=True).fill("2026-12-08")
    page.get_by_label("Time (the GMG's time zone)").fill("09:00")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Scheduled: public from 8 December 2026, 09:00.")
    expect(page.get_by_role("region", name="On the public website")).to_contain_text(
        "Scheduled: public from 8 December 2026, 09:00"
    )


def _submit_and_publish_the_annual_report(page, live_server) -> None:
    term = ChairTerm.objects.get(agency__acronym="ILO", kind=ChairTerm.Kind.ACTUAL, starts_on=date(2014, 1, 1))
    page.goto(f"{live_server.url}/website/?kind=report")
    page.get_by_role("link", name="Annual report of the Chair, ILO, 2014").click()
    expect(page.get_by_role("region", name="On the public website")).to_contain_text("once it is submitted")
    page.get_by_role("link", name="The record's page").click()

    page.get_by_role("link", name="Write the introduction and highlights").click()
    page.get_by_label("Introduction").fill("In 2014 the ILO chaired the GMG for its first one-year term.")
    page.get_by_label("Highlights").fill("- Coordinated GMG input to the GFMD in Stockholm")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_role("status")).to_contain_text("Saved version 1 of the report's text.")
    page.get_by_label("Submitted on").fill("2015-02-18")
    page.get_by_role("button", name="Mark the report submitted").click()
    expect(page.get_by_role("status")).to_contain_text("marked submitted on 18 February 2015")

    page.goto(f"{live_server.url}/website/report/{term.pk}/")
    expect(page.get_by_label("Version shown to visitors")).to_have_value("1")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published: visitors see it now.")


def _publish_the_terms_of_reference(page, live_server) -> None:
    tor = Group.objects.get(slug="tf-decent-work").terms_of_reference.order_by("-adopted_on").first()
    page.goto(f"{live_server.url}/website/?kind=tor&q=Decent")
    page.get_by_role("link", name=f"Task Force on Migration and Decent Work: terms of reference {tor.version}").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published: visitors see it now.")


def _visit(page, live_server) -> list[str]:
    """The visitor's walk; the problems of each page opened."""
    console = console_errors(page)
    problems: list[str] = []

    def check(where: str) -> None:
        problems.extend(f"{where}: {problem}" for problem in page_problems(page, console=console))

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Staff portal")).to_be_visible()
    troika = page.get_by_role("region", name="The Chair and the troika today")
    expect(troika).to_contain_text("United Nations High Commissioner for Refugees (UNHCR), 1 January 2026")
    expect(troika.locator("dd").nth(1)).to_contain_text("UNDP")
    expect(troika.locator("dd").nth(2)).to_contain_text("UNICEF")
    expect(page.get_by_role("region", name="News and statements")).to_contain_text("No news has been published yet.")
    check("home")
    _shots(page, "home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    expect(page.get_by_role("table")).to_contain_text("International Labour Organization (ILO)")
    check("members")
    page.get_by_role("link", name="International Labour Organization (ILO)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("International Labour Organization")
    check("a member")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Working groups").click()
    expect(page).to_have_url(f"{live_server.url}/working-groups/")
    check("groups")
    page.get_by_role("link", name="Task Force on Migration and Decent Work").click()
    expect(page.get_by_role("region", name="Mandate")).to_be_visible()
    check("the task force")
    page.get_by_role("region", name="Mandate").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terms of reference of the Task Force on Migration and Decent Work"
    )
    check("the terms of reference")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Work plans").click()
    expect(page).to_have_url(f"{live_server.url}/work-plans/")
    check("work plans")
    page.get_by_role("link", name="Multi-Annual Work Plan 2013-2015").first.click()
    expect(page).to_have_url(f"{live_server.url}/work-plans/mawp-2013-2015/")
    standing = page.get_by_role("region", name="Where the plan stands")
    expect(standing).to_contain_text(re.compile(r"\d+ activities: \d+ planned \(\d+%\)"))
    check("the MAWP")
    _shots(page, "mawp")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Chair and troika").click()
    expect(page).to_have_url(f"{live_server.url}/chair/")
    check("chair")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Publications").click()
    expect(page.locator("main")).to_contain_text("Task Force on Migration and Decent Work, ")
    check("publications")
    page.get_by_role("link", name="Annual report of the Chair, ILO, 2014").click()
    expect(page.locator("main")).to_contain_text("Submitted on 18 February 2015")
    expect(page.locator("main")).to_contain_text("first one-year term")
    check("the annual report")
    feed = page.request.get(f"{live_server.url}/publications.atom")
    assert feed.ok and "Annual report of the Chair, ILO, 2014" in feed.text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="News").click()
    expect(page.locator("main")).to_contain_text("No news has been published yet.")
    check("news")
    return problems
