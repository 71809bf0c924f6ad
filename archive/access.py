"""Who may keep the archive of documents (`kit.access`)."""

from __future__ import annotations

from groups.access import is_support


def can_keep_archive(person) -> bool:
    """Uploading a document, changing its details and links, adding a version: the support team's."""
    return is_support(person)
