"""Two app servers, one PostgreSQL, one Redis: they agree, and they share kept pages.

Two gunicorn servers run as in production (DEBUG off, the shared cache in LEGWORK_CACHE_URL) on a
fresh database. A clinician signed in once (the session is in the database, so valid on both):

- a page kept by server A is served by server B without rendering (`X-Legwork-Kept: hit`);
- a change saved through A is shown by B at once, though B had the page kept.

Run by its own step in .ci/run (`-m twoservers`), not by `make test`. Skipped when PostgreSQL,
Redis or gunicorn are missing, unless LEGWORK_TWOSERVERS_REQUIRED=1 (CI sets it): then it fails.
"""

import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
import redis

pytestmark = pytest.mark.twoservers

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = Path(sys.executable).with_name("gunicorn")
POSTGRES = os.environ.get("LEGWORK_TWOSERVERS_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "legwork_twoservers"
REDIS_URL = os.environ.get("LEGWORK_TWOSERVERS_REDIS_URL", "redis://127.0.0.1:6379/4")
PREFIX = f"legwork-twoservers-{secrets.token_hex(4)}"  # its keys only, cleared at the end
PASSWORD = "two-servers-Passw0rd"

# The data: one clinic, its clinician, one patient; prints what the test needs.
SETUP = f"""
import json
from datetime import date
from django.urls import reverse
from patients.models import Aetiology, Clinic, Patient, Role, Sex, User
clinic = Clinic.objects.create(name="Two Servers", slug="two", time_zone="Africa/Lagos")
physio = User.objects.create_user(
    "physio", password={PASSWORD!r}, clinic=clinic, role=Role.CLINICIAN)
patient = Patient.objects.create(
    clinic=clinic, study_id="TWO-0001", given_name="Amina", family_name="Bello",
    date_of_birth=date(1970, 1, 1), sex=Sex.FEMALE, aetiology=Aetiology.HIV,
    research_consent=True, consent_date=date(2026, 1, 10), responsible_clinician=physio)
print(json.dumps({{
    "page": patient.get_absolute_url(),
    "withdraw": reverse("patients:withdraw", args=[patient.public_id]),
}}))
"""


def _missing() -> str | None:
    if not GUNICORN.exists():
        return f"no gunicorn at {GUNICORN}"
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2).close()
    except psycopg.Error:
        return f"no PostgreSQL at {POSTGRES}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return f"no Redis at {REDIS_URL}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    missing = _missing()
    if missing:
        if os.environ.get("LEGWORK_TWOSERVERS_REQUIRED") == "1":
            pytest.fail(f"The two-server test is required here, but: {missing}")
        pytest.skip(missing)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LEGWORK_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"{POSTGRES}/{DB_NAME}",
        "LEGWORK_CACHE_URL": REDIS_URL,
        "LEGWORK_CACHE_PREFIX": PREFIX,
    }
    yield environment
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{PREFIX}:*"):
        client.delete(key)


def _manage(env, *args) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _start(env, port, log):
    return subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
        [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait_until_up(base, server, log_path):
    for _ in range(150):
        if server.poll() is not None:
            pytest.fail(f"{base} stopped:\n{log_path.read_text()}")
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).close()  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{base} did not answer in 30 s:\n{log_path.read_text()}")


class Browser:
    """One browser: its cookies are sent to both servers (cookies do not depend on the port)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url):
        with self.opener.open(url, timeout=20) as response:
            return response.headers.get("X-Legwork-Kept"), response.read().decode()

    def post_form(self, url, fields):
        """The form's page first, for its token, as a person would."""
        page = self.get(url)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        with self.opener.open(url, data=data, timeout=20) as response:
            return response.read().decode()


def test_two_servers_share_kept_pages_and_show_a_change_made_on_the_other(env, tmp_path):
    _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    urls = json.loads(_manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    servers = []
    try:
        bases = []
        for name in ("a", "b"):
            port, log_path = _free_port(), tmp_path / f"{name}.log"
            servers.append((_start(env, port, log_path.open("w")), log_path))
            bases.append(f"http://127.0.0.1:{port}")
        for base, (server, log_path) in zip(bases, servers, strict=True):
            _wait_until_up(base, server, log_path)
        a, b = bases
        browser = Browser()
        home = browser.post_form(
            f"{a}/accounts/login/", {"username": "physio", "password": PASSWORD}
        )
        assert "physio" in home  # signed in, on A; the session is in the database

        # (b) Kept by A, served by B without rendering.
        assert browser.get(a + urls["page"])[0] == "miss"
        kept, page = browser.get(b + urls["page"])
        assert kept == "hit"
        assert "TWO-0001" in page and "Withdrawn" not in page

        # (a) Saved through A, shown by B at once.
        two_days_ago = (date.today() - timedelta(days=2)).isoformat()  # today in any zone
        browser.post_form(
            a + urls["withdraw"], {"reason": "Moved to another city", "withdrawn_on": two_days_ago}
        )
        kept, page = browser.get(b + urls["page"])
        assert kept == "miss"
        assert "Moved to another city" in page
        assert browser.get(a + urls["page"])[0] == "hit"  # B's rendering, kept for A
    finally:
        for server, _ in servers:
            server.terminate()
        for server, _ in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
