"""Every page of the portal, opened in headless Chromium as each role that may see it, checked as a person gets it
(tests/browser/checks.py): no serious or critical axe-core violation, no sideways swipe at 390 and 1,366 px, no
word broken mid-word in a table, no console error, a plain-text title, every date input showing its value, and
every status still readable when printed.

The pages are found, not listed: every URL pattern of the portal (the walk of tests/test_write_urls.py), its
address filled with the one object of each kind of the bad-input world (tests/test_bad_input.py). A pattern is a
page when it answers a whole HTML document; one that answers anything else (a file, JSON, a fragment htmx swaps,
405 to a GET) is not, and one that stops opening (404, 500, a refusal to the support team) fails the walk.
A role's page is one it is given (200); a refusal (403, or the sign-in page) is the access rules' call, proved by
the permission tables (tests/overview/test_permissions_table.py and each app's test_permissions.py).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from groups.models import Person
from tests.browser.checks import console_errors, page_problems
from tests.factories import make_person
from tests.test_bad_input import _routes
from website.models import Article, Publication
from workplans.models import ReportingRound

pytestmark = pytest.mark.browser

# Addresses the walk does not open as pages, with the reason: each is tested where it is named.
NOT_A_PAGE = {
    "login": "The signed-out person's page; a signed-in person is sent on (tests/accounts/test_signin.py).",
    "password_reset_confirm": "Opens only through a one-time link from a mail (tests/accounts/test_signin.py).",
    "two_factor_verify": "Only while a sign-in owes its second step (tests/accounts/test_two_factor.py).",
    "favicon.ico": "Sends the browser on to the icon's static file.",
    "workplans:output_partial": "A fragment htmx swaps into the plan's page; opened by itself it sends on to "
    "that page (tests/workplans).",
    "workplans:stream_partial": "A fragment htmx swaps into the plan's page; opened by itself it sends on to "
    "that page (tests/workplans).",
    "workplans:workplan_iati": "The plan's IATI file; where IATI would refuse it, the list of what is missing "
    "(tests/workplans/test_iati.py).",
    "groups:tor_compare": "Compares the two versions named in its query; the group page links it with them "
    "(tests/groups).",
}
# The API's addresses answer JSON (tests/api), its unknown addresses too; its documentation page is a page.
API = re.compile(r"^api(:(?!docs$)|/)")
# Parameters the bad-input world has no object for, by name: a month of the calendar.
EXTRA_SAMPLES = {"year": 2015, "month": 5}
# Downloads: a stored file, a document made in a format, an export, and the calendar feeds (.ics), each opened by
# its app's tests.
DOWNLOAD = re.compile(r"(_file|_download|_pdf|_export|_document)$")


def _address(route: str, samples: dict) -> str:
    """The route's address with the world's objects."""

    def fill(match: re.Match) -> str:
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        key = (before, match.group(2))
        if key in samples:
            return str(samples[key])
        if match.group(2) in EXTRA_SAMPLES:
            return str(EXTRA_SAMPLES[match.group(2)])
        raise LookupError(key)

    try:
        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    except LookupError as missing:
        pytest.fail(
            f"The page walk has no sample object for {missing} in /{route}: add one to the world fixture of "
            "tests/test_bad_input.py (its 'samples') or EXTRA_SAMPLES in tests/browser/test_every_page.py."
        )


def portal_pages(client: Client, samples: dict) -> tuple[dict[str, str], list[str]]:
    """(the pages by name with their address, the addresses that did not open) as the support team sees them."""
    pages, broken = {}, []
    for name, route in sorted(_routes().items()):
        if name in NOT_A_PAGE or API.match(name) or DOWNLOAD.search(name) or route.endswith(".ics"):
            continue
        if name.startswith("website:") and not route.startswith("website/"):
            continue  # the public website: every page walked by a visitor (tests/browser/test_every_public_page.py)
        url = _address(route, samples)
        response = client.get(url)
        if response.status_code == 405:
            continue  # a button's POST-only address (require_POST)
        content = response.content if response.status_code == 200 else b""
        if response.status_code == 200 and not response["Content-Type"].startswith("text/html"):
            continue  # a file or a feed
        if response.status_code == 200 and b"<title" not in content[:4000]:
            continue  # a fragment that htmx swaps into a page
        if response.status_code != 200:
            broken.append(f"{name} ({url}) answered {response.status_code} to the support team")
            continue
        pages[name] = url
    return pages, broken


def _samples(world) -> dict:
    """The bad-input world's objects, a reporting round and an article (whose pages only the walk of pages opens)."""
    round_ = ReportingRound.objects.create(
        title="First half",
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )
    # The public website's desk: an article, as its editor and as an item to publish ("website/<kind>/<pk>/").
    article = Article.objects.create(slug="gfmd-news", title="The GMG at the GFMD", summary="One voice at the GFMD.")
    return {
        **world["samples"],
        ("rounds", "pk"): round_.pk,
        ("articles", "pk"): article.pk,
        ("website", "kind"): Publication.Kind.ARTICLE,
        ("<str:kind>", "pk"): article.pk,
    }


def _people(world) -> dict[str, Person]:
    ilo = world["person"].agency  # ILO chairs the world's 2015 term
    unodc = world["activity"].lead_agencies.get()
    return {
        "support staff": world["person"],
        "a focal point": make_person("focal-point", role=Person.Role.FOCAL_POINT, agency=unodc),
        "a chair": make_person("chair-focal-point", role=Person.Role.FOCAL_POINT, agency=ilo),
        "a principal": make_person("principal", role=Person.Role.PRINCIPAL, agency=unodc),
    }


def _signed_in_context(browser, live_server, person):
    client = Client()
    client.force_login(person)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    return client, context


def walk(browser, live_server, person, pages: dict[str, str], role: str) -> tuple[list[str], int]:
    """Open each page the person is given and check it; (the problems, one line each, the pages checked)."""
    client, context = _signed_in_context(browser, live_server, person)
    page = context.new_page()
    console = console_errors(page)
    problems, seen = [], 0
    try:
        for name, url in pages.items():
            status = client.get(url).status_code
            if status in (302, 403):
                continue  # not this role's page: the access rules' call, proved by the permission tables
            if status != 200:
                problems.append(f"{role} {url} ({name}): answered {status}")
                continue
            response = page.goto(f"{live_server.url}{url}")
            if response is None or response.status != 200:
                problems.append(f"{role} {url} ({name}): the browser got {response and response.status}")
                continue
            seen += 1
            problems += [f"{role} {url} ({name}): {problem}" for problem in page_problems(page, console=console)]
    finally:
        context.close()
    return problems, seen


def test_every_page_as_each_role_that_may_see_it_reads_right_in_the_browser(
    browser, live_server, world, transactional_db
):
    people = _people(world)
    client = Client()
    client.force_login(world["person"])
    pages, broken = portal_pages(client, _samples(world))
    assert not broken, "Pages that stopped opening:\n" + "\n".join(broken)
    assert {"dashboard", "workplans:workplan_detail", "chairs:term_detail", "events:request_detail"} <= set(pages)
    assert {"desk:desk", "desk:item", "desk:article_desk", "desk:preview"} <= set(pages)
    problems, seen = [], {}
    for role, person in people.items():
        found, seen[role] = walk(browser, live_server, person, pages, role)
        problems += found
    # Each role is given pages of its own (a walk that opens nothing proves nothing).
    assert all(count >= 20 for count in seen.values()), seen
    assert not problems, f"{len(problems)} problems on the pages:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_page_in_french_and_spanish_reads_right_in_the_browser(
    browser, live_server, world, transactional_db, language
):
    """The support team's walk once more, by a person who chose French or Spanish on their own page: the
    translated words (often longer) must fit the phone's width and the tables, and keep the contrast."""
    person = world["person"]
    person.language = language
    person.save(update_fields=["language"])
    client = Client()
    client.force_login(person)
    pages, broken = portal_pages(client, _samples(world))
    assert not broken, "Pages that stopped opening:\n" + "\n".join(broken)
    problems, seen = walk(browser, live_server, person, pages, f"support staff ({language})")
    assert seen >= 80, seen
    assert not problems, f"{len(problems)} problems on the pages in {language}:\n" + "\n".join(problems)


def test_a_page_that_stops_opening_fails_the_walk(client, world):
    client.force_login(world["person"])
    pages, broken = portal_pages(client, {**_samples(world), ("meetings", "pk"): 999999991})
    assert "meetings:meeting_detail" not in pages
    assert "meetings:meeting_detail (/meetings/999999991/) answered 404 to the support team" in broken


# A copy of a real page, broken on purpose in each way the walk checks: the checker must say each.
BREAKAGES = {
    "</title>": ' <section class="mt-4"></title>',
    "</main>": """
<p style="color:#c8c8c8">Words too faint to read</p>
<table style="width:1500px"><tr><td>A table wider than a phone</td></tr></table>
<table><tr><th style="width:1ch; overflow-wrap:anywhere">Status</th></tr></table>
<input type="date" name="done_on" value="06/12/2026" aria-label="Done on">
<span class="badge text-bg-warning" style="color:#fff !important">Overdue</span>
<script>console.error("broken on purpose")</script>
</main>""",
}


def test_the_checker_reports_each_problem_of_a_deliberately_broken_page(browser, live_server, world, transactional_db):
    client = Client()
    client.force_login(world["person"])
    html = client.get("/workplans/mawp-test/").content.decode()
    broken = html
    for place, breakage in BREAKAGES.items():
        broken = broken.replace(place, breakage, 1)
    _, context = _signed_in_context(browser, live_server, world["person"])
    page = context.new_page()
    console = console_errors(page)
    # Served at its own address with the portal's own styles and scripts (no CSP, so the breaking script runs).
    page.route(
        f"{live_server.url}/broken-on-purpose/", lambda route: route.fulfill(body=broken, content_type="text/html")
    )
    page.goto(f"{live_server.url}/broken-on-purpose/")
    problems = "\n".join(page_problems(page, console=console))
    page.route(f"{live_server.url}/whole/", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(f"{live_server.url}/whole/")
    whole = page_problems(page, console=console)
    context.close()
    assert "HTML in the <title>" in problems
    assert "axe serious color-contrast" in problems and "#c8c8c8" in problems
    assert re.search(r"\d+ px wide at 390 px", problems) and re.search(r"\d+ px wide at 1366 px", problems)
    assert '"Status" broken over' in problems
    assert 'date input shows blank: done_on="06/12/2026"' in problems
    assert 'printed, "Overdue" is' in problems
    assert "console: broken on purpose" in problems
    assert whole == []  # the same page unbroken: nothing to say
