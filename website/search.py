"""The public search: what is published and says the words asked for (each word, in any order), across the
articles, the documents' chosen versions (title and text), the groups, the work plans and their activities, the
meetings and the events. Nothing unpublished is read. `index()` is the same as JSON, for the static copy's search
in the visitor's browser."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from archive.models import DocumentVersion
from events.models import ExternalEvent
from groups.models import Group
from meetings.models import Meeting
from workplans.models import Activity, WorkPlan

from . import selectors
from .models import Article, Publication
from .publishable import of

Kind = Publication.Kind
MAX_HITS = 50


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    summary: str


def _all_words(query: str, *fields: str) -> Q:
    condition = Q()
    for word in query.split():
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


def _snippet(text: str, query: str, width: int = 200) -> str:
    text = " ".join((text or "").split())
    lower = text.lower()
    at = min((lower.find(w.lower()) for w in query.split() if w.lower() in lower), default=0)
    start = max(at - 60, 0)
    piece = text[start : start + width]
    return ("..." if start else "") + piece + ("..." if start + width < len(text) else "")


def hits(query: str) -> list[Hit]:
    found: list[Hit] = []
    ids = {kind: selectors.public(kind) for kind in (Kind.ARTICLE, Kind.DOCUMENT, Kind.GROUP, Kind.WORKPLAN)}
    language = translation.get_language()
    words = _all_words(query, "title", "summary", "body")
    for code in Article.TRANSLATIONS:  # a word of any of its versions finds it; it is shown in the reader's
        words |= _all_words(query, f"title_{code}", f"summary_{code}", f"body_{code}")
    for article in Article.objects.filter(words, pk__in=ids[Kind.ARTICLE]):
        article.in_language(language)
        found.append(Hit(article.title, article.public_url(), article.get_kind_display(), article.summary))
    chosen = ids[Kind.DOCUMENT]
    versions = DocumentVersion.objects.filter(document_id__in=chosen).select_related("document").defer("document__text")
    titles = _all_words(query, "document__title", "document__title_fr", "document__title_es", "text")
    for version in versions.filter(titles):
        if chosen[version.document_id].version != version.number:
            continue
        document = version.document
        found.append(
            Hit(
                document.shown_title,
                of(Kind.DOCUMENT).public_url(document),
                document.get_kind_display(),
                _snippet(version.text, query),
            )
        )
    for group in Group.objects.filter(_all_words(query, "name", "short_name"), pk__in=ids[Kind.GROUP]):
        found.append(Hit(group.name, of(Kind.GROUP).public_url(group), group.get_kind_display(), ""))
    plans = ids[Kind.WORKPLAN]
    for plan in WorkPlan.objects.filter(_all_words(query, "title", "summary"), pk__in=plans):
        found.append(Hit(plan.title, of(Kind.WORKPLAN).public_url(plan), gettext("Work plan"), plan.summary[:200]))
    activities = (
        Activity.objects.filter(_all_words(query, "description", "lead"), output__stream__workplan_id__in=plans)
        .select_related("output__stream__workplan")
        .only("description", "number", "output__stream__workplan__slug", "output__stream__workplan__title")[:MAX_HITS]
    )
    for activity in activities:
        plan = activity.output.stream.workplan
        found.append(
            Hit(
                f"{activity.number or 'Activity'} - {plan.title}",
                f"{of(Kind.WORKPLAN).public_url(plan)}#activity-{activity.pk}",
                "Activity",
                _snippet(activity.description, query),
            )
        )
    for meeting in Meeting.objects.filter(
        _all_words(query, "title", "venue"), pk__in=selectors.public_ids(Kind.MEETING)
    ):
        found.append(Hit(str(meeting), of(Kind.MEETING).public_url(meeting), meeting.get_kind_display(), meeting.venue))
    events = ExternalEvent.objects.filter(_all_words(query, "name", "place"), pk__in=selectors.public_ids(Kind.EVENT))
    for event in events:
        found.append(Hit(event.name, of(Kind.EVENT).public_url(event), event.get_kind_display(), event.place))
    return found[:MAX_HITS]


def index() -> str:
    """Every public item as {title, url, kind, summary, text}: the static copy's search reads it."""
    entries: list[dict] = []
    for article in Article.objects.filter(pk__in=selectors.public_ids(Kind.ARTICLE)):
        article.in_language(translation.get_language())
        entries.append(
            {
                **asdict(Hit(article.title, article.public_url(), article.get_kind_display(), article.summary)),
                "text": article.body,
            }
        )
    for document, version in selectors.documents():
        entries.append(
            {
                **asdict(
                    Hit(document.shown_title, of(Kind.DOCUMENT).public_url(document), document.get_kind_display(), "")
                ),
                "text": version.text if version else "",
            }
        )
    for group in selectors.groups():
        entries.append(
            {
                **asdict(Hit(group.name, of(Kind.GROUP).public_url(group), group.get_kind_display(), "")),
                "text": group.short_name,
            }
        )
    for plan in selectors.workplans():
        text = " ".join(
            a.description for a in Activity.objects.filter(output__stream__workplan=plan).only("description")
        )
        entries.append(
            {
                **asdict(Hit(plan.title, of(Kind.WORKPLAN).public_url(plan), gettext("Work plan"), plan.summary[:200])),
                "text": text,
            }
        )
    for meeting in selectors.meetings():
        entries.append(
            {
                **asdict(
                    Hit(str(meeting), of(Kind.MEETING).public_url(meeting), meeting.get_kind_display(), meeting.venue)
                ),
                "text": "",
            }
        )
    for event in selectors.events():
        entries.append(
            {
                **asdict(Hit(event.name, of(Kind.EVENT).public_url(event), event.get_kind_display(), event.place)),
                "text": "",
            }
        )
    return json.dumps(entries, ensure_ascii=False)
