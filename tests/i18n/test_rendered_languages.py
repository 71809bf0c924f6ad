"""Every page read in French and in Spanish has no English word besides the record's own.

The walk is tests/test_rendered_pages.py's (every named address, as the support team opens it, the public
website's at its /fr/ and /es/ address), by a person who chose the language on their own page. What a page
shows is read as a person reads it: the visible text and the attributes read aloud (title, aria-label,
placeholder, alt), without scripts, code, and what is marked as written in another language (`lang="en"`: the
English version of a news item that has no French one, the language switcher's names). The record's own words
(every text of the database: names, titles, descriptions) are taken out first. What is left must hold no word
of the portal's English (the words of the catalogues' English strings, and the words every English sentence
has) that the language's own translations do not use too.
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import translate_url
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_AP

from tests.i18n.test_catalogues import catalogue
from tests.test_bad_input import _address, _routes, world  # noqa: F401 - the fixture, shared
from tests.test_rendered_pages import NOT_OPENED
from tests.test_write_urls import url_patterns

ADDRESS = re.compile(r"\S*/\S*")  # an address shown as text (/fr/members/ilo/): not words
WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*[^\W\d_]|[^\W\d_]")
# Words of any English sentence, whether or not a catalogue names them.
EVERY_SENTENCE = """
the and of to with for this that these those is are was were be been has have had not you your our their what
which who when where there here will would can could may must should than then them they it its from by about
after before into over under again only also each every any all some none no yes or if but add edit save delete
remove cancel back next previous search open close show hide more less new
"""
ENGLISH = set(EVERY_SENTENCE.split())
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SKIPPED = {"script", "style", "code", "pre", "template", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(HTMLParser):
    """The text of a page as a person reads it in `language`."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[bool] = []  # for each open element: whether its text is not read here
        self.parts: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").split("-")[0]
        other = bool(lang) and lang != self.language
        skip = tag in SKIPPED or other or "hidden" in attributes
        if not (self.skipping or skip):
            self.parts += [attributes[a] for a in READ_ATTRIBUTES if attributes.get(a)]
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.parts.append(attributes["value"])
        if tag not in VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        saved = list(self.stack)
        self.handle_starttag(tag, attrs)
        self.stack = saved

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def read(page: str, language: str) -> str:
    reader = _Reader(language)
    reader.feed(page)
    reader.close()
    return "\n".join(" ".join(part.split()) for part in reader.parts if part.strip())


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@cache
def vocabularies() -> dict[str, set[str]]:
    """The English words of the portal that a page in each language must not show."""
    english = set(ENGLISH)
    translated: dict[str, set[str]] = {}
    for language in ("fr", "es"):
        po = polib.pofile(str(catalogue(language)))
        own: set[str] = set()
        for entry in po:
            english |= words(re.sub(r"%\(\w+\)[sd]|<[^>]+>", " ", entry.msgid + " " + entry.msgid_plural))
            own |= words(entry.msgstr + " " + " ".join(entry.msgstr_plural.values()))
        translated[language] = own
    for language in translated:
        # The language's own month names (Spanish "may", "mar") and the languages' names in themselves ("English"
        # in the choice of a language) are its words too.
        with translation.override(language):
            months = [str(m) for names in (MONTHS, MONTHS_3, MONTHS_AP) for m in names.values()]
        translated[language] |= words(" ".join(months)) | words(" ".join(name for _, name in settings.LANGUAGES))
    return {language: {w for w in english if len(w) > 1 and w not in own} for language, own in translated.items()}


def record_texts() -> re.Pattern:
    """Every text of the database (the record's own words), longest first, as one pattern."""
    texts: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value and isinstance(value, str):
                    texts.add(" ".join(html.unescape(value).split()))
                    texts.update(" ".join(line.split()) for line in value.splitlines() if line.strip())
    texts = {t for t in texts if len(t) > 1}
    return re.compile("|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)))


def english_left(page: str, language: str, record: re.Pattern) -> list[str]:
    """The lines of a page in `language` that still hold English words of the portal, with those words."""
    vocabulary = vocabularies()[language]
    found = []
    for line in read(page, language).splitlines():
        line = ADDRESS.sub(" ", record.sub(" ", line))
        left = words(line) & vocabulary
        if left:
            found.append(f"{line[:110]!r}: {sorted(left)}")
    return found


# Pages that are in English in every language, with the reason.
ENGLISH_PAGES = {
    "api:docs": "The API's documentation: Swagger UI and the OpenAPI schema's descriptions are English; the page "
    "says so (lang=\"en\").",
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_page_in_french_and_spanish_has_no_english_but_the_record(client, world, language):  # noqa: F811
    person = world["person"]
    person.language = language
    person.save(update_fields=["language"])
    client.force_login(person)
    record = record_texts()
    routes = _routes()
    problems, opened = [], 0
    for name, made_up in url_patterns():
        if name in NOT_OPENED or name in ENGLISH_PAGES or name not in routes:
            continue
        try:
            url = _address(routes[name], world["samples"])
        except pytest.fail.Exception:
            url = made_up
        if name.startswith("website:"):
            url = translate_url(url, language)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        opened += 1
        page = response.content.decode()
        if "<html" in page and f'<html lang="{language}"' not in page:
            problems.append(f"{name} ({url}): the page does not say it is in {language} (<html lang>)")
        problems += [f"{name} ({url}): {line}" for line in english_left(page, language, record)]
    assert opened > 100
    assert not problems, f"{len(problems)} lines in English on pages in {language}:\n" + "\n".join(problems[:60])


def test_the_reader_reads_what_a_person_reads():
    page = (
        '<html lang="fr"><head><title>Tableau de bord</title><script>var saved = "Saved";</script></head>'
        '<body><p>Enregistré</p><p lang="en">News in English</p><input placeholder="Search" type="search">'
        '<a href="/" title="Close">x</a><code>make run</code><p hidden>Hidden words</p></body></html>'
    )
    assert read(page, "fr").splitlines() == ["Tableau de bord", "Enregistré", "Search", "Close", "x"]
