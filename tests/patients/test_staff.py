"""A clinic admin adds, edits, deactivates and reactivates staff; never deletes them."""

import pytest
from django.urls import reverse

from patients.models import Role, User
from tests.factories import ClinicAdminFactory

pytestmark = pytest.mark.django_db

NEW_STAFF = {
    "username": "newphysio",
    "first_name": "Ngozi",
    "last_name": "Eze",
    "email": "ngozi@example.org",
    "role": "clinician",
    "password1": "quadriceps-bench-42",
    "password2": "quadriceps-bench-42",
}


def test_an_admin_adds_a_clinician_to_their_clinic(admin_client_, clinic):
    response = admin_client_.post(reverse("staff:add"), NEW_STAFF)
    assert response.status_code == 302
    member = User.objects.get(username="newphysio")
    assert member.clinic == clinic
    assert member.role == Role.CLINICIAN
    assert member.check_password("quadriceps-bench-42")


def test_a_weak_password_is_refused_at_the_field(admin_client_):
    data = NEW_STAFF | {"password1": "12345678", "password2": "12345678"}
    response = admin_client_.post(reverse("staff:add"), data)
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(username="newphysio").exists()


def test_two_different_passwords_are_refused(admin_client_):
    response = admin_client_.post(reverse("staff:add"), NEW_STAFF | {"password2": "other-pass-99"})
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="newphysio").exists()


def test_a_taken_username_is_refused(admin_client_, clinician):
    response = admin_client_.post(reverse("staff:add"), NEW_STAFF | {"username": "physio"})
    assert "username" in response.context["form"].errors


def test_an_admin_cannot_make_a_patient_role_through_the_staff_form(admin_client_):
    response = admin_client_.post(reverse("staff:add"), NEW_STAFF | {"role": "patient"})
    assert "role" in response.context["form"].errors


def test_deactivating_keeps_the_account_and_stops_its_login(admin_client_, client, clinician):
    url = reverse("staff:set_active", args=[clinician.public_id])
    admin_client_.post(url, {"active": "0"})
    clinician.refresh_from_db()
    assert clinician.is_active is False
    assert User.objects.filter(pk=clinician.pk).exists()

    admin_client_.post(url, {"active": "1"})
    clinician.refresh_from_db()
    assert clinician.is_active is True


def test_an_admin_cannot_deactivate_themselves(admin_client_, clinic_admin):
    response = admin_client_.post(
        reverse("staff:set_active", args=[clinic_admin.public_id]), {"active": "0"}, follow=True
    )
    assert "cannot deactivate your own account" in response.content.decode()
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


def test_the_staff_page_offers_deactivate_for_colleagues_not_for_oneself(
    admin_client_, clinic_admin, clinician
):
    page = admin_client_.get(reverse("staff:list")).content.decode()
    assert reverse("staff:deactivate", args=[clinician.public_id]) in page
    assert reverse("staff:deactivate", args=[clinic_admin.public_id]) not in page


def test_the_last_admin_cannot_be_made_a_clinician(admin_client_, clinic_admin):
    data = {
        "username": clinic_admin.username,
        "first_name": "A",
        "last_name": "B",
        "email": "",
        "role": "clinician",
    }
    response = admin_client_.post(reverse("staff:edit", args=[clinic_admin.public_id]), data)
    assert "at least one active admin" in response.content.decode()
    clinic_admin.refresh_from_db()
    assert clinic_admin.role == Role.ADMIN


def test_an_admin_edits_a_clinicians_role_and_it_is_kept_in_history(
    admin_client_, clinician, clinic
):
    data = {
        "username": clinician.username,
        "first_name": clinician.first_name,
        "last_name": clinician.last_name,
        "email": clinician.email,
        "role": "admin",
    }
    admin_client_.post(reverse("staff:edit", args=[clinician.public_id]), data)
    clinician.refresh_from_db()
    assert clinician.role == Role.ADMIN
    newest, before = clinician.history.all()[:2]
    assert (before.role, newest.role) == (Role.CLINICIAN, Role.ADMIN)
    assert newest.history_user.username == "lead"


def test_a_deactivated_clinician_cannot_log_in(client, clinician):
    clinician.is_active = False
    clinician.save()
    response = client.post(
        reverse("login"), {"username": "physio", "password": "a-Strong-test-passw0rd"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_admin_cannot_reach_another_clinics_staff(admin_client_, other_clinic):
    stranger = ClinicAdminFactory(clinic=other_clinic)
    response = admin_client_.post(
        reverse("staff:set_active", args=[stranger.public_id]), {"active": "0"}
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_the_service_itself_keeps_an_active_admin_whatever_the_door(clinic_admin):
    from django.core.exceptions import ValidationError

    from patients import services

    with pytest.raises(ValidationError, match="at least one active admin"):
        services.staff_update(member=clinic_admin, by=None, role=Role.CLINICIAN)
    with pytest.raises(ValidationError, match="at least one active admin"):
        services.staff_set_active(member=clinic_admin, by=None, active=False)
    clinic_admin.refresh_from_db()
    assert (clinic_admin.role, clinic_admin.is_active) == (Role.ADMIN, True)
