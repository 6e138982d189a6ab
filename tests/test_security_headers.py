"""Security headers on every page, and production's cookie and HTTPS settings."""

import json

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.urls import reverse

from tests.test_settings import GOOD_KEY, run_manage

pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(
        part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_pages_forbid_inline_scripts_framing_and_device_features(client, clinician_client):
    assert_security_headers(client.get(reverse("login")))
    assert_security_headers(clinician_client.get(reverse("home")))


def test_every_browser_feature_in_the_policy_is_refused(client):
    header = client.get(reverse("login"))["Permissions-Policy"]
    assert header == ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)


def test_the_error_page_when_the_database_is_down_carries_the_same_headers(
    clinician_client, monkeypatch
):
    """The session is read in a middleware, before any view: the page that failure turns into
    is the one a visitor sees when the database is down, and must be protected like the rest."""

    def database_down(self):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(SessionStore, "load", database_down)
    clinician_client.raise_request_exception = False
    response = clinician_client.get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert_security_headers(response)


def test_the_refusal_of_an_oversized_request_carries_the_same_headers(client):
    response = client.post(reverse("login"), b"", "text/plain", CONTENT_LENGTH=str(400 * 2**20))
    assert response.status_code == 413
    assert_security_headers(response)


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
