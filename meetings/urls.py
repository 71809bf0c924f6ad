from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/agenda/new/", views.agenda_item_form, name="agenda_item_create"),
    path("<int:pk>/agenda/<int:item_pk>/", views.agenda_item_form, name="agenda_item_edit"),
    path("<int:pk>/agenda/<int:item_pk>/remove/", views.agenda_item_delete, name="agenda_item_delete"),
    path("<int:pk>/action-points/new/", views.action_point_form, name="action_point_create"),
    path("<int:pk>/action-points/<int:point_pk>/", views.action_point_form, name="action_point_edit"),
    path("<int:pk>/action-points/<int:point_pk>/remove/", views.action_point_delete, name="action_point_delete"),
    path("<int:pk>/<str:kind>.<str:fmt>", views.meeting_document, name="meeting_document"),
    path("action-points/", views.action_point_list, name="action_point_list"),
    path("action-points.<str:fmt>", views.action_point_export, name="action_point_export"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/review/", views.decision_review, name="decision_review"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
]
