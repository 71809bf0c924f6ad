"""Someone not signed in cannot make the server read a large body: a 200 MB post to the sign-in page is answered
413 at once by the portal served as in production, without reading it or its memory growing by it; a streamed body
without a length is read no further than the limit; signed-in uploads keep their own, larger limits."""

import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from api.services import api_token_create
from groups.models import Person
from tests.factories import make_person
from tests.test_readme_commands import clean_env, free_port

ROOT = Path(__file__).resolve().parents[2]

BODY = 200 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)


@pytest.fixture(scope="module")
def served():
    """The portal served as in production (gunicorn, one sync worker); its address and the worker's pid."""
    port = free_port()
    env = clean_env(
        DJANGO_SECRET_KEY="k3y-" + "x9Q2" * 16,
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_COOKIES="false",
        DATABASE_URL=os.environ.get("DATABASE_URL", ""),  # an anonymous sign-in post reads no database
        GMG_STATIC_MANIFEST="false",
        GMG_BIND=f"127.0.0.1:{port}",
        GMG_WEB_WORKERS="1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gmg_portal/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as page:
                    assert page.status == 200
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("gunicorn did not answer")
                time.sleep(0.3)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        yield port, int(children[0])
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def memory_kb(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))


def post_large(port: int, path: str) -> tuple[bytes, float, int]:
    """POST a 200 MB multipart body over a socket, sending while the server answers; (answer, seconds, sent)."""
    boundary = "gmgboundary"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {BODY}\r\n\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'
    ).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sent = [0]

    def send():
        try:
            sock.sendall(head)
            while sent[0] < BODY:
                sock.sendall(CHUNK)
                sent[0] += len(CHUNK)
        except OSError:  # the server answered and closed: stop sending
            pass

    started = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            part = sock.recv(65536)
            if not part:
                break
            answer += part
    finally:
        elapsed = time.monotonic() - started
        sock.close()
        sender.join(timeout=10)
    return answer, elapsed, sent[0]


def test_a_200_mb_post_to_the_sign_in_page_is_refused_at_once_without_being_read(served):
    port, worker = served
    before = memory_kb(worker, "VmRSS")
    answer, elapsed, sent = post_large(port, reverse("login"))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert elapsed < 2, f"answered after {elapsed:.1f} s"
    assert sent < BODY / 4, f"{sent / 2**20:.0f} MB were taken before the answer"
    grew = memory_kb(worker, "VmHWM") - before
    assert grew < 20 * 1024, f"the server's memory grew by {grew / 1024:.0f} MB"


@pytest.mark.django_db
def test_signed_in_uploads_keep_their_own_larger_limits(client):
    """Past the anonymous limit, a signed-in upload or an API client with its key reaches its form's own checks."""
    person = make_person("support", role=Person.Role.SUPPORT)
    _, key = api_token_create(person=person)
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 " + b"x" * (1024 * 1024), content_type="application/pdf")
    anonymous = client.post(reverse("archive:document_create"), {"file": upload})
    assert anonymous.status_code == 413
    upload.seek(0)
    api = client.post(reverse("api:activity-updates", args=[0]), {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 404  # no such activity: the key's request reached the API
    upload.seek(0)
    client.force_login(person)
    signed_in = client.post(reverse("archive:document_create"), {"file": upload})
    assert signed_in.status_code == 400 and "This field is required" in signed_in.text  # the form's own answer


def streamed_request(path: str, *, limit_reached_after: int):
    """A request through the whole handler whose body has no length and never ends (as gunicorn hands over a
    chunked body); returns the response and how many bytes the portal read."""

    class Endless(io.RawIOBase):
        taken = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            size = len(buffer)
            buffer[:size] = b"a" * size
            Endless.taken += size
            if Endless.taken > limit_reached_after:
                raise AssertionError("read far past the limit")
            return size

    stream = io.BufferedReader(Endless())
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": stream,
        "wsgi.input_terminated": True,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    status = []
    body = b"".join(WSGIHandler()(environ, lambda s, h, *a: status.append(s)))
    return status[0], body, Endless.taken


@pytest.mark.django_db
def test_a_streamed_body_without_a_length_is_not_read(settings):
    """A chunked body that never ends, as gunicorn hands it over: refused without being read (Django's WSGI
    request reads no more than the Content-Length, here none)."""
    status, body, taken = streamed_request(reverse("login"), limit_reached_after=8 * 2**20)
    assert status.startswith("403"), body[:300]  # the sign-in form arrived empty: no CSRF token
    assert taken <= settings.GMG_ANONYMOUS_BODY_MAX_KB * 1024
