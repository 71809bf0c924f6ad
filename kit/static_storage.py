"""The static files' storages, each file's address worked out once per process.

Every page names the same few static files (the layout's stylesheets and scripts), and Django's `{% static %}`
works out each address afresh on every request - joining URLs, or looking the hashed name up in the manifest -
which costs the layout more than all its other tags together. A static file's address cannot change while the
process runs (the manifest is read once, at start-up; a new `collectstatic` comes with a restart), so it is
kept after the first time. Django makes a new storage when a test changes STATIC_URL, STATIC_ROOT or STORAGES,
and the address is kept apart for DEBUG on and off (the manifest storage names the plain file when it is on).
"""

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class UrlsKept:
    """A storage's `url(name)`, kept per name once worked out (a name it refuses is asked again each time)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept_urls: dict[tuple[str, bool], str] = {}

    def url(self, name, *args, **kwargs):
        if args or kwargs:  # the manifest storage's url(name, force=True) is not what pages ask for
            return super().url(name, *args, **kwargs)
        key = (name, settings.DEBUG)
        found = self._kept_urls.get(key)
        if found is None:
            found = self._kept_urls[key] = super().url(name)
        return found


class PlainStaticStorage(UrlsKept, StaticFilesStorage):
    """The files as they are in the static folders (development, tests)."""


class ManifestStaticStorage(UrlsKept, CompressedManifestStaticFilesStorage):
    """Production: compressed files with hashed names, from what `collectstatic` wrote (whitenoise)."""
