"""Writes of the API's own records: a person's tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import ApiToken

KEY_PREFIX = "gmg_"
# Writing "last used" on every request would turn each read into a write; once a minute is enough to tell.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, person, form_token: uuid.UUID | None = None) -> tuple[ApiToken, str | None]:
    """A new key for the person, revoking the live one; returns the row and the key (None on a second post).

    The key exists in clear only in this return value: the page shows it once, and only its hash is stored.
    """
    if form_token is not None and (existing := ApiToken.objects.filter(form_token=form_token).first()):
        return existing, None
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
            token = ApiToken.objects.create(
                person=person, key_hash=hash_key(key), prefix=key[: len(KEY_PREFIX) + 6], form_token=form_token
            )
    except IntegrityError:
        # The same form posted twice at once: the other request created the key.
        existing = ApiToken.objects.filter(form_token=form_token).first() if form_token is not None else None
        if existing is None:
            raise
        return existing, None
    return token, key


def api_token_revoke(*, person) -> int:
    """Revoke the person's live key; revoking twice changes nothing the second time (returns rows revoked)."""
    return ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_person(key: str):
    """The active person a live key belongs to, or None; notes when the key was last used."""
    token = (
        ApiToken.objects.select_related("person", "person__agency")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
