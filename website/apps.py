from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    """The GMG's public website, published from the record: what is public, the news and pages the support team
    writes, the public pages, feeds, sitemap and search, and the static copy (`build_site`)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "website"
    verbose_name = _("Public website")
    # Its tables are the record: a publication moves the record's version (kit.record_version), so the public pages
    # kept under it are made afresh.
    holds_the_record = True
