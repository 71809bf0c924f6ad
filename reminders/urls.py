"""The reminders' pages, under /calendar/: feeds, the feed address page, and the in-app notices."""

from django.urls import path

from reminders import feeds

app_name = "reminders"
urlpatterns = [
    path("", feeds.subscribe, name="subscribe"),
    path("feed/<str:token>.ics", feeds.person_feed, name="person_feed"),
    path("gmg.ics", feeds.gmg_feed, name="gmg_feed"),
    path("gmg/<str:token>.ics", feeds.gmg_feed, name="gmg_feed_token"),
    path("groups/<slug:slug>.ics", feeds.group_feed, name="group_feed"),
    path("groups/<slug:slug>/<str:token>.ics", feeds.group_feed, name="group_feed_token"),
    path("notices/", feeds.notice_list, name="notice_list"),
    path("notices/bell/", feeds.bell, name="bell"),
    path("notices/read-all/", feeds.notice_read_all, name="notice_read_all"),
    path("notices/<int:pk>/read/", feeds.notice_read, name="notice_read"),
    path("delivery/", feeds.delivery, name="delivery"),
]
