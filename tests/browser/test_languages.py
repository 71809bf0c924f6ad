"""The journeys once in each language, in headless Chromium, with the axe checks at each step.

- A UNODC focal point whose browser and own page say English, French or Spanish signs in, opens their agency's
  activities, files an update and reads it on the activity's page, every word in their language (the words the
  journey looks for are the catalogue's, so the same journey runs in the three).
- A visitor whose browser asks for French arrives at the public website's French pages, reads a news item that has
  no French version in English with the note, switches to English with the switcher and stays in English.
"""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from groups.models import Agency, Person
from tests.browser.checks import console_errors, journey_problems
from tests.factories import PASSWORD, make_person
from website import services
from website.models import Article, Publication
from workplans.models import Activity, ActivityUpdate

pytestmark = pytest.mark.browser

LANGUAGES = ["en-gb", "fr", "es"]
# Seed 000, MAWP 2013 table, Human Rights and Gender Equality, Output 1, activity 1.1 (led by UNODC).
THEMATIC_PAPER = "GMG Thematic paper on a human rights-based response to exploitation of migrants"


def words(language: str, text: str) -> str:
    """What the portal says for `text` in `language` (its catalogue's, or Django's)."""
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_focal_point_reports_progress_in_their_language(browser, live_server, gmg_record, transactional_db, language):
    def say(text: str) -> str:
        return words(language, text)

    person = make_person(
        "unodc-fp", role=Person.Role.FOCAL_POINT, agency=Agency.objects.get(acronym="UNODC"), language=language
    )
    activity = Activity.objects.get(
        output__title=THEMATIC_PAPER, output__stream__workplan__slug="mawp-2013-2015", number="1.1"
    )
    context = browser.new_context(locale=language, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    console = console_errors(page)
    try:
        page.goto(f"{live_server.url}/accounts/login/")  # before signing in: the browser's language
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems = journey_problems(page, "the sign-in page")
        page.get_by_label(say("E-mail address")).fill(person.email or person.username)
        page.get_by_label(say("Password")).fill(PASSWORD)
        page.get_by_role("button", name=say("Sign in")).click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", language)  # after: their own page's
        problems += journey_problems(page, "the dashboard")

        page.get_by_role("link", name=say("My agency's activities")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("UNODC")
        problems += journey_problems(page, "my agency's activities")
        page.get_by_label(say("Year")).fill("2013")
        page.get_by_role("button", name=say("Filter")).click()
        page.get_by_role("link", name=activity.description[:40]).click()
        page.get_by_role("link", name=say("Report progress")).click()

        problems += journey_problems(page, "the report form")
        page.get_by_label(say("Status")).select_option(label=str(words(language, "Completed")))
        page.get_by_label(say("What happened")).fill("The paper was launched in Geneva.")
        page.get_by_role("button", name=say("File the update")).click()

        filed = say("Your update is filed; the support team will review it.")
        expect(page.get_by_role("status")).to_contain_text(filed)
        expect(page.get_by_role("region", name=say("Progress updates"))).to_contain_text("launched in Geneva")
        problems += journey_problems(page, "the activity with its update")
        assert problems == [] and console == [], problems + console
    finally:
        context.close()
    update = ActivityUpdate.objects.get(activity=activity)
    assert (update.agency.acronym, update.status, update.review) == ("UNODC", "completed", "submitted")


def test_a_visitor_reads_the_website_in_the_language_of_their_browser_and_chooses_another(
    browser, live_server, gmg_record, transactional_db
):
    article = services.article_save(
        article=Article(slug="gfmd-2015", title="The GMG at the GFMD", summary="One voice.", body="The GMG spoke.")
    )
    services.publish(kind=Publication.Kind.ARTICLE, obj=article, at=timezone.now())
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    console = console_errors(page)
    try:
        page.goto(f"{live_server.url}/")
        assert page.url == f"{live_server.url}/fr/"
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_role("link", name=words("fr", "About"), exact=True)).to_be_visible()
        problems = journey_problems(page, "the French home page")

        page.goto(f"{live_server.url}/fr/news/gfmd-2015/")
        expect(page.get_by_role("note")).to_contain_text(
            words("fr", "This text is not yet available in this language: it is shown in English.")
        )
        expect(page.locator("article")).to_have_attribute("lang", "en")
        problems += journey_problems(page, "a news item with no French version")

        page.get_by_role("navigation", name=words("fr", "Language")).get_by_role("link", name="English").click()
        assert page.url == f"{live_server.url}/news/gfmd-2015/"
        expect(page.locator("html")).to_have_attribute("lang", "en-gb")
        page.goto(f"{live_server.url}/")  # later, from elsewhere: the choice holds
        assert page.url == f"{live_server.url}/"
        expect(page.locator("html")).to_have_attribute("lang", "en-gb")
        problems += journey_problems(page, "the English home page")
        assert problems == [] and console == [], problems + console
    finally:
        context.close()
