"""A person's API token (issue 11: token authentication per person, revocable from the person's own page)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """The key is shown once when created; only its SHA-256 is kept, so a leaked database leaks no key.

    Revoked, it stops working at once; a person has at most one live token (a new one revokes the old).
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    # The key's first characters, shown on the page so a person can tell which key a program holds.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The token of the form that created the row: a form posted twice creates one key.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="one_live_api_token_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"API token {self.prefix}… of {self.person_id}{' (revoked)' if self.revoked_at else ''}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
