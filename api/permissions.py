"""Who may read and write through the API: the pages' rules, asked of each app's access.py."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


class SignedIn(permissions.BasePermission):
    """Every page of the record is read by anyone signed in with an active account (DOMAIN.md: anyone signed in)."""

    message = _("Sign in (a session or your API key) to read the record.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)
