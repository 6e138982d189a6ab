"""Patients' login names carry their clinic ("KAN-0042@kano"): study IDs are unique only within a
clinic, so no clinic can take, block or learn of another clinic's patient logins (issue 14,
item 4)."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from patients import services
from patients.models import User
from tests.factories import ClinicAdminFactory, ClinicianFactory, PatientFactory, PatientUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "calf-raises-daily"
NEW_STAFF = {
    "first_name": "Ngozi",
    "last_name": "Eze",
    "email": "ngozi@example.org",
    "role": "clinician",
    "password1": "quadriceps-bench-42",
    "password2": "quadriceps-bench-42",
}


@pytest.fixture(autouse=True)
def _no_wrong_codes_counted_yet():
    caches["throttles"].clear()


def logged_in_as(client, username, password=PASSWORD):
    response = client.post(reverse("login"), {"username": username, "password": password})
    return (
        User.objects.get(pk=client.session["_auth_user_id"])
        if response.status_code == 302
        else None
    )


def activated(patient, *, by, typed_id=None):
    """The patient activates in their own browser, typing what their sheet says."""
    _, _, code = services.portal_access_issue(patient=patient, by=by)
    response = Client().post(
        reverse("activate"),
        {
            "study_id": typed_id or patient.study_id,
            "code": code,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return User.objects.get(patient=patient)


def test_the_same_study_id_in_two_clinics_gets_two_logins_and_both_log_in(
    clinic, clinician, other_clinic, other_clinician
):
    ours = PatientFactory(clinic=clinic, study_id="KAN-0012")
    theirs = PatientFactory(clinic=other_clinic, study_id="KAN-0012")
    our_login = activated(ours, by=clinician)
    their_login = activated(theirs, by=other_clinician, typed_id="kan-0012@OTHER")
    assert (our_login.username, their_login.username) == ("KAN-0012@kano", "KAN-0012@other")
    assert logged_in_as(Client(), "kan-0012@kano") == our_login
    assert logged_in_as(Client(), "KAN-0012@Other") == their_login
    # A bare study ID means neither of them: it would have to choose a clinic.
    assert logged_in_as(Client(), "KAN-0012") is None


def test_the_sheet_and_the_activation_tell_the_patient_the_login_name(clinician_client, patient):
    issued = clinician_client.post(
        reverse("patients:portal_access_issue", args=[patient.public_id])
    )
    sheet = clinician_client.get(issued["Location"]).content.decode()
    assert f"{patient.study_id}@kano" in sheet
    status = clinician_client.get(reverse("patients:portal_access", args=[patient.public_id]))
    assert f"{patient.study_id}@kano" in status.content.decode()


def _issue_answer(client, patient):
    response = client.post(
        reverse("patients:portal_access_issue", args=[patient.public_id]), follow=True
    )
    page = response.content.decode()
    return response.redirect_chain[-1][0].rsplit("/", 2)[-2], "taken" in page, "held" in page


def test_another_clinic_cannot_learn_or_block_a_patients_login_by_issuing_access(
    clinic, clinician, other_clinic, other_clinician
):
    theirs = Client()
    theirs.force_login(other_clinician)
    # Clinic A's KAN-0012 has a login; KAN-0013 has none. Clinic B registers both study IDs.
    activated(PatientFactory(clinic=clinic, study_id="KAN-0012"), by=clinician)
    with_login = PatientFactory(clinic=other_clinic, study_id="KAN-0012")
    without = PatientFactory(clinic=other_clinic, study_id="KAN-0013")
    assert (
        _issue_answer(theirs, with_login)
        == _issue_answer(theirs, without)
        == (
            "code",
            False,
            False,
        )
    )
    assert activated(with_login, by=other_clinician).username == "KAN-0012@other"


def test_staff_cannot_take_or_learn_of_a_patients_login_name(
    admin_client_, other_clinic, other_clinician
):
    activated(PatientFactory(clinic=other_clinic, study_id="KAN-0012"), by=other_clinician)
    answers = []
    for name in ("KAN-0012@other", "KAN-0013@other", "kan-0012@OTHER"):
        response = admin_client_.post(reverse("staff:add"), NEW_STAFF | {"username": name})
        answers.append(response.context["form"].errors["username"])
    assert answers[0] == answers[1] == answers[2]
    assert "kept for patients' logins" in answers[0][0]
    assert not User.objects.filter(role="clinician", username__icontains="@other").exists()
    # A bare study ID is no patient's login name now: it is simply free.
    response = admin_client_.post(reverse("staff:add"), NEW_STAFF | {"username": "KAN-0012"})
    assert response.status_code == 302
    # E-mail addresses stay usable as usernames.
    response = admin_client_.post(
        reverse("staff:add"), NEW_STAFF | {"username": "ngozi@clinic.example.org"}
    )
    assert response.status_code == 302


def test_an_existing_staff_username_of_that_shape_can_still_be_edited(clinic, clinic_admin):
    # Made before the rule (the factory skips clean): saving it unchanged is not refused.
    member = ClinicianFactory(clinic=clinic, username="amaka@kano", email="amaka@example.org")
    services.staff_update(member=member, by=clinic_admin, first_name="Amaka")
    member.refresh_from_db()
    assert member.first_name == "Amaka"


def test_a_migrated_patient_still_logs_in_with_their_bare_study_id(clinic, other_clinic):
    login = PatientUserFactory(patient=PatientFactory(clinic=clinic, study_id="KAN-0042"))
    User.objects.filter(pk=login.pk).update(old_login_name="KAN-0042")
    assert logged_in_as(Client(), "kan-0042", "a-Strong-test-passw0rd") == login
    # A new login with the same study ID elsewhere gets no bare name, and does not take this one.
    other = PatientUserFactory(patient=PatientFactory(clinic=other_clinic, study_id="KAN-0042"))
    assert logged_in_as(Client(), "KAN-0042", "a-Strong-test-passw0rd") == login
    assert logged_in_as(Client(), "KAN-0042@other", "a-Strong-test-passw0rd") == other


def test_a_staff_member_taking_a_migrated_patients_bare_name_does_not_lock_the_patient_out(
    admin_client_, other_clinic
):
    login = PatientUserFactory(patient=PatientFactory(clinic=other_clinic, study_id="KAN-0042"))
    User.objects.filter(pk=login.pk).update(old_login_name="KAN-0042")
    response = admin_client_.post(reverse("staff:add"), NEW_STAFF | {"username": "KAN-0042"})
    assert response.status_code == 302  # the same answer as for any free name
    assert logged_in_as(Client(), "KAN-0042", "a-Strong-test-passw0rd") == login
    staff = User.objects.get(username="KAN-0042")
    assert logged_in_as(Client(), "KAN-0042", "quadriceps-bench-42") == staff


def test_staff_usernames_elsewhere_are_not_patients(client, other_clinic):
    ClinicAdminFactory(clinic=other_clinic, username="lead2")
    assert logged_in_as(client, "LEAD2", "a-Strong-test-passw0rd") is None


def _password_checks_for_a_wrong_password(monkeypatch, username) -> int:
    from django.contrib.auth.hashers import MD5PasswordHasher

    # Every hash computed, for a check (verify hashes through encode) or a dummy set_password.
    calls = []
    original = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher,
        "encode",
        lambda self, *args, **kwargs: (calls.append(1), original(self, *args, **kwargs))[1],
    )
    assert logged_in_as(Client(), username, "wrong-password-1") is None
    monkeypatch.undo()
    return len(calls)


def test_a_wrong_password_takes_as_long_whether_or_not_a_patient_had_that_bare_name(
    monkeypatch, other_clinic, clinic
):
    ClinicianFactory(clinic=clinic, username="KAN-0042")
    ClinicianFactory(clinic=clinic, username="KAN-0043")
    login = PatientUserFactory(patient=PatientFactory(clinic=other_clinic, study_id="KAN-0042"))
    User.objects.filter(pk=login.pk).update(old_login_name="KAN-0042")
    with_old_name = _password_checks_for_a_wrong_password(monkeypatch, "KAN-0042")
    without = _password_checks_for_a_wrong_password(monkeypatch, "KAN-0043")
    assert with_old_name == without == 2
