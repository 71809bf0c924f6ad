"""The public website as a visitor reads it, and what must never be in it.

`crawl()` asks for every address of the website reachable from its home page (and from robots.txt, the sitemap and
the search index and its script, which are read without a link) as an anonymous visitor, following every same-site
link, image, form, feed entry, calendar entry and search index entry; `walk()` reads a static copy's files the same
way. `Forbidden.of_record()` gathers what the record holds that is not public: the people's e-mail addresses and
names, the internal fields' texts (notes, costs, funding, minutes, remote links, review comments, update narratives
- an accepted one is public in a published annual report only), the texts of unpublished items, and the files of
the versions that are not published. `leaks()` names each place one of them shows.

The crawler is written apart from website/static_copy.py on purpose: the test must not share the build's idea
of what a link is.
"""

from __future__ import annotations

import html
import json
import re
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from archive.models import DocumentVersion
from groups.models import Person
from meetings.models import ActionPoint, AgendaItem, Meeting
from website.models import Publication
from website.publishable import KINDS
from workplans.models import Activity, ActivityUpdate, Output, WorkPlan, WorkStream

DESK = {"desk", "article_new", "article_desk", "item", "take_off", "preview"}
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/atom+xml", "application/rss+xml")
REPORTS = "/publications/annual-reports/"  # the published annual reports' pages and files
MIN_LINE = 20  # a line of an internal text shorter than this may well be said in public too


@dataclass
class Served:
    address: str
    body: bytes
    content_type: str

    @property
    def is_text(self) -> bool:
        return self.content_type.startswith(TEXT_TYPES)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "data-index") and value:
                self.found.append(value)


def html_links(text: str) -> list[str]:
    parser = _Links()
    parser.feed(text)
    return parser.found


def unfolded_calendar(text: str) -> str:
    return re.sub(r"\r?\n[ \t]", "", text)


def links_in(served: Served) -> list[str]:
    """The addresses a response names, as written (relative ones included)."""
    text = served.body.decode("utf-8", "replace")
    kind = served.content_type
    if kind.startswith("text/html"):
        return html_links(text)
    if kind.startswith("application/json"):
        return [e["url"] for e in json.loads(text) if isinstance(e, dict) and "url" in e]
    if kind.startswith("text/calendar"):
        return re.findall(r"^URL[^:]*:(\S+)", unfolded_calendar(text), re.MULTILINE)
    if "xml" in kind:
        return [html.unescape(u) for u in re.findall(r"""(?:<loc>|href=")([^<"]+)""", text)]
    return []


def is_public_address(path: str) -> bool:
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return True  # a dead link: crawling it fails the test
    return match.namespace == "website" and match.url_name not in DESK


def crawl(client, *, headers: dict | None = None) -> dict[str, Served]:
    """Every public address reachable from the home page, robots.txt and the sitemap -> its answer. A linked
    address that does not answer 200 fails, naming the page that links to it."""
    site = settings.SITE_URL.rstrip("/")
    names = ("home", "robots", "sitemap", "search_index", "search_index_script")
    start = [reverse(f"website:{name}") for name in names]
    for language in ("fr", "es"):  # each language's search index, which its static copy's search reads
        with translation.override(language):
            start += [reverse(f"website:{name}") for name in ("search_index", "search_index_script")]
    queue, linked_from = deque(start), dict.fromkeys(start, "(start)")
    found: dict[str, Served] = {}
    while queue:
        path = queue.popleft()
        response = client.get(path, headers=headers or {})
        assert response.status_code == 200, f"{path}, linked from {linked_from[path]}, answered {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        served = found[path] = Served(path, body, response.get("Content-Type", ""))
        for link in links_in(served):
            if link.startswith(site + "/"):
                link = link[len(site) :]
            if not link.startswith("/") or link.startswith("//"):
                continue
            target = urlsplit(link).path
            if target.startswith("/" + settings.STATIC_URL.strip("/") + "/") or not is_public_address(target):
                continue
            if target not in linked_from:
                linked_from[target] = path
                queue.append(target)
    return found


def content_type_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return {
        ".html": "text/html",
        ".json": "application/json",
        ".atom": "application/atom+xml",
        ".xml": "application/xml",
        ".ics": "text/calendar",
        ".txt": "text/plain",
        ".css": "text/css",
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
    }.get(suffix, "application/octet-stream")


def walk(folder: Path) -> dict[str, Served]:
    """Every file of a static copy -> its content (by its path in the copy)."""
    return {
        str(path.relative_to(folder)): Served(
            str(path.relative_to(folder)), path.read_bytes(), content_type_of(path.name)
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- what must not be public ---------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if len(" ".join(line.split())) >= MIN_LINE]


def _amounts(amount: Decimal | None) -> list[str]:
    if amount is None or amount < 10000:
        return []
    return [f"{amount:.2f}", f"{amount:,.2f}", f"{int(amount):,}", str(int(amount))]


def public_versions() -> set[int]:
    """The document versions the website may serve: the chosen version of each public document, and the images
    of the public articles."""
    from website import selectors

    chosen = {v.pk for _, v in selectors.documents() if v is not None}
    articles = selectors.public_ids(Publication.Kind.ARTICLE)
    chosen |= set(DocumentVersion.objects.filter(articles__in=articles).values_list("pk", flat=True))
    return chosen


@dataclass
class Forbidden:
    texts: list[tuple[str, str]] = field(default_factory=list)  # (what it is, the text)
    # (what it is, the text): public in a published annual report only, nowhere else
    report_texts: list[tuple[str, str]] = field(default_factory=list)
    files: dict[bytes, str] = field(default_factory=dict)  # a file's content -> which version it is
    unpublished_addresses: dict[str, str] = field(default_factory=dict)  # address -> which item

    def add(self, label: str, *texts: str) -> None:
        for text in texts:
            if text:
                self.texts.append((label, text))

    @classmethod
    def of_record(cls, *extra: tuple[str, str]) -> Forbidden:
        forbidden = cls()
        for person in Person.objects.all():
            forbidden.add(f"e-mail of person {person.pk}", person.email)
            if person.first_name and person.last_name:
                forbidden.add(f"name of person {person.pk}", f"{person.first_name} {person.last_name}")
        for activity in Activity.objects.all():
            label = f"activity {activity.pk}"
            forbidden.add(f"note of {label}", *_lines(activity.note))
            forbidden.add(f"cost of {label}", *_lines(activity.cost_as_written), *_amounts(activity.estimated_cost))
            forbidden.add(f"funding source of {label}", *_lines(activity.funding_source))
        for stream in WorkStream.objects.exclude(estimated_cost=None):
            forbidden.add(f"cost of stream {stream.pk}", *_amounts(stream.estimated_cost))
        for plan in WorkPlan.objects.all():
            forbidden.add(f"note of work plan {plan.pk}", *_lines(plan.note))
        for output in Output.objects.all():
            forbidden.add(f"note of output {output.pk}", *_lines(output.note))
        for update in ActivityUpdate.objects.all():
            if update.review == ActivityUpdate.Review.ACCEPTED:
                # An accepted update is part of the chair's annual report, once that report is published.
                forbidden.report_texts += [(f"narrative of update {update.pk}", t) for t in _lines(update.narrative)]
            else:
                forbidden.add(f"narrative of update {update.pk}", *_lines(update.narrative))
            forbidden.add(f"review comment of update {update.pk}", *_lines(update.review_comment))
        for meeting in Meeting.objects.all():
            forbidden.add(f"minutes of meeting {meeting.pk}", *_lines(meeting.minutes))
            forbidden.add(f"note of meeting {meeting.pk}", *_lines(meeting.note))
            forbidden.add(f"remote link of meeting {meeting.pk}", meeting.remote_link)
        for item in AgendaItem.objects.all():
            forbidden.add(f"notes of agenda item {item.pk}", *_lines(item.notes))
        for point in ActionPoint.objects.all():
            forbidden.add(f"action point {point.pk}", *_lines(point.text))
        for label, text in extra:
            forbidden.add(label, text)
        served = public_versions()
        for version in DocumentVersion.objects.exclude(file="").exclude(pk__in=served):
            with version.file.open("rb") as handle:
                forbidden.files[handle.read()] = f"version {version.number} of document {version.document_id}"
        now_public = {(p.kind, p.object_id) for p in Publication.objects.exclude(public_from=None) if p.is_public()}
        for kind, publishable in KINDS.items():
            for row in publishable.rows():
                if (kind, row.pk) not in now_public:
                    forbidden.unpublished_addresses[publishable.public_url(row)] = f"{kind} {row.pk} (not public)"
        return forbidden


def _readable(served: Served) -> tuple[str, str]:
    """The response as a visitor's eye and a machine read it: its text without the markup, and its raw text
    with the entities decoded (attributes included), each with the spaces collapsed."""
    raw = served.body.decode("utf-8", "replace")
    if served.content_type.startswith("application/json"):
        raw = " ".join(_strings(json.loads(raw)))
    if served.content_type.startswith("text/calendar"):
        raw = re.sub(r"\\([,;\\])", r"\1", unfolded_calendar(raw)).replace("\\n", " ").replace("\\N", " ")
    decoded = html.unescape(html.unescape(raw))
    text = html.unescape(re.sub(r"<[^>]*>", " ", html.unescape(re.sub(r"<[^>]*>", " ", raw))))
    return " ".join(text.split()), " ".join(unquote(decoded).split())


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def leaks(found: dict[str, Served], forbidden: Forbidden) -> list[str]:
    """Each place something not public shows: '<address>: <what>'."""
    problems = []
    for address, served in found.items():
        if served.body in forbidden.files:
            problems.append(f"{address}: the file of {forbidden.files[served.body]}, which is not published")
        if not served.is_text:
            continue
        text, raw = _readable(served)
        lowered = (text + "\n" + raw).lower()
        in_report = REPORTS in "/" + address
        for label, needle in forbidden.texts + ([] if in_report else forbidden.report_texts):
            if " ".join(needle.split()).lower() in lowered:
                problems.append(f"{address}: the {label} ({needle[:60]!r})")
    for unpublished, item in forbidden.unpublished_addresses.items():
        as_file = unquote(unpublished.lstrip("/")) + ("index.html" if unpublished.endswith("/") else "")
        if unpublished in found or as_file in found:
            problems.append(f"{unpublished}: the page of {item} is served")
    return sorted(set(problems))


def unpublished_answers(client, forbidden: Forbidden) -> list[str]:
    """The unpublished items whose public address answers 200 anyway."""
    return [
        f"{address} ({item}) answered 200"
        for address, item in forbidden.unpublished_addresses.items()
        if client.get(address).status_code == 200
    ]
