"""The static copy of the public website: every public page and file, written to a folder that opens right served
by any web server at any path, or from the disk (file://).

The copy is what an anonymous visitor reads, asked for in-process (Django's test client) with the static copy's
header (`views.STATIC_COPY_HEADER`: no link to the portal, a search that runs in the browser), from the home page
on, following every link, image, form and file of the website; the static files each page names are copied from the
project's static files. A page `x/y/` is written as `x/y/index.html`, anything else (feeds, calendar, sitemap, the
search index and its script, the documents' files, the images, the annual reports' PDFs) at its own path. Each
root-relative address in a page becomes a relative one (`../y/index.html`), and so do the search index's, as the
browser's search reads them; the absolute addresses (canonical, og:url, the sitemap, the feeds, the calendar) keep
the website's own, settings.SITE_URL.

A linked page that does not answer 200 stops the build, naming it and the page that links to it. The copy is
written into a new folder beside the output and put in its place at the end, so the output is either the earlier
copy or the new one, whole. The output must be empty, absent or an earlier copy (it holds `MARK`): the build does
not overwrite a folder it did not write.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from .views import SCRIPT_INDEX

MARK = ".gmg-static-copy"
# The support team's desk is in the website's namespace, but it is the portal's.
DESK = {"desk", "article_new", "article_desk", "item", "take_off", "preview"}
# The attributes of a page that name an address: links, images and scripts, forms, the search's index.
ADDRESS = re.compile(r"""(\s(?:href|src|action|data-index)=)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
# The absolute addresses the feeds, the calendar and the sitemap give: followed, never rewritten.
XML_LINK = re.compile(r"""(?:<loc>|href=")(https?://[^<"]+)""")
ICS_URL = re.compile(r"^URL[^:]*:(\S+)", re.MULTILINE)


def start_addresses() -> list[str]:
    """Where a crawl of the website starts: its home page, and what no page links to but the web reads."""
    return [reverse("website:home"), reverse("website:robots"), reverse("website:sitemap")]


def page_addresses(text: str) -> list[str]:
    """The addresses an HTML page names (links, images, scripts, forms, the search's index), unescaped."""
    return [html.unescape(m.group(2) if m.group(2) is not None else m.group(3)) for m in ADDRESS.finditer(text)]


def calendar_addresses(text: str) -> list[str]:
    return ICS_URL.findall(text.replace("\r\n ", "").replace("\n ", ""))


# What the copy holds, kind by kind (singular: plural), in the order the summary names them.
KINDS = {
    "page": "pages",
    "feed": "feeds",
    "calendar": "calendars",
    "sitemap and robots file": "sitemap and robots files",
    "search index": "search indexes",
    "file": "files",
    "static file": "static files",
}


class BuildError(Exception):
    """Why the copy could not be written; nothing was changed at the output."""


@dataclass
class Built:
    output: Path
    counts: Counter = field(default_factory=Counter)
    size: int = 0
    seconds: float = 0.0
    portal_links: set[str] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)  # the public addresses written as pages

    def summary(self) -> str:
        parts = [
            f"{self.counts[kind]} {kind if self.counts[kind] == 1 else plural}"
            for kind, plural in KINDS.items()
            if self.counts[kind]
        ]
        return (
            f"Wrote the public website to {self.output}: {', '.join(parts)}; "
            f"{_size(self.size)} in {self.seconds:.1f} s."
        )


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


# -- addresses ----------------------------------------------------------------------------------------------------


def static_prefix() -> str:
    return "/" + settings.STATIC_URL.strip("/") + "/"


def file_path(path: str) -> str:
    """Where the response of the address `path` (URL-quoted, root-relative) is written, URL-quoted, relative to
    the copy's folder: `x/y/` as `x/y/index.html`."""
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return relative


def disk_path(root: Path, relative: str) -> Path:
    """The file for a URL-quoted relative path, refused when a part of it would leave the folder."""
    parts = [unquote(part) for part in relative.split("/")]
    if any(p in ("", ".", "..") or "/" in p or "\\" in p or "\x00" in p for p in parts):
        raise BuildError(f"The address /{relative} cannot be written as a file.")
    return root.joinpath(*parts)


def relative_link(target: str, here: str) -> str:
    """The link from the file `here` to the file `target` (both URL-quoted, relative to the copy's folder)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


class Site:
    """Which addresses belong to the public website, and how each is reached from a page of the copy."""

    def __init__(self):
        self.site_url = settings.SITE_URL.rstrip("/")
        self.static = static_prefix()

    def local(self, address: str) -> tuple[str, str, str] | None:
        """(path, query, fragment) of a same-site address, root-relative or absolute at the site's own address;
        None for another site's, a fragment alone, mailto: and such."""
        if address.startswith(self.site_url + "/"):
            address = address[len(self.site_url) :]
        if not address.startswith("/") or address.startswith("//"):
            return None
        parts = urlsplit(address)
        return parts.path, parts.query, parts.fragment

    def is_static(self, path: str) -> bool:
        return path.startswith(self.static)

    def is_public(self, path: str) -> bool:
        """Whether the path is one of the public website's addresses (not the portal's, not the desk)."""
        try:
            match = resolve(unquote(path))
        except Resolver404:
            return True  # a broken link of the website: the build reports it when it asks for it
        return match.namespace == "website" and match.url_name not in DESK


# -- the build ----------------------------------------------------------------------------------------------------


def _check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise BuildError(f"{output} is a file, not a folder.")
    if output.is_dir() and any(output.iterdir()) and not (output / MARK).is_file():
        raise BuildError(
            f"{output} is not empty and is not an earlier copy of the website: choose an empty or new folder."
        )


def build(output: Path | str, *, client: Client | None = None) -> Built:
    """Write the static copy of the public website to `output` (see the module's docstring)."""
    output = Path(output).absolute()
    _check_output(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    try:
        # The pages are asked for in this process by the website's own address, which need not be one the portal
        # answers on the network (the copy is often served elsewhere): it is let in for the build only.
        host = urlsplit(settings.SITE_URL).hostname or "testserver"
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host]):
            built = _write(work, client or _client())
        (work / MARK).write_text(
            f"A static copy of the GMG's public website ({settings.SITE_URL}), written on "
            f"{timezone.localtime():%Y-%m-%d %H:%M %Z} by manage.py build_site.\n",
            encoding="utf-8",
        )
        work.chmod(0o755)
        _put_in_place(work, output)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    built.output = output
    built.seconds = time.monotonic() - started
    return built


def _put_in_place(work: Path, output: Path) -> None:
    _check_output(output)  # again: someone may have written there meanwhile
    if not output.exists():
        work.rename(output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.earlier-", dir=output.parent))
    old.rmdir()
    output.rename(old)
    try:
        work.rename(output)
    except OSError:
        old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _client() -> Client:
    """An anonymous visitor, asking by the website's own host for the copy."""
    parts = urlsplit(settings.SITE_URL)
    secure = parts.scheme == "https" or getattr(settings, "SECURE_SSL_REDIRECT", False)
    host = parts.netloc or "testserver"
    return Client(HTTP_HOST=host, SERVER_NAME=parts.hostname or "testserver", secure=secure)


def _kind(path: str, content_type: str, site: Site) -> str:
    if site.is_static(path):
        return "static file"
    if content_type.startswith("text/html"):
        return "page"
    if "atom" in content_type or "rss" in content_type:
        return "feed"
    if content_type.startswith("text/calendar"):
        return "calendar"
    if path in ("/sitemap.xml", "/robots.txt"):
        return "sitemap and robots file"
    if content_type.startswith("application/json") or path == reverse("website:search_index_script"):
        return "search index"
    return "file"


def _write(root: Path, client: Client) -> Built:
    site = Site()
    built = Built(output=root)
    queue: deque[str] = deque(start_addresses())
    linked_from: dict[str, str] = dict.fromkeys(queue, "(the start)")
    statics: dict[str, str] = {}  # static path -> a page that names it

    def follow(address: str, here: str) -> None:
        local = site.local(address)
        if local is None:
            return
        path = local[0]
        if site.is_static(path):
            statics.setdefault(path, here)
        elif not site.is_public(path):
            built.portal_links.add(path)
        elif path not in linked_from:
            linked_from[path] = here
            queue.append(path)

    while queue:
        path = queue.popleft()
        response = client.get(path, headers={"X-GMG-Static-Copy": "1"})
        if response.status_code != 200:
            raise BuildError(
                f"The page {path} (linked from {linked_from[path]}) answered {response.status_code}, not 200: "
                "the copy would have a dead link."
            )
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        kind = _kind(path, content_type, site)
        target = file_path(path)
        if kind == "page":
            built.pages.add(path)
            text = body.decode(response.charset or "utf-8")
            for address in page_addresses(text):
                follow(address, path)
            body = _rewrite_html(text, target, site).encode("utf-8")
        elif kind == "search index":
            text = body.decode("utf-8")
            script = text.startswith(SCRIPT_INDEX[0])
            entries = json.loads(text.removeprefix(SCRIPT_INDEX[0]).removesuffix(SCRIPT_INDEX[1]) if script else text)
            for entry in entries:
                follow(entry.get("url", ""), path)
            rewritten = _rewrite_index(entries, target, site)
            body = (rewritten.join(SCRIPT_INDEX) if script else rewritten).encode("utf-8")
        elif kind in ("feed", "sitemap and robots file"):
            for address in XML_LINK.findall(body.decode("utf-8", "replace")):
                follow(html.unescape(address), path)
        elif kind == "calendar":
            for address in calendar_addresses(body.decode("utf-8", "replace")):
                follow(address, path)
        _save(root, target, body, built, kind)
    for path, page in sorted(statics.items()):
        _copy_static(root, path, page, site, built, set())
    return built


def _save(root: Path, target: str, body: bytes, built: Built, kind: str) -> None:
    where = disk_path(root, target)
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_bytes(body)
    built.counts[kind] += 1
    built.size += len(body)


def _static_source(name: str) -> Path | None:
    found = finders.find(name)
    if found:
        return Path(found)
    try:  # a collected file under its hashed name (production's manifest storage)
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except (NotImplementedError, ValueError):
        pass
    return None


def _copy_static(root: Path, path: str, page: str, site: Site, built: Built, seen: set[str]) -> None:
    """Copy a static file (and what a style sheet names by a relative url())."""
    target = file_path(path)
    if target in seen or disk_path(root, target).exists():
        return
    seen.add(target)
    name = unquote(path[len(site.static) :])
    source = _static_source(name)
    if source is None:
        raise BuildError(f"The static file {path} (named by {page}) is not among the project's static files.")
    body = source.read_bytes()
    _save(root, target, body, built, "static file")
    if name.endswith(".css"):
        for _, address in CSS_URL.findall(body.decode("utf-8", "replace")):
            if re.match(r"^[a-z][a-z0-9+.-]*:|^/|^#", address, re.IGNORECASE):
                continue  # data:, another site's, the site's root: left as written
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), urlsplit(address).path))
            if joined.startswith(site.static):
                _copy_static(root, joined, path, site, built, seen)


def _relative(address: str, here: str, site: Site) -> str:
    """A same-site address as a link from the file `here`; the portal's as an absolute link to the portal."""
    local = site.local(address)
    if local is None or not address.startswith("/"):
        return address  # another site's, a fragment, or an absolute address of the website: kept as written
    path, query, fragment = local
    if not site.is_static(path) and not site.is_public(path):
        return site.site_url + address
    link = relative_link(file_path(path), here)
    return link + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def _rewrite_html(text: str, here: str, site: Site) -> str:
    def one(match: re.Match) -> str:
        quote_mark = '"' if match.group(2) is not None else "'"
        address = html.unescape(match.group(2) if match.group(2) is not None else match.group(3))
        relative = _relative(address, here, site)
        if relative == address:
            return match.group(0)
        return f"{match.group(1)}{quote_mark}{html.escape(relative)}{quote_mark}"

    return ADDRESS.sub(one, text)


def _rewrite_index(entries: list[dict], here: str, site: Site) -> str:
    """The search index with each entry's address relative to the index's folder: the browser's search puts the
    index's own folder before it (static/js/site-search.js)."""
    for entry in entries:
        if isinstance(entry.get("url"), str):
            entry["url"] = _relative(entry["url"], here, site)
    return json.dumps(entries, ensure_ascii=False)
