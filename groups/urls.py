from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("me/reminders/", views.my_reminders, name="my_reminders"),
    path("people/", views.person_list, name="person_list"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/away/", views.absence_add, name="absence_add"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<str:acronym>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<str:acronym>/membership/new/", views.membership_form, name="membership_create"),
    path("agencies/<str:acronym>/membership/<int:pk>/", views.membership_form, name="membership_edit"),
    path("<slug:slug>/edit/", views.group_edit, name="group_edit"),
    path("<slug:slug>/co-chairs/", views.co_chairs_change, name="co_chairs_change"),
    path("<slug:slug>/tor/new/", views.tor_add, name="tor_add"),
    path("<slug:slug>/tor/<int:pk>.pdf", views.tor_pdf, name="tor_pdf"),
    path("<slug:slug>/tor/compare/", views.tor_compare, name="tor_compare"),
]
