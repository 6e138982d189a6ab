"""Saving an edit form without touching it changes nothing and writes no history: every select
shows the stored value, so the browser sends it back."""

import pytest
from django.urls import reverse

from patients.models import Patient, Role, User
from tests.factories import ClinicianFactory, PatientFactory
from tests.patients.form_html import form_values

pytestmark = pytest.mark.django_db


def save_unchanged(client, url):
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_values(page.content.decode()), follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("has_diabetes", [True, False, None])
def test_saving_a_patient_unchanged_keeps_their_diabetes_and_writes_no_history(
    clinician_client, clinic, has_diabetes
):
    patient = PatientFactory(clinic=clinic, has_diabetes=has_diabetes)
    before = patient.history.count()
    page = save_unchanged(clinician_client, reverse("patients:edit", args=[patient.public_id]))
    assert "Nothing was changed." in page
    patient.refresh_from_db()
    assert patient.has_diabetes is has_diabetes
    assert patient.history.count() == before


def test_saving_unchanged_keeps_a_responsible_clinician_who_has_been_deactivated(
    clinician_client, clinic
):
    gone = ClinicianFactory(clinic=clinic, is_active=False)
    patient = PatientFactory(clinic=clinic, responsible_clinician=gone)
    page = save_unchanged(clinician_client, reverse("patients:edit", args=[patient.public_id]))
    assert "Nothing was changed." in page
    patient.refresh_from_db()
    assert patient.responsible_clinician == gone


def test_a_deactivated_clinician_is_not_offered_for_other_patients(clinician_client, clinic):
    gone = ClinicianFactory(clinic=clinic, is_active=False)
    patient = PatientFactory(clinic=clinic)
    page = clinician_client.get(reverse("patients:edit", args=[patient.public_id]))
    assert gone not in page.context["form"].fields["responsible_clinician"].queryset


def test_saving_unchanged_keeps_a_language_no_longer_offered(clinician_client, clinic):
    patient = PatientFactory(clinic=clinic, language="ha")
    page = save_unchanged(clinician_client, reverse("patients:edit", args=[patient.public_id]))
    assert "Nothing was changed." in page
    assert Patient.objects.get(pk=patient.pk).language == "ha"


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.ADMIN])
def test_saving_a_staff_member_unchanged_says_so_and_writes_no_history(
    admin_client_, clinic, clinic_admin, role
):
    member = clinic_admin if role == Role.ADMIN else ClinicianFactory(clinic=clinic)
    before = member.history.count()
    page = save_unchanged(admin_client_, reverse("staff:edit", args=[member.public_id]))
    assert "Nothing was changed." in page
    member = User.objects.get(pk=member.pk)
    assert member.role == role
    assert member.history.count() == before


def test_the_add_staff_form_starts_with_the_clinician_role(admin_client_):
    values = form_values(admin_client_.get(reverse("staff:add")).content.decode())
    assert values["role"] == [Role.CLINICIAN]


@pytest.mark.parametrize("stored", ["Lives alone.\nPrefers mornings.", "Lives alone.\r\nMornings."])
def test_notes_posted_back_with_the_browsers_line_breaks_are_unchanged(
    clinician_client, clinic, stored
):
    patient = PatientFactory(clinic=clinic, notes=stored)
    before = patient.history.count()
    url = reverse("patients:edit", args=[patient.public_id])
    values = form_values(clinician_client.get(url).content.decode())
    values["notes"] = [values["notes"][0].replace("\r\n", "\n").replace("\n", "\r\n")]
    response = clinician_client.post(url, values, follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert patient.history.count() == before


def test_new_notes_are_stored_with_plain_line_breaks(clinician_client, patient):
    url = reverse("patients:edit", args=[patient.public_id])
    values = form_values(clinician_client.get(url).content.decode())
    values["notes"] = ["First line\r\nSecond line"]
    clinician_client.post(url, values)
    patient.refresh_from_db()
    assert patient.notes == "First line\nSecond line"
