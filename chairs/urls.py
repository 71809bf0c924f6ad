from django.urls import path

from . import views

app_name = "chairs"
urlpatterns = [
    path("", views.term_list, name="term_list"),
    path("rotation/", views.rotation, name="rotation"),
    path("<int:pk>/", views.term_detail, name="term_detail"),
    path("<int:pk>/record/", views.term_record, name="term_record"),
]
