"""Atom feeds of the news and of the publications (Django's syndication framework), public items only; every link
at the website's own address (settings.SITE_URL), whatever host the request came by."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, gettext_lazy

from . import selectors
from .models import Article, Publication
from .publishable import of

Kind = Publication.Kind


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _moment(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0))) if day else timezone.now()


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Global Migration Group: news and statements")
    subtitle = gettext_lazy("News items and statements published by the Global Migration Group.")
    author_name = gettext_lazy("Global Migration Group")

    def link(self):
        return _absolute(reverse("website:news"))

    def feed_url(self):
        return _absolute(reverse("website:news_feed"))

    def items(self):
        return selectors.articles(Article.Kind.NEWS, Article.Kind.STATEMENT)[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return _absolute(item.public_url())

    def item_pubdate(self, item):
        return _moment(item.dated)

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return _absolute(item.public_url())


class PublicationsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Global Migration Group: publications")
    subtitle = gettext_lazy("Documents and annual reports published by the Global Migration Group.")
    author_name = gettext_lazy("Global Migration Group")

    def link(self):
        return _absolute(reverse("website:publications"))

    def feed_url(self):
        return _absolute(reverse("website:publications_feed"))

    def items(self):
        entries = [
            (d.shown_title, d.get_kind_display(), of(Kind.DOCUMENT).public_url(d), d.dated)
            for d, _ in selectors.documents()
        ]
        entries += [
            (
                of(Kind.REPORT).name(t),
                gettext("Annual report"),
                of(Kind.REPORT).public_url(t),
                t.annual_report_submitted_on,
            )
            for t, _ in selectors.reports()
        ]
        return sorted(entries, key=lambda e: (e[3] is None, e[3]), reverse=True)[:50]

    def item_title(self, item):
        return item[0]

    def item_description(self, item):
        return item[1]

    def item_link(self, item):
        return _absolute(item[2])

    def item_pubdate(self, item):
        return _moment(item[3])

    def item_guid(self, item):
        return _absolute(item[2])
