from django.urls import path

from . import views

app_name = "chairs"
urlpatterns = [
    path("", views.ChairTermListView.as_view(), name="term_list"),
    path("<int:pk>/", views.ChairTermDetailView.as_view(), name="term_detail"),
]
