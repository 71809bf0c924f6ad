"""The portal's URLs plus two new ones, for the write-URL gate's test of itself (tests/test_write_urls.py):
a new view that accepts POST, which has no entry in the table, and a new read-only page, which needs none."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from gmg_portal.urls import urlpatterns as portal_urlpatterns


@require_POST
def new_write(request, pk: int):
    return HttpResponse("written")


@require_GET
def new_page(request):
    return HttpResponse("read")


urlpatterns = [
    *portal_urlpatterns,
    path("probe/new-write/<int:pk>/", new_write, name="probe_new_write"),
    path("probe/new-page/", new_page, name="probe_new_page"),
]
