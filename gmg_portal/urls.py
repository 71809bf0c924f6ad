from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import two_factor
from accounts.security import LoginView, password_reset_views
from api import pages as api_pages
from chairs import urls as chairs_urls
from groups import urls as groups_urls
from kit import health
from overview import urls as overview_urls
from website import urls as website_urls

urlpatterns = [
    *overview_urls.urlpatterns,
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-step/", two_factor.two_factor, name="two_factor"),
    path("accounts/two-step/code/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("groups/me/api-key/", api_pages.api_key, name="api_key"),
    *password_reset_views(),
    # The overview's pages of groups, agencies and chair terms read across the apps; they keep these namespaces.
    path("groups/", include((groups_urls.urlpatterns + overview_urls.group_pages, "groups"))),
    path("api/", include("api.urls")),
    path("chairs/", include((chairs_urls.urlpatterns + overview_urls.chair_pages, "chairs"))),
    path("workplans/", include("workplans.urls")),
    path("meetings/", include("register.urls")),
    path("meetings/", include("meetings.urls")),
    path("events/", include("events.urls")),
    path("archive/", include("archive.urls")),
    path("calendar/", include("reminders.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path(
        "favicon.ico",
        RedirectView.as_view(
            url=f"/{settings.STATIC_URL.strip('/')}/favicon.svg", permanent=True, http_method_names=["get", "head"]
        ),
    ),
    path("website/", include((website_urls.desk_patterns, "desk"))),
    # The public website: its home at the root, its pages at addresses of their own, after every other address;
    # in English without a prefix, in French and Spanish under /fr/ and /es/ (accounts/language.py).
    *i18n_patterns(path("", include("website.urls")), prefix_default_language=False),
]
