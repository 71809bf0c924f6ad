"""sitemap.xml: every public page (Django's sitemaps framework)."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors
from .models import Article, Publication
from .publishable import of

Kind = Publication.Kind
PAGES = [
    "website:home",
    "website:about",
    "website:members",
    "website:chair",
    "website:groups",
    "website:workplans",
    "website:whats_on",
    "website:news",
    "website:publications",
    "website:find",
]


class _SiteSitemap(Sitemap):
    """Addresses on the GMG_SITE_URL (the address the website is published at), whatever host was asked."""

    def get_urls(self, page=1, site=None, protocol=None):
        scheme, _, host = settings.SITE_URL.partition("://")
        return super().get_urls(page=page, site=SimpleNamespace(domain=host), protocol=scheme)


class PagesSitemap(_SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return PAGES

    def location(self, item):
        return reverse(item)


class RecordSitemap(_SiteSitemap):
    changefreq = "monthly"

    def items(self):
        found = [(Kind.ARTICLE, a) for a in selectors.articles() if a.slug != "about"]
        found += [(Kind.AGENCY, a) for a in selectors.members()]
        found += [(Kind.GROUP, g) for g in selectors.groups()]
        for group in selectors.groups():
            found += [(Kind.TOR, t) for t in selectors.group_tors(group)]
        found += [(Kind.WORKPLAN, p) for p in selectors.workplans()]
        found += [(Kind.MEETING, m) for m in selectors.meetings()]
        found += [(Kind.EVENT, e) for e in selectors.events()]
        found += [(Kind.DOCUMENT, d) for d, _ in selectors.documents()]
        found += [(Kind.REPORT, t) for t, _ in selectors.reports()]
        return found

    def location(self, item):
        kind, obj = item
        return of(kind).public_url(obj)

    def lastmod(self, item):
        kind, obj = item
        return getattr(obj, "updated_at", None) if isinstance(obj, Article) else None


SITEMAPS = {"pages": PagesSitemap, "record": RecordSitemap}
