"""The overview's addresses. Its pages of agencies, groups and chair terms, and the annual reports, keep the
addresses and names of the groups' and chairs' namespaces: gmg_portal/urls.py puts them there, after each app's own
(a one-segment group address never shadows one of the groups app's)."""

from django.urls import path

from . import record_pages, report_pages, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/activities/", views.dashboard_activities, name="dashboard_activities"),
    path("search/", views.search, name="search"),
    path("audit/", views.audit, name="audit"),
    path("support-team/", views.support_team, name="support_team"),
]

# Under /groups/, in the groups namespace.
group_pages = [
    path("", record_pages.group_list, name="group_list"),
    path("agencies/", record_pages.agency_list, name="agency_list"),
    path("agencies/<str:acronym>/", record_pages.agency_detail, name="agency_detail"),
    path("<slug:slug>/", record_pages.group_detail, name="group_detail"),
    path("<slug:slug>/report/<int:year>/", report_pages.group_report, name="group_report"),
    path("<slug:slug>/report/<int:year>.<str:fmt>", report_pages.group_report_download, name="group_report_download"),
]

# Under /chairs/, in the chairs namespace.
chair_pages = [
    path("<int:pk>/", record_pages.term_detail, name="term_detail"),
    path("<int:pk>/report/", report_pages.report, name="report"),
    path("<int:pk>/report.<str:fmt>", report_pages.report_download, name="report_download"),
]
