"""The benchmark's floor (scripts/bench_wsgi.py): a minimal Django view with no middleware, beside the portal in the
benchmark's gunicorn only. The portal's own application knows nothing of it."""

import io
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_wsgi():
    sys.path.insert(0, str(settings.BASE_DIR / "scripts"))
    try:
        import bench_wsgi

        yield bench_wsgi
    finally:
        sys.path.remove(str(settings.BASE_DIR / "scripts"))


def call(application, path: str) -> tuple[str, dict, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body


def test_the_floor_runs_no_middleware_and_every_other_path_is_the_portal(bench_wsgi, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]

    status, headers, body = call(bench_wsgi.application, bench_wsgi.FLOOR_PATH)
    assert status.startswith("200") and body == b"floor\n"
    assert "X-Request-ID" not in headers and "Content-Security-Policy" not in headers

    status, headers, body = call(bench_wsgi.application, "/accounts/login/")
    assert status.startswith("200") and b"Sign in to the GMG Portal" in body
    assert headers["X-Request-ID"] and "default-src 'self'" in headers["Content-Security-Policy"]


def test_the_portal_itself_has_no_floor(client, bench_wsgi):
    assert client.get(bench_wsgi.FLOOR_PATH).status_code == 404
