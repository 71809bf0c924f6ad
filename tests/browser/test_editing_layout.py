"""The editor and the layout in headless Chromium: a searchable multi-select used from the keyboard (and the
plain select without JavaScript), a 10,000-character narrative that does not widen the page, and the navigation
at 1366 pixels wide keeping "Sign out" in view."""

import pytest
from playwright.sync_api import expect

from groups.models import Agency, Person
from tests.factories import make_person, make_update
from workplans.models import Activity, Output

pytestmark = pytest.mark.browser

MAWP = "mawp-2013-2015"


@pytest.fixture
def officer(gmg_record, transactional_db):
    return make_person("support-officer", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_at_1366_pixels_the_navigation_shows_sign_out_and_the_page_does_not_scroll_sideways(
    page, live_server, sign_in, officer
):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(officer)
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, box
    assert page_width(page) <= 1366
    for name in ("Dashboard", "Work plans", "Meetings", "Decisions", "Chairs", "Groups", "Agencies"):
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)).to_be_visible()


def test_an_unbroken_10000_character_narrative_does_not_widen_the_page(page, live_server, sign_in, officer):
    activity = Activity.objects.filter(output__stream__workplan__slug=MAWP).order_by("pk").first()
    make_update(activity, Agency.objects.get(acronym="IOM"), narrative="x" * 10_000)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(officer)
    page.goto(f"{live_server.url}{activity.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Progress updates")).to_be_visible()
    assert page_width(page) <= 1366


def test_lead_agencies_are_picked_by_typing_and_the_keyboard(page, live_server, sign_in, officer):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"Refused to run: {error}"))
    output = Output.objects.filter(stream__workplan__slug=MAWP, year=2014).order_by("stream__position", "position")[0]
    sign_in(officer)
    page.goto(f"{live_server.url}{output.stream.workplan.get_absolute_url()}?edit=1")
    block = page.locator(f"#output-{output.pk}")
    block.get_by_role("link", name="Add an activity").click()
    form = page.locator(f"#output-{output.pk}-new-activity-form")
    expect(form).to_be_visible()
    form.get_by_label("Description").fill("Map the agencies' data on return migration")
    form.get_by_label("Timeframe").fill("2014")
    lead = form.get_by_role("combobox", name="Lead agencies")
    listbox = page.get_by_role("listbox", name="Lead agencies")
    lead.press_sequentially("unhcr", delay=20)
    expect(listbox.get_by_role("option", name="UNHCR – Office of the United Nations High Commissioner")).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    lead.press_sequentially("Labour", delay=20)
    expect(listbox.get_by_role("option", name="ILO – International Labour Organization")).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # then straight to the button: the first click saves (the field keeps its height)
    # Two chosen, each removable; the form posts them as the plain select would.
    chosen = form.locator(".ts-control .item")
    expect(chosen).to_have_count(2)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name="Save the activity").click()
    assert posted.value.status == 200, (messages, posted.value.text()[:3000])
    expect(page.locator("#editor-messages")).to_contain_text("added")
    activity = Activity.objects.get(description="Map the agencies' data on return migration")
    assert sorted(a.acronym for a in activity.lead_agencies.all()) == ["ILO", "UNHCR"]
    assert not [m for m in messages if "Content Security Policy" in m or "Refused to" in m], messages


def test_without_javascript_the_agencies_are_the_plain_multi_select(browser, live_server, officer):
    from django.test import Client

    client = Client()
    client.force_login(officer)
    context = browser.new_context(java_script_enabled=False)
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    output = Output.objects.filter(stream__workplan__slug=MAWP, year=2014).order_by("stream__position", "position")[0]
    page.goto(f"{live_server.url}/workplans/outputs/{output.pk}/activities/add/")
    lead = page.get_by_label("Lead agencies")
    expect(lead).to_be_visible()
    assert lead.evaluate("element => element.tagName + ':' + element.multiple") == "SELECT:true"
    context.close()
