"""The two commands at the top of the README do what it says on a machine like this one."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra) -> dict:
    """The environment of a new user: none of the test run's Django variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "REDIS_"))}
    return {**env, **extra}


def test_the_readme_starts_with_the_run_and_test_commands():
    first_block = (ROOT / "README.md").read_text().split("```")[1]
    assert re.search(r"^make run\b", first_block, re.M)
    assert re.search(r"^make test\b", first_block, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


MAIN_PAGES = (
    "/dashboard/",
    "/dashboard/?on=2015-03-01",
    "/meetings/",
    "/meetings/action-points/",
    "/workplans/",
    "/workplans/rounds/",
    "/chairs/",
    "/archive/",
    "/audit/",
    "/search/?q=migration",
)


def signed_in_pages(port: int) -> list[tuple[str, str]]:
    """Sign in as the demo support account, as a browser does, and read each main page's first heading."""
    import http.cookiejar

    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "support", "password": "gmg-demo-2026"})
    request = urllib.request.Request(f"{base}/accounts/login/", data=data.encode(), headers={"Origin": base})
    with opener.open(request, timeout=30) as response:
        assert not response.url.endswith("/accounts/login/"), "the demo support account could not sign in"
    pages = []
    for path in MAIN_PAGES:
        with opener.open(f"{base}{path}", timeout=60) as response:
            assert response.status == 200, path
            found = re.search(r"<h1[^>]*>\s*([^<]+)", response.read().decode())
            pages.append((path, found.group(1).strip() if found else ""))
    return pages


def test_make_run_serves_the_portal_with_the_gmg_record_and_demo_accounts(tmp_path):
    port = free_port()
    db = tmp_path / "gmg.sqlite3"
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}", f"RUN_DB={db}"],
        cwd=ROOT,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = []
    try:
        deadline = time.monotonic() + 240
        page = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(1)
        assert page is not None, "the portal did not answer"
        assert "Sign in" in page
        # Signed in as the support team, the main pages answer from the embedded database (not only PostgreSQL).
        for path, heading in signed_in_pages(port):
            assert heading, f"{path} showed no heading"
    finally:
        with contextlib.suppress(ProcessLookupError):  # `make run` stopped by itself: its output says why
            os.killpg(process.pid, signal.SIGTERM)
        try:
            out, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, _ = process.communicate()
        output.append(out)
    printed = "".join(output)
    assert "GMG record loaded" in printed
    assert f"Open http://127.0.0.1:{port}/ and sign in" in printed and "127.0.0.1:8000" not in printed
    for username in ("support", "focal-unodc", "principal-wb", "viewer"):
        assert username in printed
    # The embedded database holds the record.
    import sqlite3

    with sqlite3.connect(db) as connection:
        (agencies,) = connection.execute("select count(*) from groups_agency").fetchone()
        (activities,) = connection.execute("select count(*) from workplans_activity").fetchone()
    assert agencies >= 16
    assert activities > 50


def run_pytest(database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "tests/test_readme_commands.py::test_the_readme_starts_with_the_run_and_test_commands",
        ],
        cwd=ROOT,
        env=clean_env(DATABASE_URL=database_url, DJANGO_SECRET_KEY="t"),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_suite_refuses_to_run_when_postgresql_is_unreachable():
    result = run_pytest(f"postgres://postgres@127.0.0.1:{free_port()}/gmg_portal")
    assert result.returncode == 1
    assert "PostgreSQL is unreachable" in result.stdout + result.stderr


def test_the_suite_refuses_to_run_on_sqlite(tmp_path):
    result = run_pytest(f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 1
    assert "The tests run on PostgreSQL" in result.stdout + result.stderr


@pytest.mark.parametrize("target", ["test", "run"])
def test_make_targets_find_a_recent_python_and_install_the_pinned_dependencies(target):
    plan = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "requirements.lock" in plan or ".venv" in plan
    found = subprocess.run([str(ROOT / "scripts" / "find_python.sh")], capture_output=True, text=True, timeout=60)
    assert found.returncode == 0
    version = subprocess.run(
        [found.stdout.strip(), "-c", "import sys; print(sys.version_info[:2] >= (3, 12))"],
        capture_output=True,
        text=True,
    ).stdout
    assert version.strip() == "True"
