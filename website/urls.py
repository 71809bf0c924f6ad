"""The public website's addresses (at the portal's root in English and under /fr/ and /es/, in the `website`
namespace) and the support team's desk under /website/. gmg_portal/urls.py puts them after the portal's own, so
that `/<page>/` never shadows one. The feeds and the sitemap are read only (GET), as every public address is."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_GET

from . import desk, views
from .feeds import NewsFeed, PublicationsFeed
from .sitemaps import SITEMAPS

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("members/", views.members, name="members"),
    path("members/<slug:slug>/", views.member, name="member"),
    path("chair/", views.chair, name="chair"),
    path("working-groups/", views.groups, name="groups"),
    path("working-groups/<slug:slug>/", views.group, name="group"),
    path("working-groups/<slug:slug>/terms-of-reference/<int:pk>/", views.tor, name="tor"),
    path("work-plans/", views.workplans, name="workplans"),
    path("work-plans/<slug:slug>/", views.workplan, name="workplan"),
    path("whats-on/", views.whats_on, name="whats_on"),
    path("whats-on/meetings/<int:pk>-<slug:slug>/", views.meeting, name="meeting"),
    path("whats-on/events/<int:pk>-<slug:slug>/", views.event, name="event"),
    path("whats-on.ics", views.whats_on_ics, name="whats_on_ics"),
    path("news/", views.news, name="news"),
    path("news.atom", require_GET(NewsFeed()), name="news_feed"),
    path("news/images/<int:pk>/<str:name>", views.image, name="image"),
    path("news/<slug:slug>/", views.news_item, name="news_item"),
    path("publications/", views.publications, name="publications"),
    path("publications.atom", require_GET(PublicationsFeed()), name="publications_feed"),
    path("publications/annual-reports/<slug:slug>/", views.report, name="report"),
    path("publications/annual-reports/<slug:slug>/report.<str:fmt>", views.report_file, name="report_file"),
    path("publications/<int:pk>-<slug:slug>/", views.publication, name="publication"),
    path("publications/<int:pk>-<slug:slug>/<str:name>", views.publication_file, name="publication_file"),
    path("find/", views.find, name="find"),
    path("find/index.json", views.search_index, name="search_index"),
    path("find/index.js", views.search_index_script, name="search_index_script"),
    path("sitemap.xml", require_GET(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    # A page the support team writes (contact, ...) at /<address>/: last of all the portal's addresses.
    path("<slug:slug>/", views.page, name="page"),
]

# The support team's desk, at /website/ in the `desk` namespace: a page of the portal, whose address is the same
# in every language (the person's own).
desk_patterns = [
    path("", desk.desk, name="desk"),
    path("articles/new/", desk.article_new, name="article_new"),
    path("articles/<int:pk>/", desk.article_desk, name="article_desk"),
    path("<str:kind>/<int:pk>/", desk.item, name="item"),
    path("<str:kind>/<int:pk>/take-off/", desk.take_off, name="take_off"),
    path("<str:kind>/<int:pk>/preview/", desk.preview, name="preview"),
]
