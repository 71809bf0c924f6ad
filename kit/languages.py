"""The languages the portal writes in (settings.LANGUAGES: English, French and Spanish).

- A person's own: `person_language(person)`, and `in_language_of(person)` around whatever is written to them
  (a reminder, a mail, a notice), whichever request or worker writes it.
- A document's: the portal's files (the chair's annual report, a meeting's agenda and minutes) are made in the
  language the person asks for with `?language=`, else in the one they read the portal in (`written_in`). The
  fixed words and headings are the catalogues'; the record's text is as written.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

CODES = [code for code, _ in settings.LANGUAGES]
# Django's own words that its catalogues of the portal's languages leave empty (Django 6.1's Spanish has no
# "- Select an option -", the empty choice of every list to choose from): the portal's catalogues give them.
DJANGO_GAPS = (gettext_noop("- Select an option -"),)


def person_language(person) -> str:
    """The language a person chose on their own page (English when they chose none that the portal speaks)."""
    language = getattr(person, "language", "") or settings.LANGUAGE_CODE
    return language if language in CODES else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(person):
    """Write a mail, a reminder or a notice to `person` in their language."""
    with translation.override(person_language(person)):
        yield


def asked_language(request) -> str:
    """The language of `?language=`, if the portal speaks it, else the page's own."""
    asked = request.GET.get("language", "")
    return asked if asked in CODES else translation.get_language()


@contextmanager
def written_in(request):
    """Make a document in the language the person asked for."""
    with translation.override(asked_language(request)):
        yield


def weekday_and_day(day) -> str:
    """A day with its weekday as the reader's language writes it in a sentence: "Monday 15 June 2015", "lundi 15 juin
    2015", "lunes 15 de junio de 2015" (Django's French and Spanish names of the weekdays are capitalised)."""
    from django.utils.formats import date_format

    weekday = date_format(day, "l")
    if (translation.get_language() or "en").split("-")[0] in ("fr", "es"):
        weekday = weekday.lower()
    return f"{weekday} {date_format(day, 'DATE_FORMAT')}"
