from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("me/reminders/", views.my_reminders, name="my_reminders"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<str:acronym>/", views.agency_detail, name="agency_detail"),
    path("<slug:slug>/", views.group_detail, name="group_detail"),
]
