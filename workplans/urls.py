from django.urls import path

from . import views

app_name = "workplans"
urlpatterns = [
    path("", views.WorkPlanListView.as_view(), name="workplan_list"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<slug:slug>/", views.WorkPlanDetailView.as_view(), name="workplan_detail"),
]
