"""Deactivating asks first and ends the member's sessions; a clinic admin can unlock a colleague
locked out by wrong passwords and send them a password reset, and both are recorded."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients import services
from patients.models import StaffAccountAction, StaffAccountEvent
from tests.factories import PASSWORD, ClinicianFactory, PatientFactory, PatientUserFactory

pytestmark = pytest.mark.django_db


def fail_until_locked(client, username):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong"})
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_the_lockout_page_says_how_long_in_words(client, clinician):
    page = fail_until_locked(client, "physio").content.decode()
    assert "locked for 15 minutes" in page
    assert "PT15M" not in page


def test_deactivating_asks_first_and_changes_nothing_until_confirmed(admin_client_, clinician):
    list_page = admin_client_.get(reverse("staff:list")).content.decode()
    confirm_url = reverse("staff:deactivate", args=[clinician.public_id])
    assert confirm_url in list_page
    page = admin_client_.get(confirm_url).content.decode()
    assert "logged out now" in page
    assert reverse("staff:set_active", args=[clinician.public_id]) in page
    clinician.refresh_from_db()
    assert clinician.is_active


def test_deactivating_ends_open_sessions_and_reactivating_does_not_revive_them(
    admin_client_, clinician
):
    their_browser = Client()
    their_browser.force_login(clinician)
    assert their_browser.get(reverse("patients:list")).status_code == 200
    url = reverse("staff:set_active", args=[clinician.public_id])
    admin_client_.post(url, {"active": "0"})
    admin_client_.post(url, {"active": "1"})
    response = their_browser.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # They log in again with their password, as before.
    answer = their_browser.post(
        reverse("login"), {"username": clinician.username, "password": PASSWORD}
    )
    assert answer.status_code == 302
    assert their_browser.get(reverse("patients:list")).status_code == 200


def test_withdrawing_a_patient_ends_their_portal_session(patient_user, clinician):
    browser = Client()
    browser.force_login(patient_user)
    assert browser.get(reverse("portal:this_week")).status_code == 200
    services.patient_withdraw(
        patient=patient_user.patient, by=clinician, reason="Moved away", on=timezone.localdate()
    )
    patient_user.refresh_from_db()
    patient_user.is_active = True  # even if the login were opened again
    patient_user.save()
    assert browser.get(reverse("portal:this_week"))["Location"].startswith(reverse("login"))


def test_an_admin_unlocks_a_locked_out_colleague_and_it_is_recorded(
    admin_client_, client, clinician, clinic_admin
):
    locked = Client()
    assert fail_until_locked(locked, "physio").status_code == 429
    response = admin_client_.post(reverse("staff:unlock", args=[clinician.public_id]), follow=True)
    assert "can log in again" in response.content.decode()
    answer = locked.post(reverse("login"), {"username": "physio", "password": PASSWORD})
    assert answer.status_code == 302
    event = StaffAccountEvent.objects.get()
    assert (event.member, event.by, event.action) == (
        clinician,
        clinic_admin,
        StaffAccountAction.UNLOCKED,
    )
    assert "Log-in lock cleared" in admin_client_.get(reverse("staff:list")).content.decode()


def test_an_admin_sends_a_password_reset_that_works_and_is_recorded(
    admin_client_, clinician, clinic_admin
):
    response = admin_client_.post(
        reverse("staff:password_reset", args=[clinician.public_id]), follow=True
    )
    assert f"sent to {clinician.email}" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [clinician.email]
    path = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)
    reset_page = Client().get(path, follow=True)
    assert reset_page.status_code == 200
    assert "new_password1" in reset_page.context["form"].fields
    event = StaffAccountEvent.objects.get()
    assert (event.member, event.by, event.action) == (
        clinician,
        clinic_admin,
        StaffAccountAction.PASSWORD_RESET_SENT,
    )
    assert "Password reset e-mail sent" in admin_client_.get(reverse("staff:list")).content.decode()


def test_a_password_reset_needs_an_e_mail_address(admin_client_, clinic):
    member = ClinicianFactory(clinic=clinic, email="")
    response = admin_client_.post(
        reverse("staff:password_reset", args=[member.public_id]), follow=True
    )
    assert "has no e-mail address" in response.content.decode()
    assert not mail.outbox
    assert not StaffAccountEvent.objects.exists()


@pytest.mark.parametrize("name", ["staff:unlock", "staff:password_reset"])
def test_account_help_is_post_only_and_for_the_admins_own_clinic(
    admin_client_, other_clinician, clinician, name
):
    assert admin_client_.get(reverse(name, args=[clinician.public_id])).status_code == 405
    assert admin_client_.post(reverse(name, args=[other_clinician.public_id])).status_code == 404
    assert not mail.outbox
    assert not StaffAccountEvent.objects.exists()


def test_a_patient_is_not_staff_to_unlock(admin_client_, clinic):
    patient = PatientFactory(clinic=clinic)
    login = PatientUserFactory(patient=patient)
    assert admin_client_.post(reverse("staff:unlock", args=[login.public_id])).status_code == 404
