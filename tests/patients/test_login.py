"""Logging in, throttling after repeated failures, passwords and sessions."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from patients import middleware
from patients.services import staff_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_clinician_logs_in_and_lands_on_their_home_page(client, clinician):
    response = client.post(reverse("login"), {"username": "physio", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(client, clinician):
    response = client.post(reverse("login"), {"username": "physio", "password": "wrong"})
    assert "did not match" in response.content.decode()


def test_repeated_failures_lock_the_login_with_a_clear_message(client, clinician):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "physio", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "physio", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_absurdly_long_username_is_a_failed_login_counted_under_a_name_that_fits(client):
    response = client.post(reverse("login"), {"username": "x" * 10_000, "password": "wrong"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == "X" * 150


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_passwords_are_hashed_with_argon2(settings, clinic):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    member = staff_create(
        clinic=clinic, by=None, username="new", password="tibialis-anterior-7", role="clinician"
    )
    assert identify_hasher(member.password).algorithm == "argon2"


def _session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_using_the_app_keeps_the_session_alive_writing_it_at_most_once_a_minute(
    client, clinician, monkeypatch
):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    client.force_login(clinician)
    first = _session_expiry(client)
    client.get(reverse("home"))
    client.get(reverse("home"))
    assert _session_expiry(client) == first  # no write for pages a few seconds after it

    later = time.time() + settings.SESSION_REFRESH_SECONDS + 1
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    client.get(reverse("home"))
    assert _session_expiry(client) > first


def test_a_session_idle_past_the_limit_has_to_log_in_again(client, clinician):
    client.force_login(clinician)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_signed_in_user_and_their_clinic_are_read_in_one_query(
    client, clinician, django_assert_num_queries
):
    client.force_login(clinician)
    request = RequestFactory().get("/")
    request.session = client.session
    with django_assert_num_queries(2):  # the session, then the user with clinic and patient
        user = get_user(request)
        assert user.clinic.time_zone
        assert user.patient is None


def test_a_password_reset_sends_a_link_by_email(client, clinician):
    client.post(reverse("password_reset"), {"email": clinician.email})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_a_user_changes_their_password(client, clinician):
    client.force_login(clinician)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "hamstring-curl-2026",
            "new_password2": "hamstring-curl-2026",
        },
    )
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.check_password("hamstring-curl-2026")
