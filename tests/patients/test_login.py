"""Logging in, throttling after repeated failures, passwords and sessions."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

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


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


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
