from django.urls import path

from . import views

app_name = "chairs"
urlpatterns = [
    path("", views.term_list, name="term_list"),
    path("<int:pk>/", views.term_detail, name="term_detail"),
]
