"""The benchmark's WSGI application: the portal, and beside it the floor of a Django request on this machine.

gunicorn serves this one application in the benchmark only (`scripts/benchmark.py`; production serves
`gmg_portal.wsgi`, which knows nothing of it). `FLOOR_PATH` is answered by a minimal Django view through a handler
that runs no middleware and no template - the same Django, the same settings, the same worker process, the same
request and response objects and the same request_started/request_finished signals (the database connection's
check at the end of each request included) - so the portal's pages can be read as a share of what Django itself
can serve here. Every other path goes to the portal's own application, unchanged.
"""

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse

from gmg_portal.wsgi import application as portal

FLOOR_PATH = "/__floor__/"


def floor_view(request):
    """The least a Django view can answer: a few bytes of text, no template, no database."""
    return HttpResponse(b"floor\n", content_type="text/plain; charset=utf-8")


class FloorHandler(WSGIHandler):
    """Django's WSGI handler with no middleware and no URL resolution: every request goes to `floor_view`."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(floor_view)


floor = FloorHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == FLOOR_PATH:
        return floor(environ, start_response)
    return portal(environ, start_response)
