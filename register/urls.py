"""The register's pages, under /meetings/ where the portal has always had them."""

from django.urls import path

from . import views

app_name = "register"
urlpatterns = [
    path("calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("calendar/<int:year>/<int:month>/", views.meeting_calendar, name="meeting_calendar_month"),
    path("deadlines/", views.deadline_register, name="deadline_register"),
]
