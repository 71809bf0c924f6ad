"""Every full-page form the URL walk finds, sent in headless Chromium as it opens: the answer is one whole page
(one <main>, one <h1>) that says what happened - the saved record with its message, or the form again with the
error next to its field - never a page drawn inside the form, never a silent page, never a console error.

The full-page forms are found, not listed: each write URL of tests/test_write_urls.py whose address opens (GET) a
page with a <form method="post"> that htmx does not send (no hx-post) is one. A new form is tested here the day
it is added.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.test_bad_input import _address, _routes
from tests.test_write_urls import WRITE_URLS

pytestmark = pytest.mark.browser

# Signing in, the password pages and the second step are the signed-out person's (tests/accounts/test_signin.py,
# tests/accounts/test_two_factor.py); the API answers JSON.
NOT_A_SIGNED_IN_PAGE = {"login", "logout", "password_reset", "password_reset_confirm", "two_factor_verify"}
NOT_A_PAGE = {"api:activity-updates"}

FULL_PAGE_FORM = re.compile(r"<form\b(?![^>]*hx-post)[^>]*method=\"post\"[^>]*>", re.IGNORECASE)


# How many full-page forms the walk finds today. A page that stops opening, or loses its form, fails the walk
# below by name; this count catches the rest (a form turned into an htmx one unnoticed). A new form page: add one.
FULL_PAGE_FORMS = 56


class PageDoesNotOpen(AssertionError):
    pass


def full_page_forms(client: Client, samples: dict) -> dict[str, str]:
    """The write URLs whose page holds a full-page form, by name, with their address.

    A write URL that answers GET with 405 is a button of another page (a move, a removal by htmx): not a page.
    Any other answer but a page is a page that stopped opening, and fails the walk (it never drops out quietly).
    """
    routes = _routes()
    found, broken = {}, []
    for name in sorted(set(WRITE_URLS) - NOT_A_SIGNED_IN_PAGE - NOT_A_PAGE):
        url = _address(routes[name], samples)
        response = client.get(url)
        if response.status_code == 405:
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            broken.append(f"{name}: GET {url} answered {response.status_code} {response['Content-Type']}")
            continue
        html = response.content.decode()
        if FULL_PAGE_FORM.search(html[html.index("<main") : html.index("</main>")]):
            found[name] = url
    if broken:
        raise PageDoesNotOpen("Form pages that no longer open: " + "; ".join(broken))
    return found


def test_the_walk_finds_the_full_page_forms(client, world):
    client.force_login(world["person"])
    found = full_page_forms(client, world["samples"])
    assert {"meetings:meeting_create", "workplans:round_create", "workplans:workplan_copy"} <= set(found)
    assert "meetings:agenda_item_delete" not in found  # a button in another page, not a page of its own
    assert len(found) == FULL_PAGE_FORMS, f"{len(found)} full-page forms found, {FULL_PAGE_FORMS} expected"


def test_a_form_page_that_stops_opening_fails_the_walk(client, world):
    """The walk's own gate: a page that answers 404 (its sample gone, or the view broken) is named, not skipped."""
    client.force_login(world["person"])
    samples = {**world["samples"], ("meetings", "pk"): 999_999_991}
    with pytest.raises(PageDoesNotOpen, match="meetings:meeting_edit: GET /meetings/999999991/edit/ answered 404"):
        full_page_forms(client, samples)


def _console_errors(page) -> list[str]:
    """Console and page errors; the refused form's own 400 answer (a document, as meant) aside."""
    errors = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "status of 400" not in m.text else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_every_full_page_form_sent_as_it_opens_answers_with_one_page_that_says_what_happened(
    page, live_server, sign_in, world, transactional_db
):
    client = Client()
    client.force_login(world["person"])
    forms = full_page_forms(client, world["samples"])
    console = _console_errors(page)
    sign_in(world["person"])
    silent, nested, unsendable = [], [], []
    # The removals and the deactivation last: the other forms still find their rows.
    for name, url in sorted(forms.items(), key=lambda item: any(w in item[0] for w in ("remove", "deactivate"))):
        seen = len(console)
        opened = page.goto(f"{live_server.url}{url}")
        assert opened.status == 200, f"{name}: GET {url} answered {opened.status}"
        form = page.locator("main form[method=post]:not([hx-post])").first
        button = form.locator(SUBMIT)
        if not button.count():
            unsendable.append(f"{name} ({url})")
            continue
        button.first.click()
        page.wait_for_load_state()
        console[seen:] = [f"{name}: {error}" for error in console[seen:]]
        if page.locator("main").count() != 1 or page.locator("h1").count() != 1:
            nested.append(f"{name}: {page.locator('main').count()} <main>, {page.locator('h1').count()} <h1>")
            continue
        told = page.locator(".messages .alert, main .alert-danger, main .is-invalid, main [aria-invalid=true]")
        if not told.count():
            silent.append(f"{name} ({url}) -> {page.url}")
    assert len(forms) == FULL_PAGE_FORMS
    assert not unsendable, "Forms without a button that sends them: " + "; ".join(unsendable)
    assert not nested, "Forms that drew a page inside the page: " + "; ".join(nested)
    assert not silent, "Forms whose answer says nothing: " + "; ".join(silent)
    assert console == []


SUBMIT = "button[type=submit], input[type=submit], button:not([type])"
REQUIRED = "input[required]:visible, textarea[required]:visible, select[required]:visible"

# The full-page forms with no required field, so no refusal of an empty one to show: why, in words. A new form
# without a required field fails the test below until it is named here.
NOTHING_REQUIRED = {
    "api_key": "Two buttons (make a key, revoke it) and no field to fill.",
    "chairs:report_edit": "The introduction and highlights may both be empty: the drafted report stands alone.",
    "chairs:term_record": "Each of the term's days is recorded when it happens; any may still be empty.",
    "events:contribution_create": "An agency's input is its text or its file, either one: checked as a whole.",
    "groups:group_edit": "The status is a list with no empty choice, and a group may have no participating "
    "agency or note yet.",
    "groups:membership_create": "A period may start before the record and run on: both days may be empty.",
    "groups:membership_edit": "A period may start before the record and run on: both days may be empty.",
    "groups:person_deactivate": "Handing the person's work to a colleague is optional when nothing is pending.",
    "meetings:minutes_edit": "Minutes may be cleared while they are redrafted.",
    "reminders:subscribe": "A button that makes the person's calendar address; no field.",
    "workplans:activity_remove": "A confirmation button; no field.",
    "workplans:output_remove": "A confirmation button; no field.",
    "workplans:stream_remove": "A confirmation button; no field.",
}


def test_every_full_page_form_sent_without_its_required_fields_shows_the_error_next_to_each_field(
    page, live_server, sign_in, world, transactional_db
):
    client = Client()
    client.force_login(world["person"])
    forms = full_page_forms(client, world["samples"])
    console = _console_errors(page)
    sign_in(world["person"])
    unmarked, nothing_required, unsendable = [], [], []
    for name, url in forms.items():
        seen = len(console)
        page.goto(f"{live_server.url}{url}")
        form = page.locator("main form[method=post]:not([hx-post])").first
        required = form.locator(REQUIRED)
        if not required.count():
            nothing_required.append(name)
            continue
        ids, names = [], set()
        for n in range(required.count()):
            field = required.nth(n)
            if field.get_attribute("name") in names:
                continue  # the other choices of a group of radio buttons
            names.add(field.get_attribute("name"))
            ids.append(field.get_attribute("id"))
            if field.evaluate("e => e.tagName") == "SELECT":
                field.evaluate("e => { e.selectedIndex = -1 }")
            elif field.get_attribute("type") in ("checkbox", "radio"):
                form.evaluate(
                    "(f, name) => f.querySelectorAll(`[name='${name}']`).forEach(e => { e.checked = false })",
                    field.get_attribute("name"),
                )
            elif field.get_attribute("type") != "file":  # a file input opens empty
                field.fill("")
        button = form.locator(SUBMIT)
        if not button.count():
            unsendable.append(f"{name} ({url})")
            continue
        button.first.click()
        page.wait_for_load_state()
        console[seen:] = [f"{name}: {error}" for error in console[seen:]]
        expect(page.locator("main")).to_have_count(1)
        expect(page.locator("h1")).to_have_count(1)
        for field_id in ids:
            field = page.locator(f"#{field_id}")
            marked = field.count() and (
                "is-invalid" in (field.get_attribute("class") or "") or field.get_attribute("aria-invalid") == "true"
            )
            if not marked:
                unmarked.append(f"{name}: #{field_id}")
                continue
            # Its own error element: the message below the field (crispy's invalid-feedback), named by it.
            # (crispy's field wrapper, div_id_<field>, holds the field and its invalid-feedback; for a group of
            # radio buttons, the group's)
            wrapper = field.locator("xpath=ancestor::*[starts-with(@id, 'div_id_')][1]")
            feedback = wrapper.locator(".invalid-feedback") if wrapper.count() else page.locator("#_none")
            if not feedback.count() or not feedback.first.is_visible():
                unmarked.append(f"{name}: #{field_id} has no error message next to it")
    assert sorted(nothing_required) == sorted(NOTHING_REQUIRED), (
        "Full-page forms with no required field must be named, with the reason, in NOTHING_REQUIRED "
        f"(tests/browser/test_every_full_page_form.py); found {sorted(nothing_required)}"
    )
    assert not unsendable, "Forms without a button that sends them: " + "; ".join(unsendable)
    assert not unmarked, "Required fields sent empty without their error next to them: " + "; ".join(unmarked)
    assert console == []
