from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and out: the sign-in page and its defences, password resets, the two-step sign-in."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import security  # noqa: F401 - connects the sign-in receivers
