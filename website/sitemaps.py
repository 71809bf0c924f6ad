"""sitemap.xml: every public page in each of its languages (Django's sitemaps framework), at the website's own
address (settings.SITE_URL), whatever host the request came by (the static copy's are made in-process)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
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


class Sitemap(DjangoSitemap):
    # Each page in English, French and Spanish, each entry naming the others (hreflang) and the English one as the
    # default for a language the website does not speak.
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        return settings.SITE_URL.split("://", 1)[-1]


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return PAGES

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
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
