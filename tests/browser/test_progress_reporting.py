"""A UNODC focal point's journey in headless Chromium: file an update on an activity UNODC leads in the MAWP,
and be refused, with the reason on the page, the update form of an activity ILO leads."""

import pytest
from playwright.sync_api import expect

from groups.models import Agency, Person
from tests.browser.checks import console_errors, journey_problems
from tests.factories import make_person
from workplans.models import Activity, ActivityUpdate

pytestmark = pytest.mark.browser

# Seed 000, MAWP 2013 table, Human Rights and Gender Equality, Output 1, activity 1.1 (led by UNODC).
THEMATIC_PAPER = "GMG Thematic paper on a human rights-based response to exploitation of migrants"


@pytest.fixture
def unodc_focal_point(gmg_record, transactional_db):
    return make_person(
        "unodc-fp",
        role=Person.Role.FOCAL_POINT,
        agency=Agency.objects.get(acronym="UNODC"),
        first_name="Uma",
        last_name="Nodc",
    )


def test_a_unodc_focal_point_reports_on_its_activity_and_cannot_touch_an_ilo_one(
    page, live_server, sign_in, unodc_focal_point
):
    activity = Activity.objects.get(
        output__title=THEMATIC_PAPER, output__stream__workplan__slug="mawp-2013-2015", number="1.1"
    )
    assert list(activity.lead_agencies.values_list("acronym", flat=True)) == ["UNODC"]
    ilo_activity = (
        Activity.objects.filter(lead_agencies__acronym="ILO")
        .exclude(partners__acronym="UNODC")
        .exclude(lead_agencies__acronym="UNODC")[0]
    )

    console = console_errors(page)
    sign_in(unodc_focal_point)
    page.get_by_role("link", name="My agency's activities").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("UNODC")
    problems = journey_problems(page, "My agency's activities")
    page.get_by_label("Year").fill("2013")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=activity.description[:40]).click()
    page.get_by_role("link", name="Report progress").click()

    problems += journey_problems(page, "the report form")
    page.get_by_label("Status").select_option(label="Completed")
    page.get_by_label("What happened").fill("The paper was launched at the high-profile event in Geneva.")
    page.get_by_label("Links").fill("https://www.unodc.org/gmg-thematic-paper")
    page.get_by_label("Files").set_input_files(
        {"name": "launch-note.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="File the update").click()

    expect(page.get_by_role("status")).to_contain_text("Your update is filed")
    updates = page.get_by_role("region", name="Progress updates")
    expect(updates).to_contain_text("The paper was launched at the high-profile event in Geneva.")
    expect(updates.get_by_role("link", name="launch-note.pdf")).to_be_visible()
    problems += journey_problems(page, "the activity with its update")
    assert problems == [] and console == [], problems + console
    update = ActivityUpdate.objects.get(activity=activity)
    assert (update.agency.acronym, update.status, update.review) == ("UNODC", "completed", "submitted")

    page.goto(f"{live_server.url}/workplans/activities/{ilo_activity.pk}/report/")
    expect(page.get_by_role("heading", name="You may not do this")).to_be_visible()
    expect(page.locator("main")).to_contain_text("leads or takes part in this activity")
    assert not ActivityUpdate.objects.filter(activity=ilo_activity).exists()
