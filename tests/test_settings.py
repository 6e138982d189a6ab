"""Production settings: refuse a missing secret key, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "3vX9q-Lr7Tz2bWm8Yp4Nc6Hd1Fs5Gj0Ku" + "x" * 10


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = run_manage(
        "check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="django-insecure-" + "a" * 60
    )
    assert result.returncode != 0


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="legwork.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_needs_no_variable_at_all():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr


def test_debug_with_a_real_host_name_is_refused_as_a_forgotten_production_setting():
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="legwork.example.org")
    assert result.returncode != 0
    assert "set DJANGO_DEBUG=false in production" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_runs_without_its_jit_compiler():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def _setting(name, **env):
    result = run_manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_behind_the_proxy_one_trusted_proxy_is_assumed_and_none_without():
    assert _setting("LEGWORK_TRUSTED_PROXY_COUNT") == "0"
    assert _setting("LEGWORK_TRUSTED_PROXY_COUNT", DJANGO_BEHIND_TLS_PROXY="true") == "1"
    two = _setting(
        "LEGWORK_TRUSTED_PROXY_COUNT",
        DJANGO_BEHIND_TLS_PROXY="true",
        LEGWORK_TRUSTED_PROXY_COUNT="2",
    )
    assert two == "2"


def test_a_trusted_proxy_count_without_the_proxy_setting_is_refused():
    result = run_manage("check", LEGWORK_TRUSTED_PROXY_COUNT="1")
    assert result.returncode != 0
    assert "set DJANGO_BEHIND_TLS_PROXY=true with it" in result.stderr
