from django.urls import path

from . import views

app_name = "chairs"
urlpatterns = [
    path("", views.term_list, name="term_list"),
    path("rotation/", views.rotation, name="rotation"),
    path("<int:pk>/record/", views.term_record, name="term_record"),
    path("<int:pk>/functions/<int:function_pk>/tick/", views.function_tick, name="function_tick"),
    path("<int:pk>/report/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/report/submit/", views.report_submit, name="report_submit"),
]
