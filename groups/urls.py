from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("", views.GroupListView.as_view(), name="group_list"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/<str:acronym>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("<slug:slug>/", views.GroupDetailView.as_view(), name="group_detail"),
]
