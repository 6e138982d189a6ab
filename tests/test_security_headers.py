"""Security headers on every page, and production's cookie and HTTPS settings."""

import json

import pytest
from django.urls import reverse

from tests.test_settings import GOOD_KEY, run_manage

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.kept_pages
def test_signed_in_pages_are_not_stored_by_the_browser(clinician_client, patient):
    for url in (reverse("home"), patient.get_absolute_url()):
        for _ in ("rendered", "kept"):
            cache_control = clinician_client.get(url)["Cache-Control"]
            assert "no-store" in cache_control and "private" in cache_control


def test_the_session_cookie_is_http_only(client, clinician):
    response = client.post(
        reverse("login"), {"username": "physio", "password": "a-Strong-test-passw0rd"}
    )
    assert response.cookies["sessionid"]["httponly"] is True


def test_an_unknown_page_shows_no_stack_trace_or_identifier(client, clinician_client):
    response = clinician_client.get("/patients/00000000-0000-0000-0000-000000000000/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Traceback" not in page and "00000000-0000" not in page


def test_production_uses_secure_cookies_hsts_and_https_redirect():
    result = run_manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.DEBUG]))",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="legwork.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True, 31536000, False]
