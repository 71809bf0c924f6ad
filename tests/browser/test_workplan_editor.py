"""A support officer's journey in headless Chromium: add an activity to the MAWP, seeing the timeframe read as
they type, then publish a version of the plan and find it in the versions list."""

import pytest
from playwright.sync_api import expect

from groups.models import Person
from tests.browser.checks import console_errors, journey_problems
from tests.factories import make_person
from workplans.models import Activity, Output, WorkPlan, WorkPlanVersion

pytestmark = pytest.mark.browser

MAWP = "mawp-2013-2015"  # data/gmg/workplans/mawp-2013-2015.yaml


@pytest.fixture
def officer(gmg_record, transactional_db):
    return make_person("support-officer", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support")


def test_a_support_officer_adds_an_activity_to_the_mawp_and_publishes_a_version(page, live_server, sign_in, officer):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    console = console_errors(page)
    output = Output.objects.filter(stream__workplan__slug=MAWP, year=2014).order_by("stream__position", "position")[0]

    sign_in(officer)
    page.get_by_role("link", name="Work plans", exact=True).click()
    page.get_by_role("link", name=WorkPlan.objects.get(slug=MAWP).title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Multi-Annual Work Plan 2013-2015")
    problems = journey_problems(page, "the MAWP's page")
    # The page reads as a plan; its editing is asked for once, and every row then has its Edit.
    expect(page.get_by_role("link", name="Edit activity 1.1")).to_have_count(0)
    page.get_by_role("link", name="Edit streams, outputs and activities").click()
    expect(page.get_by_role("link", name="Edit activity 1.1", exact=True).first).to_be_visible()
    problems += journey_problems(page, "the MAWP's page, editing")

    block = page.locator(f"#output-{output.pk}")
    block.get_by_role("link", name="Add an activity").click()
    form = page.locator(f"#output-{output.pk}-new-activity-form")
    expect(form).to_be_visible()
    form.get_by_label("Number").fill("1.9")
    form.get_by_label("Description").fill("Brief member states on the post-2015 agenda in Geneva")
    timeframe = form.get_by_label("Timeframe")
    timeframe.press_sequentially("Spring 2014", delay=40)
    # The reading appears as they type, before anything is saved.
    expect(form.locator(f"#new-activity-{output.pk}-timeframe-reading")).to_contain_text("1 March 2014 to 31 May 2014")
    # The agency fields are searchable: type, then Enter picks the match (no Ctrl-click in a list of 16).
    for label, typed, option in (
        ("Lead agencies", "IOM", "IOM – International Organization for Migration"),
        ("Partners", "UNDP", "UNDP – United Nations Development Programme"),
    ):
        form.get_by_role("combobox", name=label).press_sequentially(typed, delay=20)
        listbox = page.get_by_role("listbox", name=label)
        expect(listbox.get_by_role("option", name=option)).to_be_visible()
        expect(listbox.get_by_role("option")).to_have_count(1)  # the search has narrowed the list
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
    form.get_by_label("Funding source").fill("KNOMAD funded")
    form.get_by_label("Estimated cost").fill("75000")
    form.get_by_label("Currency").fill("DOL")
    form.get_by_role("button", name="Save the activity").click()
    # The mistake is said next to the field, in place, and nothing typed is lost.
    expect(form.get_by_text("Enter a currency as its three-letter ISO 4217 code")).to_be_visible()
    expect(form.get_by_label("Description")).to_have_value("Brief member states on the post-2015 agenda in Geneva")
    form.get_by_label("Currency").fill("USD")
    form.get_by_role("button", name="Save the activity").click()

    row = block.get_by_role("row").filter(has_text="Brief member states on the post-2015 agenda")
    expect(row).to_be_visible()
    expect(row).to_contain_text("1 Mar 2014 – 31 May 2014")
    expect(row).to_contain_text("IOM")
    expect(page.locator("#editor-messages")).to_contain_text("Activity 1.9 added.")
    activity = Activity.objects.get(description="Brief member states on the post-2015 agenda in Geneva")
    assert (activity.currency, activity.funding_source) == ("USD", "KNOMAD funded")

    # Reordering works from the keyboard, from the activity's editor, and the focus comes back to its row.
    block.get_by_role("link", name="Edit activity 1.9").click()
    move_up = block.get_by_role("button", name="Move activity 1.9 up")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#editor-messages")).to_contain_text("Activity 1.9 moved up.")
    expect(block.get_by_role("link", name="Edit activity 1.9")).to_be_focused()
    rows = block.locator("tr")
    expect(rows.nth(rows.count() - 2)).to_contain_text("Brief member states")

    page.get_by_role("link", name="Versions").click()
    page.get_by_label("Version label").fill("Revised after the 2014 GFMD")
    page.get_by_label("Version date").fill("2014-06-30")
    page.get_by_role("button", name="Publish the version").click()
    expect(page.get_by_role("status")).to_contain_text("Version “Revised after the 2014 GFMD” published.")
    versions = page.get_by_role("table")
    expect(versions.get_by_role("rowheader", name="Revised after the 2014 GFMD")).to_be_visible()
    version = WorkPlanVersion.objects.get(label="Revised after the 2014 GFMD")
    assert activity.pk in {row["id"] for row in version.snapshot["activities"]}
    assert not [m for m in messages if "Content Security Policy" in m or "Refused to" in m], messages
    problems += journey_problems(page, "the MAWP's page after the edit")
    assert problems == [] and console == [], problems + console
