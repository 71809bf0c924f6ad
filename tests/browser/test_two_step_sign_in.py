"""A support officer turns on the second sign-in step in headless Chromium, from the key the page shows, and the
next sign-in asks for the code before any page opens."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from groups.models import Person
from tests.factories import make_person

pytestmark = pytest.mark.browser


def code(secret: str, step_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + 30 * step_ahead
    return f"{totp.token():06d}"


def test_a_support_officer_turns_on_the_second_step_and_signs_in_with_a_code(
    page, live_server, sign_in, transactional_db
):
    officer = make_person("sofia", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support")
    sign_in(officer)
    page.get_by_role("link", name="Sofia Support").click()
    page.get_by_role("link", name="Two-step sign-in").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#totp-key").inner_text()
    page.get_by_label("Six-digit code").fill("12345")
    page.get_by_role("button", name="Turn the second step on").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Type the six digits")
    assert page.locator("#totp-key").inner_text() == secret  # the app already holds it
    page.get_by_label("Six-digit code").fill(code(secret))
    page.get_by_role("button", name="Turn the second step on").click()
    expect(page.get_by_role("status")).to_contain_text("The second sign-in step is on")

    page.get_by_role("button", name="Sign out").click()
    sign_in(officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("One more step")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("One more step")  # nothing opens before the code
    field = page.get_by_label("Six-digit code")
    expect(field).to_be_focused()
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    expect(page.locator(".invalid-feedback")).to_contain_text("That code is not right")
    time.sleep(1.2)  # the wait after one wrong code
    # The code of the next 30-second step: the one just used to turn it on is spent.
    page.get_by_label("Six-digit code").fill(code(secret, step_ahead=1))
    page.get_by_role("button", name="Go on").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.locator("main h1")).to_have_count(1)
