"""Production: settings from the environment pass Django's deployment check, `make serve` serves the portal and its
static files, /healthz tells the truth, logs are JSON lines with the request's id."""

import json
import logging
import os
import pickle
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse

from kit import health
from kit.logs import JsonFormatter, RequestIdFilter
from tests.test_readme_commands import clean_env, free_port

ROOT = Path(__file__).resolve().parent.parent.parent
# A port of this workplace where nothing listens (the private Redis of fault drills, when not started).
CLOSED_PORT = 14379
# The shared cache of the served portal: the test run's own Redis (REDIS_URL).
CACHE_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")

PRODUCTION = {
    "DJANGO_SECRET_KEY": "k3y-" + "x9Q2" * 16,
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
    "DJANGO_BEHIND_PROXY": "true",
    "GMG_SITE_URL": "https://portal.example.org",
}


def deployment_check(values: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env(**values, DATABASE_URL=os.environ.get("DATABASE_URL", "")),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check():
    result = deployment_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_fails_without_hsts_and_the_ssl_redirect():
    result = deployment_check({**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_SECURE_HSTS_SECONDS": "0"})
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout and "security.W008" in result.stderr + result.stdout


def server_port() -> int:
    """A port of 8140-8149 where nothing listens, else any free one."""
    import socket

    for port in range(8140, 8150):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


@pytest.mark.django_db(transaction=True)
def test_make_serve_migrates_collects_and_serves_the_portal_with_compressed_hashed_static_files(tmp_path):
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    port = server_port()
    served_here = {
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_BEHIND_PROXY": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "GMG_BIND": f"127.0.0.1:{port}",
        "GMG_WEB_WORKERS": "2",
        "GMG_STATIC_MANIFEST": "true",  # the test run itself serves plain files
        # The README's production settings share the cache among the web processes (GMG_CACHE_URL).
        "GMG_CACHE_URL": CACHE_URL,
    }
    env = clean_env(**{**PRODUCTION, **served_here})
    process = subprocess.Popen(
        ["make", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        page = None
        # collectstatic compresses every file (the API's documentation assets too): minutes on a busy machine.
        deadline = time.monotonic() + 480
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                    page = response.read().decode()
                    request_id = response.headers["X-Request-ID"]
                    break
            except OSError:
                time.sleep(1)
        if page is None:
            os.killpg(process.pid, signal.SIGTERM)
            pytest.fail(f"make serve did not answer: {process.communicate(timeout=30)[0][-3000:]}")
        assert "Sign in to the GMG Portal" in page and request_id
        css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
        assert css, page[:1500]
        request = urllib.request.Request(f"http://127.0.0.1:{port}{css.group(1)}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Encoding"] == "gzip"
            assert "max-age=315360000" in response.headers["Cache-Control"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert json.load(response)["status"] == "ok"
        assert_the_web_processes_share_the_cache(port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            out, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, _ = process.communicate()
    # Its request lines are JSON with the id the page was answered with; gunicorn's own lines are JSON too.
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    served = [line for line in lines if line.get("logger") == "gmg_portal.requests"]
    assert request_id in {line["request_id"] for line in served if line["path"] == "/accounts/login/"}, out[-3000:]
    booted = [line for line in lines if line["logger"] == "gunicorn.error" and "Booting worker" in line["message"]]
    assert len(booted) == 2, out[-3000:]


def assert_the_web_processes_share_the_cache(port: int) -> None:
    """The list of work plans kept by whichever gunicorn worker made it is in the shared Redis, and every answer
    after it (from either worker) is the kept copy: marked there, the mark shows in each."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

    from tests.drills.conftest import Browser
    from tests.factories import PASSWORD, make_person

    person = make_person("cache-reader")
    person.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())  # the server's own hasher
    person.save(update_fields=["password"])
    visitor = Browser(port)
    visitor.sign_in("cache-reader", PASSWORD)
    assert visitor.get("/workplans/")[0] == 200
    cache = redis.Redis.from_url(CACHE_URL)
    keys = list(cache.scan_iter(match="*record:workplan_list:*"))
    assert len(keys) == 1, f"the listing is kept in the shared cache: {keys}"
    try:
        kept = pickle.loads(cache.get(keys[0]))
        cache.set(keys[0], pickle.dumps(kept + '<p id="kept-in-redis">kept</p>'), keepttl=True)
        answers = [visitor.get("/workplans/") for _ in range(6)]
        assert all(status == 200 and 'id="kept-in-redis"' in page for status, page in answers)
    finally:
        cache.delete(*keys)


def test_healthz_answers_ok_when_the_database_and_the_broker_answer(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "broker"}


def test_healthz_answers_503_naming_the_broker_when_it_is_down_without_its_address(client, db, settings):
    settings.CELERY_BROKER_URL = f"redis://:s3cret-pass@127.0.0.1:{CLOSED_PORT}/0"
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["broker"]["status"] == "failing"
    assert "broker" in body["checks"]["broker"]["reason"]
    assert body["checks"]["database"]["status"] == "ok"
    text = response.content.decode()
    assert "s3cret" not in text and str(CLOSED_PORT) not in text


def test_the_database_check_names_a_database_that_does_not_answer(db):
    from django.db.backends.postgresql.base import DatabaseWrapper

    unreachable = DatabaseWrapper({**connection.settings_dict, "PORT": CLOSED_PORT}, alias="unreachable")
    try:
        assert health.database_answers(unreachable) == "the database does not answer (OperationalError)"
    finally:
        unreachable.close()
    assert health.database_answers() is None


def test_a_new_check_is_one_function_away(client, db):
    checks_before = list(health.CHECKS)  # the portal's own checks (the reminders' among them) stay as they were

    @health.health_check("archive")
    def archive_unreadable():
        return "the archive's folder cannot be read"

    try:
        body = client.get(reverse("healthz")).json()
    finally:
        health.CHECKS[:] = checks_before
    assert body["status"] == "failing"
    assert body["checks"]["archive"] == {
        "status": "failing",
        "ms": 0,
        "reason": "the archive's folder cannot be read",
    }
    assert "reminders" in body["checks"]


def test_a_log_line_is_one_json_object_with_the_request_id_and_the_callers_fields(client, db):
    stream_records = []

    class Keep(logging.Handler):
        def emit(self, record):
            stream_records.append(self.format(record))

    handler = Keep()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logging.getLogger("gmg_portal").addHandler(handler)
    try:
        response = client.get(reverse("login"), HTTP_X_REQUEST_ID="req-from-proxy-42")
        client.post(reverse("login"), {"username": "nobody", "password": "x"}, HTTP_X_REQUEST_ID="bad id!")
    finally:
        logging.getLogger("gmg_portal").removeHandler(handler)
    assert response["X-Request-ID"] == "req-from-proxy-42"
    lines = [json.loads(line) for line in stream_records]
    assert all("\n" not in line for line in stream_records)
    request_line = next(line for line in lines if line["logger"] == "gmg_portal.requests")
    assert request_line["request_id"] == "req-from-proxy-42"
    assert (request_line["method"], request_line["path"], request_line["status"]) == ("GET", "/accounts/login/", 200)
    failed = next(line for line in lines if line.get("security_event") == "sign-in failed")
    assert failed["person"] == "nobody"
    assert re.fullmatch(r"[0-9a-f]{32}", failed["request_id"])  # an unsafe id from outside is replaced
