"""The chair's journey in headless Chromium: the dashboard of a day in the record, the troika, an overdue item
followed to its record; the keyboard reaches the navigation and the skip link works; no CSP violation."""

from datetime import date

import pytest
from playwright.sync_api import expect

from groups.models import Agency, Person
from tests.browser.checks import journey_problems
from tests.factories import make_person
from workplans.models import Activity

pytestmark = pytest.mark.browser

ON = date(2015, 6, 15)


@pytest.fixture
def chair(gmg_record, transactional_db):
    """A focal point of the World Bank, which chaired the GMG in 2015 (seed 003)."""
    return make_person(
        "wb-focal",
        role=Person.Role.FOCAL_POINT,
        agency=Agency.objects.get(acronym="World Bank"),
        first_name="Wanda",
        last_name="Bank",
    )


@pytest.fixture
def console(page):
    """Every console message and page error of the walk, to find Content-Security-Policy violations."""
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


def csp_violations(messages):
    return [
        m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m or "Refused to" in m
    ]


def test_the_chair_sees_the_troika_and_follows_an_overdue_activity_to_its_record(
    page, live_server, sign_in, chair, console
):
    sign_in(chair)
    page.goto(f"{live_server.url}/dashboard/?on={ON.isoformat()}")
    expect(page.get_by_role("heading", name="Chair dashboard")).to_be_visible()
    troika = page.locator("dl.troika")
    expect(troika.locator('[data-troika="previous"]')).to_contain_text("ILO")
    expect(troika.locator('[data-troika="current"]')).to_contain_text("World Bank")
    expect(page.get_by_role("heading", name="The chair's obligations for the 2015 term")).to_be_visible()
    # The chart is drawn from its data island by static/js/dashboard.js.
    expect(page.locator("#progress-chart")).to_be_visible()
    assert page.evaluate("() => window.Chart !== undefined && Chart.getChart('progress-chart') !== undefined")
    problems = journey_problems(page, "the dashboard")

    first_overdue = (
        Activity.objects.overdue_on(ON)
        .filter(output__stream__workplan__slug="mawp-2013-2015")
        .order_by("ends_on", "pk")
        .first()
    )
    # The dashboard's day travels with its links, so the record is judged on the day the chair is looking at.
    seen_on = f"{first_overdue.get_absolute_url()}?on={ON.isoformat()}"
    link = page.locator(".overdue-list a").first
    expect(link).to_have_attribute("href", seen_on)
    link.click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}{seen_on}"
    expect(page.locator("main")).to_contain_text(first_overdue.description[:40])
    assert csp_violations(console) == [], console
    problems += journey_problems(page, "the overdue activity")
    assert problems == [] and [m for m in console if m.startswith("error")] == [], problems + console


def test_a_number_of_the_progress_table_opens_the_activities_behind_it(page, live_server, sign_in, chair, console):
    sign_in(chair)
    page.goto(f"{live_server.url}/dashboard/?on={ON.isoformat()}")
    cell = page.locator('.progress-table a[data-status="overdue"]').first
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("overdue")
    expect(page.locator("main table tbody tr")).to_have_count(count)
    assert csp_violations(console) == [], console


def test_the_date_selector_shows_the_dashboard_of_another_day(page, live_server, sign_in, chair):
    sign_in(chair)
    page.goto(f"{live_server.url}/dashboard/?on={ON.isoformat()}")
    page.get_by_label("See the dashboard as of").fill("2010-03-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    expect(page.locator('[data-troika="current"]')).to_contain_text("UNDP")
    assert "on=2010-03-01" in page.url


def test_tab_reaches_the_skip_link_then_the_main_navigation_and_the_skip_link_moves_to_the_content(
    page, live_server, sign_in, chair
):
    sign_in(chair)
    page.goto(f"{live_server.url}/dashboard/?on={ON.isoformat()}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    # Tab on: the brand, then the main navigation's links.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('nav[aria-label=\"Main\"]') !== null")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Dashboard"
    # Back to the skip link, which takes the focus to the main content.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_every_page_of_the_record_has_the_csp_header_and_no_console_violation(
    page, live_server, sign_in, chair, console
):
    sign_in(chair)
    for path in [
        "/",
        "/dashboard/",
        f"/dashboard/?on={ON}",
        "/meetings/",
        "/meetings/calendar/2013/7/",
        "/chairs/",
        "/groups/",
        "/search/?q=migration",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, path
    assert csp_violations(console) == [], console


def test_the_dashboard_fits_a_phone_and_hides_the_menu_behind_a_button(page, live_server, sign_in, chair):
    sign_in(chair)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboard/?on={ON.isoformat()}")
    menu = page.get_by_role("button", name="Show or hide the menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Meetings", exact=True)).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Meetings", exact=True)).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"
