from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in and out: the sign-in page and its defences, password resets, the two-step sign-in."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import security  # noqa: F401 - connects the sign-in receivers
