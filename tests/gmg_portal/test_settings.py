import subprocess
import sys

import pytest


def run_check(code="import django; django.setup()", **env):
    """Start a fresh interpreter on the settings with the given environment; return (exit code, stderr)."""
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "gmg_portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stderr


@pytest.mark.parametrize("server", ["gmg_portal.wsgi", "gmg_portal.asgi"])
def test_production_refuses_to_serve_without_a_secret_key(server):
    code, err = run_check(f"import {server}", DJANGO_DEBUG="false")
    assert code != 0
    assert "DJANGO_SECRET_KEY is not set" in err


def test_commands_that_sign_nothing_run_without_a_secret_key():
    code, err = run_check(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('makemigrations', check=True, dry_run=True, verbosity=0)",
        DJANGO_DEBUG="false",
        DATABASE_URL="sqlite:////tmp/gmg-settings-check.sqlite3",
    )
    assert code == 0, err


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be true or false"),
        ({"DJANGO_DEBUG": "true", "GMG_TIME_ZONE": "Mars/Olympus"}, "GMG_TIME_ZONE 'Mars/Olympus' is not a known"),
        ({"DJANGO_DEBUG": "true", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole number"),
        ({"DJANGO_DEBUG": "true", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL is not a database address"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(env, message):
    code, err = run_check(**env)
    assert code != 0
    assert message in err


def test_debug_with_defaults_starts_on_the_embedded_database(tmp_path):
    code, err = run_check(DJANGO_DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert code == 0, err


def test_without_a_broker_tasks_run_in_process():
    from django.conf import settings

    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.CELERY_BROKER_URL)
