from django.urls import path

from . import views

app_name = "workplans"
urlpatterns = [
    path("", views.workplan_list, name="workplan_list"),
    path("new/", views.workplan_create, name="workplan_create"),
    path("timeframe/", views.timeframe_reading, name="timeframe_reading"),
    path("mine/", views.my_activities, name="my_activities"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/move/", views.activity_move, name="activity_move"),
    path("activities/<int:pk>/remove/", views.activity_remove, name="activity_remove"),
    path("activities/<int:pk>/report/", views.activity_report, name="activity_report"),
    path("updates/<int:pk>/resubmit/", views.update_resubmit, name="update_resubmit"),
    path("updates/<int:pk>/review/", views.update_review, name="update_review"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("outputs/<int:pk>/", views.output_partial, name="output_partial"),
    path("outputs/<int:pk>/edit/", views.output_edit, name="output_edit"),
    path("outputs/<int:pk>/move/", views.output_move, name="output_move"),
    path("outputs/<int:pk>/remove/", views.output_remove, name="output_remove"),
    path("outputs/<int:pk>/activities/add/", views.activity_add, name="activity_add"),
    path("streams/<int:pk>/", views.stream_partial, name="stream_partial"),
    path("streams/<int:pk>/edit/", views.stream_edit, name="stream_edit"),
    path("streams/<int:pk>/move/", views.stream_move, name="stream_move"),
    path("streams/<int:pk>/remove/", views.stream_remove, name="stream_remove"),
    path("streams/<int:pk>/outputs/add/", views.output_add, name="output_add"),
    path("<slug:slug>/", views.workplan_detail, name="workplan_detail"),
    path("<slug:slug>/edit/", views.workplan_edit, name="workplan_edit"),
    path("<slug:slug>/copy/", views.workplan_copy, name="workplan_copy"),
    path("<slug:slug>/streams/add/", views.stream_add, name="stream_add"),
    path("<slug:slug>/versions/", views.version_list, name="version_list"),
    path("<slug:slug>/versions/compare/", views.version_compare, name="version_compare"),
]
