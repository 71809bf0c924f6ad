"""Every page, rendered as the support team opens it with one object of each kind the addresses name: what the
browser makes of it must be what the person reads.

- The tab's `<title>` is plain text: a template that lets markup into its title block (a History panel included
  in it) shows `GFMD summit (2014) <section class="mt-4"...` in the tab, the bookmarks and the history.
- Every date input shows its value: a value that is not YYYY-MM-DD (the en-gb "06/12/2026") is shown as an empty
  field by the browser, which then refuses to send the form.

The walk is tests/test_write_urls.py's (every named URL pattern); the objects are tests/test_bad_input.py's world.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.kit.test_date_inputs import date_inputs_not_iso
from tests.test_bad_input import _address, _routes, world  # noqa: F401 - the fixture, shared
from tests.test_write_urls import url_patterns

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
MARKUP = re.compile(r"[<>]")

# Pages the walk does not open as the support team: their reason.
NOT_OPENED = {
    "logout": "signing out is a POST; a GET is refused",
}


def plain_title_problem(page: str) -> str | None:
    """Why a page's `<title>` is not plain text, or None."""
    if "<html" not in page:
        return None  # a fragment htmx swaps into a page, which has the title
    titles = TITLE.findall(page)
    if len(titles) != 1:
        return f"{len(titles)} <title> elements"
    text = titles[0]
    if MARKUP.search(text) or MARKUP.search(html.unescape(text)):
        return f"markup in the title: {' '.join(text.split())[:120]!r}"
    return None


@pytest.fixture
def pages(client, world):  # noqa: F811 - the shared fixture
    """(name, address, response) of every page the walk opens as the support team, HTML pages only."""
    client.force_login(world["person"])
    routes = _routes()
    opened = []
    for name, made_up in url_patterns():
        if name in NOT_OPENED or name not in routes:
            continue
        try:
            url = _address(routes[name], world["samples"])
        except pytest.fail.Exception:
            url = made_up  # an address of no object the world holds (a reset link, a month): opened as it is
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            opened.append((name, url, response.content.decode()))
    return opened


def test_every_page_has_a_title_in_plain_text_and_every_date_input_shows_its_value(pages):
    names = {name for name, _, _ in pages}
    assert {"events:event_detail", "events:request_detail", "chairs:term_detail", "chairs:report"} <= names
    assert len(pages) > 80
    problems = []
    for name, url, page in pages:
        title = plain_title_problem(page)
        if title:
            problems.append(f"{name} ({url}): {title}")
        for tag in date_inputs_not_iso(page):
            problems.append(f"{name} ({url}): a date input the browser shows empty: {tag}")
    assert not problems, "\n".join(problems)


def test_the_title_check_tells_markup_from_text():
    assert plain_title_problem('<html><title>GFMD summit (2014) <section class="mt-4"> · GMG Portal</title>')
    assert plain_title_problem("<html><title>A &lt;b&gt; title</title>")
    assert plain_title_problem("<html><body>No title</body></html>")
    assert not plain_title_problem("<html><title>Input to GFMD summit (2014) · GMG Portal</title>")
