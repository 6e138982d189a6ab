"""Registering and editing a patient: what is accepted, and each refusal, at its field."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def valid_data(**overrides):
    data = {
        "study_id": "kan-0042",
        "given_name": "Amina",
        "family_name": "Bello",
        "date_of_birth": "1980-03-14",
        "sex": "female",
        "phone": "+234 803 000 0000",
        "aetiology": "hiv_dsp",
        "aetiology_other": "",
        "art_start_date": "2010-06-01",
        "has_diabetes": "false",
        "research_consent": "on",
        "consent_date": "2026-10-01",
        "responsible_clinician": "",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def register(client, **overrides):
    return client.post(reverse("patients:register"), valid_data(**overrides))


def test_a_clinician_registers_a_patient_in_their_own_clinic(clinician_client, clinician):
    response = register(clinician_client)
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == patient.get_absolute_url()
    assert patient.clinic == clinician.clinic
    assert patient.study_id == "KAN-0042"  # stored in capitals, as printed on forms
    assert patient.responsible_clinician == clinician
    assert patient.has_diabetes is False


def assert_refused(response, field, text):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert text in " ".join(errors[field])
    assert text in response.content.decode()
    assert not Patient.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(clinician_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = register(clinician_client, date_of_birth=tomorrow.isoformat())
    assert_refused(response, "date_of_birth", "cannot be in the future")


@pytest.mark.parametrize("age", [17, 111])
def test_an_age_outside_18_to_110_is_refused(clinician_client, age):
    today = timezone.localdate()
    born = today.replace(year=today.year - age) - timedelta(days=1 if age == 111 else 0)
    response = register(clinician_client, date_of_birth=born.isoformat())
    assert_refused(response, "date_of_birth", "aged 18 to 110")


@pytest.mark.parametrize("age", [18, 110])
def test_ages_18_and_110_are_accepted(clinician_client, age):
    today = timezone.localdate()
    born = today.replace(year=today.year - age, day=min(today.day, 28))
    if born > today.replace(year=today.year - age):
        born -= timedelta(days=1)
    response = register(clinician_client, date_of_birth=born.isoformat())
    assert response.status_code == 302
    assert Patient.objects.count() == 1


def test_a_study_id_already_used_in_the_clinic_is_refused(clinician_client, clinician):
    PatientFactory(clinic=clinician.clinic, study_id="KAN-0042")
    response = register(clinician_client, study_id="kan-0042 ")
    assert response.status_code == 200
    assert "already used in this clinic" in " ".join(response.context["form"].errors["study_id"])
    assert Patient.objects.count() == 1


def test_the_same_study_id_may_be_used_by_another_clinic(clinician_client, other_clinic):
    PatientFactory(clinic=other_clinic, study_id="KAN-0042")
    assert register(clinician_client).status_code == 302
    assert Patient.objects.count() == 2


def test_a_consent_date_without_consent_is_refused(clinician_client):
    response = register(clinician_client, research_consent=None)
    assert_refused(response, "consent_date", "only be given when the patient consented")


def test_an_art_start_date_before_birth_is_refused(clinician_client):
    response = register(clinician_client, art_start_date="1979-01-01")
    assert_refused(response, "art_start_date", "cannot be before the date of birth")


def test_other_aetiology_must_be_described(clinician_client):
    response = register(clinician_client, aetiology="other")
    assert_refused(response, "aetiology_other", "Describe the aetiology")


def test_a_clinician_of_another_clinic_cannot_be_made_responsible(
    clinician_client, other_clinician
):
    response = register(clinician_client, responsible_clinician=str(other_clinician.pk))
    assert response.status_code == 200
    assert "responsible_clinician" in response.context["form"].errors
    assert not Patient.objects.exists()


def test_required_fields_are_named_at_the_field(clinician_client):
    response = clinician_client.post(reverse("patients:register"), {})
    errors = response.context["form"].errors
    for field in ["study_id", "given_name", "family_name", "date_of_birth", "sex", "aetiology"]:
        assert field in errors
    assert not Patient.objects.exists()


def test_the_database_refuses_a_duplicate_study_id_whatever_the_door(clinic):
    PatientFactory(clinic=clinic, study_id="KAN-0001")
    with pytest.raises(IntegrityError):
        PatientFactory(clinic=clinic, study_id="KAN-0001")


def test_the_database_refuses_a_consent_date_without_consent(clinic):
    with pytest.raises(IntegrityError):
        PatientFactory(clinic=clinic, research_consent=False, consent_date=date(2026, 1, 1))


def test_the_database_refuses_an_art_start_before_birth(clinic):
    with pytest.raises(IntegrityError):
        PatientFactory(clinic=clinic, art_start_date=date(1970, 1, 1))


def test_editing_a_patient_saves_the_change(clinician_client, patient):
    data = valid_data(study_id=patient.study_id, family_name="Okafor")
    response = clinician_client.post(reverse("patients:edit", args=[patient.public_id]), data)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.family_name == "Okafor"


def test_editing_keeps_the_patients_own_study_id_without_calling_it_a_duplicate(
    clinician_client, patient
):
    data = valid_data(study_id=patient.study_id)
    response = clinician_client.post(reverse("patients:edit", args=[patient.public_id]), data)
    assert response.status_code == 302


def test_a_refused_edit_changes_nothing(clinician_client, patient):
    data = valid_data(study_id=patient.study_id, family_name="Changed", date_of_birth="2090-01-01")
    response = clinician_client.post(reverse("patients:edit", args=[patient.public_id]), data)
    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.family_name != "Changed"


def test_consent_without_a_date_is_refused(clinician_client):
    response = register(clinician_client, consent_date="")
    assert_refused(response, "consent_date", "Give the date the patient consented")


def test_a_consent_date_before_birth_is_refused(clinician_client):
    response = register(clinician_client, consent_date="1979-12-31")
    assert_refused(response, "consent_date", "cannot be before the date of birth")


def test_the_database_refuses_consent_without_a_date(clinic):
    with pytest.raises(IntegrityError):
        PatientFactory(clinic=clinic, research_consent=True, consent_date=None)


def test_the_database_refuses_a_consent_date_before_birth(clinic):
    with pytest.raises(IntegrityError):
        PatientFactory(clinic=clinic, consent_date=date(1970, 1, 1))


def test_other_aetiology_text_is_never_dropped_without_saying_so(clinician_client):
    response = register(clinician_client, aetiology_other="Chemotherapy-induced")
    assert_refused(response, "aetiology_other", "Clear this text, or choose Other")


def test_changing_away_from_other_asks_to_clear_the_text_and_keeps_it(clinician_client, clinic):
    patient = PatientFactory(clinic=clinic, aetiology="other", aetiology_other="Chemotherapy")
    data = valid_data(study_id=patient.study_id, aetiology_other="Chemotherapy")
    response = clinician_client.post(reverse("patients:edit", args=[patient.public_id]), data)
    assert "aetiology_other" in response.context["form"].errors
    patient.refresh_from_db()
    assert (patient.aetiology, patient.aetiology_other) == ("other", "Chemotherapy")


def test_the_database_refuses_other_aetiology_text_with_another_aetiology(clinic):
    with pytest.raises(IntegrityError):
        PatientFactory(clinic=clinic, aetiology="hiv_dsp", aetiology_other="Chemotherapy")


@pytest.mark.parametrize(
    ("study_id", "why"),
    [
        ('=HYPERLINK("x")', "Use only letters A-Z"),
        ("KAN 0042", "with no spaces"),
        ("ß" * 30, "Use only letters A-Z"),
        ("ﬁ" * 16, "Use only letters A-Z"),
    ],
)
def test_a_study_id_that_is_not_letters_digits_and_dashes_is_refused_at_the_field(
    clinician_client, study_id, why
):
    assert_refused(register(clinician_client, study_id=study_id), "study_id", why)


def test_a_study_id_differing_only_in_case_is_already_used(clinician_client, clinic):
    PatientFactory(clinic=clinic, study_id="KAN-0042")
    response = register(clinician_client, study_id="  kan-0042 ")
    assert "study_id" in response.context["form"].errors
    assert Patient.objects.count() == 1


def test_the_database_refuses_a_study_id_differing_only_in_case(clinic):
    PatientFactory(clinic=clinic, study_id="KAN-0042")
    with pytest.raises(IntegrityError):
        PatientFactory(clinic=clinic, study_id="kan-0042")
