"""The public website's pages in the other languages: `{% language_versions path as versions %}` gives, for the
page at `path` (website/views.py puts it in every page's context), one entry per language (code, name, address,
absolute address, whether it is this page's), for the `hreflang` alternates in the page's head and the switcher
on every page. A page of the portal (the desk's preview) has no versions: its address is the same in every
language."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation

register = template.Library()


@dataclass(frozen=True)
class Version:
    code: str
    name: str
    url: str
    absolute: str
    current: bool


@register.simple_tag
def language_versions(path: str) -> list[Version]:
    try:
        match = resolve(path)
    except Resolver404:
        return []
    if match.namespace != "website":
        return []
    here = translation.get_language()
    site = settings.SITE_URL.rstrip("/")
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        versions.append(Version(code, name, url, site + url, code == here))
    return versions
