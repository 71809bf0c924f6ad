"""The language each page speaks (English, French or Spanish: settings.LANGUAGES).

- The public website's addresses carry their language: `/about/` is English, `/fr/about/` French, `/es/about/`
  Spanish, whoever asks. A visitor who arrives from elsewhere at an English address, with no choice made before,
  is sent to the version their browser asks for (Accept-Language); the switcher on every page and the links
  within the site then take them where they choose, and their choice is kept in the language cookie.
- The portal's addresses mean the same in every language: a signed-in person reads them in the language of their
  own page (Person.language); before signing in, in the language cookie's or the browser's.

This replaces Django's LocaleMiddleware, which reads an address without a prefix as the default language's (so
a French focal point's dashboard would be English). Mails and notices are written in their recipient's language
by the code that writes them (kit/languages.py: `in_language_of`).
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import LocalePrefixPattern, Resolver404, URLResolver, get_resolver, resolve, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kit.languages import person_language

PUBLIC_NAMESPACE = "website"


# The public website's addresses that are files rather than pages (feeds, calendar, sitemap, downloads): a
# visitor's browser never sends them elsewhere.
FILES = {
    "sitemap",
    "robots",
    "news_feed",
    "publications_feed",
    "whats_on_ics",
    "search_index",
    "search_index_script",
    "image",
    "publication_file",
    "report_file",
}


def is_public(match) -> bool:
    return match.namespace == PUBLIC_NAMESPACE


@functools.cache
def _public_beginnings() -> tuple[frozenset[str], bool]:
    """The first parts of the public website's addresses ("about", "news", "news.atom", ...), and whether any
    one-part address may be one (the support team's pages at /<address>/)."""
    firsts, any_one = set(), False
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            for inner in entry.url_patterns:
                for pattern in getattr(inner, "url_patterns", [inner]):
                    route = str(pattern.pattern)
                    first = route.split("/", 1)[0]
                    if first.startswith("<"):
                        any_one = True
                    else:
                        firsts.add(first)
    return frozenset(firsts), any_one


def public_match(path: str):
    """The resolver's match of an address of the public website in English (no prefix), or None. Most of the
    portal's addresses are told apart by their first part alone, without asking the resolver."""
    firsts, any_one = _public_beginnings()
    parts = path.strip("/").split("/")
    if parts[0] not in firsts and not (any_one and len(parts) == 1):
        return None
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    return match if is_public(match) else None


def _browser_language(request) -> str:
    return translation.get_language_from_request(request, check_path=False)


def _from_elsewhere(request) -> bool:
    referer = request.headers.get("Referer", "")
    return not referer or urlsplit(referer).netloc != request.get_host()


def _switched(request, language: str) -> bool:
    """Whether the visitor came from another language's page of the site (the switcher): their choice, kept."""
    if _from_elsewhere(request) or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) == language:
        return False
    came_from = urlsplit(request.headers["Referer"]).path
    return (translation.get_language_from_path(came_from) or settings.LANGUAGE_CODE) != language


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path_language = translation.get_language_from_path(request.path_info)
        public = path_language is not None
        redirect = None
        if path_language:
            language = path_language
        elif (match := public_match(request.path_info)) is not None:
            public = match.url_name not in FILES
            language = settings.LANGUAGE_CODE
            asked = _browser_language(request)
            chose = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            arriving = public and request.method in ("GET", "HEAD") and _from_elsewhere(request)
            if arriving and not chose and asked != settings.LANGUAGE_CODE:
                redirect = translate_url(request.get_full_path(), asked)
        elif request.user.is_authenticated:
            language = person_language(request.user)
        else:
            language = _browser_language(request)
        # The language holds for this request only: the thread goes back to the one it had (a worker's next
        # request, a test's next step) once the page is made.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            if redirect and redirect != request.get_full_path():
                response = HttpResponseRedirect(redirect)
            else:
                response = self.get_response(request)
        if public and not path_language:
            # An English address's answer depends on the visitor's browser and choice (the redirect above).
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if public and _switched(request, language):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
