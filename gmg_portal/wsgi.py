import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmg_portal.settings")
application = get_wsgi_application()


def refuse_to_serve_without_a_secret_key() -> None:
    from django.conf import settings

    # Django's own complaint about an empty key comes only at the first request that signs something.
    if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
        raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)


refuse_to_serve_without_a_secret_key()
