"""The static copy (`manage.py build_site`) opens right: served by a plain web server under a sub-path, every
link of every page, the search form and the search index's entries answer, no link leaves the copy, and the copy
holds the same pages and files as the public website; it is written whole or not at all, and never over a folder
it did not write."""

from __future__ import annotations

import io
import json
import posixpath
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.core.management import CommandError, call_command

from tests.website.crawl import crawl, html_links, walk
from website import services
from website.models import Article, Publication
from website.static_copy import MARK, BuildError, build

PORTS = range(18100, 18200)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 18100-18199.")


@contextmanager
def served(folder: Path):
    """`python -m http.server` serving `folder` on a free port; yields its address."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def crawl_served(start: str, root: str) -> tuple[dict[str, int], list[str]]:
    """Every address under `root` reachable from `start` -> its status, with the links that leave the copy for
    the same server (a root-relative link left as it was) or name a folder (which file:// cannot open)."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(root))
    statuses: dict[str, int] = {}
    problems: list[str] = []
    queue, seen = [start], {start}
    while queue:
        url = queue.pop()
        status, body, content_type = _get(url)
        statuses[url] = status
        if status != 200:
            continue
        if url.endswith(".html"):
            links = [urljoin(url, link) for link in html_links(body.decode("utf-8"))]
        elif url.endswith(".json"):
            # As static/js/site-search.js reads them: after the index's own folder.
            folder = url.rsplit("/", 1)[0] + "/"
            links = [urljoin(folder, entry["url"]) for entry in json.loads(body)]
        else:
            continue
        for link in links:
            target = link.split("#", 1)[0].split("?", 1)[0]
            if not target.startswith(origin):
                continue  # another site, or the website's own absolute address (canonical, og:url)
            if not target.startswith(root):
                problems.append(f"{url} links to {link}, outside the copy")
            elif target.endswith("/"):
                problems.append(f"{url} links to the folder {link}: file:// would not open it")
            elif target not in seen:
                seen.add(target)
                queue.append(target)
    return statuses, problems


def _address(file: str) -> str:
    """The public address a file of the copy is the answer of."""
    return "/" + (file[: -len("index.html")] if file == "index.html" or file.endswith("/index.html") else file)


def test_the_copy_opens_right_under_a_sub_path(drafts, client, tmp_path):
    built = build(tmp_path / "copy")
    assert built.counts["page"] > 40 and built.counts["file"] >= 3 and built.counts["static file"] >= 3
    with served(tmp_path) as server:
        statuses, problems = crawl_served(f"{server}/copy/index.html", f"{server}/copy/")
    assert problems == []
    assert {url: status for url, status in statuses.items() if status != 200} == {}
    reached = {unquote(_address(url.removeprefix(f"{server}/copy/"))) for url in statuses}

    portal = crawl(client)
    portal_pages = {unquote(a) for a, s in portal.items() if s.content_type.startswith("text/html")}
    assert {a for a in reached if a.endswith("/")} == portal_pages
    files = {unquote(_address(f)) for f in walk(tmp_path / "copy") if f != MARK and not f.startswith("static/")}
    assert files == {unquote(a) for a in portal}
    assert {"/robots.txt", "/sitemap.xml", "/news.atom", "/publications.atom", "/whats-on.ics"} <= files


def test_the_copy_links_relatively_and_keeps_absolute_addresses(drafts, settings, tmp_path):
    build(tmp_path / "copy")
    page = (tmp_path / "copy" / "news" / "teal-news" / "index.html").read_text()
    assert 'href="../../about/index.html"' in page  # the article's own link to /about/ as well as the menu's
    assert 'src="../images/' in page
    assert f'<link rel="canonical" href="{settings.SITE_URL}/news/teal-news/">' in page
    assert "Staff portal" not in page
    find = (tmp_path / "copy" / "find" / "index.html").read_text()
    assert 'data-index="index.json"' in find and 'action="index.html"' in find
    sitemap = (tmp_path / "copy" / "sitemap.xml").read_text()
    assert f"<loc>{settings.SITE_URL}/news/teal-news/</loc>" in sitemap
    assert f'href="{settings.SITE_URL}/news/teal-news/"' in (tmp_path / "copy" / "news.atom").read_text()
    # Every relative link names a file of the copy, as file:// opens it.
    copy = tmp_path / "copy"
    for html_file in copy.rglob("*.html"):
        here = str(html_file.relative_to(copy))
        for link in html_links(html_file.read_text()):
            target = link.split("#", 1)[0].split("?", 1)[0]
            if not target or urlsplit(target).scheme:  # a fragment, another site's, mailto:, data:
                continue
            assert not target.startswith("/"), f"{here}: {link}"
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(target)))
            assert (copy / resolved).is_file(), f"{here}: {link}"


def test_build_site_refuses_a_folder_it_did_not_write(gmg_record, tmp_path):
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"not ours")
    with pytest.raises(CommandError, match="not empty and is not an earlier copy"):
        call_command("build_site", output=str(foreign), stdout=io.StringIO())
    assert [p.name for p in foreign.iterdir()] == ["holiday.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]  # no half-written folder beside it


def test_a_second_build_replaces_the_first_whole(gmg_record, tmp_path):
    out = io.StringIO()
    call_command("build_site", output=str(tmp_path / "site"), stdout=out)
    assert "Wrote the public website to" in out.getvalue() and " pages, " in out.getvalue()
    (tmp_path / "site" / "left-over.html").write_text("from before")
    call_command("build_site", output=str(tmp_path / "site"), stdout=io.StringIO())
    assert (tmp_path / "site" / MARK).is_file() and (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "left-over.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_dead_link_stops_the_build_and_names_the_page_and_the_earlier_copy_stays(gmg_record, tmp_path):
    build(tmp_path / "site")
    earlier = {path: served.body for path, served in walk(tmp_path / "site").items()}
    article = services.article_save(
        article=Article(
            kind=Article.Kind.NEWS,
            slug="with-a-dead-link",
            title="With a dead link",
            summary="A news item linking to a page that is not there.",
            body="See [the missing page](/no-such-page/).",
        )
    )
    services.publish(kind=Publication.Kind.ARTICLE, obj=article)
    with pytest.raises(BuildError, match=r"/no-such-page/ \(linked from /news/with-a-dead-link/\) answered 404"):
        build(tmp_path / "site")
    assert {path: served.body for path, served in walk(tmp_path / "site").items()} == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.browser
def test_the_copy_searches_in_the_browser_served_and_from_the_disk(transactional_db, tmp_path, page):
    """The search form of the copy's pages finds in the browser and its results open, served under a sub-path
    (the index read by fetch) and from the disk (file://, where the browser fetches nothing: the index's script)."""
    article = services.article_save(
        article=Article(
            kind=Article.Kind.NEWS,
            slug="fact-sheet",
            title="A new fact sheet on migration",
            summary="The GMG publishes a fact sheet.",
            body="The fact sheet is out.",
        )
    )
    services.publish(kind=Publication.Kind.ARTICLE, obj=article)
    build(tmp_path / "copy")
    with served(tmp_path) as server:
        for home in (f"{server}/copy/index.html", (tmp_path / "copy" / "index.html").as_uri()):
            page.goto(home)
            page.get_by_label("Search the website").fill("fact sheet")
            page.get_by_label("Search the website").press("Enter")
            results = page.locator("#find-results")
            results.get_by_text("for “fact sheet”").wait_for()
            assert page.url.startswith(home.removesuffix("index.html") + "find/index.html?q=")
            first = results.get_by_role("link").first
            title = first.inner_text()
            first.click()
            page.wait_for_load_state()
            assert page.title().startswith(title), (home, page.url)
