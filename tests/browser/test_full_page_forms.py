"""The portal's full-page forms in headless Chromium: a refused submit shows its error next to the field, a good
one lands on exactly one page (one <main>, one <h1>) with its message - never a page drawn inside the form."""

import re

import pytest
from playwright.sync_api import expect

from groups.models import Person
from tests.factories import make_person
from workplans.models import ReportingRound, WorkPlan

pytestmark = pytest.mark.browser

MAWP = "mawp-2013-2015"


@pytest.fixture
def officer(gmg_record, transactional_db):
    return make_person("support-officer", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support")


def _errors_of(page):
    """Console errors and page errors; the refused form's own 400 answer (a document, as meant) aside."""
    messages = []

    def keep(message):
        if message.type == "error" and "status of 400" not in message.text:
            messages.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages


def _one_page(page):
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)


def test_copying_a_plan_for_the_next_cycle_refuses_an_end_before_the_start_then_lands_on_the_copy(
    page, live_server, sign_in, officer
):
    console = _errors_of(page)
    plans = WorkPlan.objects.count()
    sign_in(officer)
    page.goto(f"{live_server.url}/workplans/{MAWP}/copy/")
    page.get_by_label("Starts on").fill("2016-01-01")
    page.get_by_label("Ends on").fill("2015-12-31")
    page.get_by_role("button", name="Copy into a new plan").click()
    field = page.locator("#id_ends_on")
    expect(page.get_by_text("The plan must end after it starts.")).to_be_visible()
    # The error is the field's own (crispy's feedback below it), not somewhere else on the page.
    expect(field).to_have_class(re.compile(r"is-invalid"))
    _one_page(page)
    assert WorkPlan.objects.count() == plans

    page.get_by_label("Ends on").fill("2018-12-31")
    page.get_by_role("button", name="Copy into a new plan").click()
    expect(page.get_by_text("starts the next cycle")).to_be_visible()
    _one_page(page)
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Start the next cycle")
    assert WorkPlan.objects.count() == plans + 1
    assert console == []


def test_opening_a_reporting_round_refuses_a_period_ending_before_it_starts_then_lands_on_the_round(
    page, live_server, sign_in, officer
):
    console = _errors_of(page)
    sign_in(officer)
    page.goto(f"{live_server.url}/workplans/rounds/new/")
    page.get_by_label("Title").fill("Mid-year 2015")
    page.get_by_label("Period starts on").fill("2015-06-30")
    page.get_by_label("Period ends on").fill("2015-01-01")
    page.get_by_label("Updates due on").fill("2015-07-15")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("The period cannot end before it starts.")).to_be_visible()
    expect(page.locator("#id_period_ends_on")).to_have_class(re.compile(r"is-invalid"))
    _one_page(page)
    assert not ReportingRound.objects.exists()

    page.get_by_label("Period starts on").fill("2015-01-01")
    page.get_by_label("Period ends on").fill("2015-06-30")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("Reporting round “Mid-year 2015” opened")).to_be_visible()
    _one_page(page)
    assert ReportingRound.objects.count() == 1
    assert console == []
