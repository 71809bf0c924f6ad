"""Who may change what: each app's `access.py` holds the rules of the records it keeps (DOMAIN.md: Who uses the
portal), and `require` turns a refusal into a 403 page with the reason.

Views call the rules before every write; templates may use them to hide buttons, but hiding is never the check.
Chair and co-chair powers follow from the records: a person acts for the chair when their agency chairs (the
actual term) and they are its focal point or principal (`chairs.access`); a person acts for a group when their
agency co-chairs it (`groups.access`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext


def require(allowed: bool, reason: str = "") -> None:
    if not allowed:
        raise PermissionDenied(reason or gettext("You may not make this change."))
