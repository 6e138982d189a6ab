"""The patient list (search, filter, pagination), the patient's page, history and withdrawal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient, PatientStatus
from tests.factories import PatientFactory, PatientUserFactory

pytestmark = pytest.mark.django_db


def test_the_list_searches_by_name_and_study_id(clinician_client, clinic):
    PatientFactory(clinic=clinic, study_id="KAN-0001", given_name="Amina", family_name="Bello")
    PatientFactory(clinic=clinic, study_id="KAN-0002", given_name="Musa", family_name="Sani")
    by_name = clinician_client.get(reverse("patients:list"), {"q": "bell"})
    assert [p.study_id for p in by_name.context["page"]] == ["KAN-0001"]
    by_id = clinician_client.get(reverse("patients:list"), {"q": "0002"})
    assert [p.study_id for p in by_id.context["page"]] == ["KAN-0002"]


def test_the_list_filters_by_status(clinician_client, clinic):
    PatientFactory(clinic=clinic, study_id="KAN-0001")
    PatientFactory(
        clinic=clinic,
        study_id="KAN-0002",
        status=PatientStatus.WITHDRAWN,
        withdrawal_reason="Moved away",
        withdrawn_on=timezone.localdate(),
    )
    response = clinician_client.get(reverse("patients:list"), {"status": "withdrawn"})
    assert [p.study_id for p in response.context["page"]] == ["KAN-0002"]


def test_the_list_never_shows_another_clinics_patients(clinician_client, other_clinic):
    PatientFactory(clinic=other_clinic, study_id="OTH-0001")
    response = clinician_client.get(reverse("patients:list"))
    assert response.context["page"].paginator.count == 0
    assert "OTH-0001" not in response.content.decode()


def test_the_list_shows_25_patients_a_page_and_keeps_the_search_across_pages(
    clinician_client, clinic
):
    PatientFactory.create_batch(30, clinic=clinic, family_name="Mensah")
    first = clinician_client.get(reverse("patients:list"), {"q": "mensah"})
    assert len(first.context["page"].object_list) == 25
    assert "q=mensah&amp;page=2" in first.content.decode()
    second = clinician_client.get(reverse("patients:list"), {"q": "mensah", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_the_list_costs_the_same_queries_for_2_and_for_40_patients(
    clinician_client, clinic, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PatientFactory.create_batch(2, clinic=clinic)
    with CaptureQueriesContext(connection) as few:
        clinician_client.get(reverse("patients:list"))
    PatientFactory.create_batch(38, clinic=clinic)
    with CaptureQueriesContext(connection) as many:
        clinician_client.get(reverse("patients:list"))
    assert len(many) == len(few)


def test_the_patients_page_shows_each_change_in_the_history(clinician_client, clinician):
    clinician_client.post(
        reverse("patients:register"),
        {
            "study_id": "KAN-0042",
            "given_name": "Amina",
            "family_name": "Bello",
            "date_of_birth": "1980-03-14",
            "sex": "female",
            "aetiology": "hiv_dsp",
            "has_diabetes": "unknown",
        },
    )
    patient = Patient.objects.get()
    clinician_client.post(
        reverse("patients:edit", args=[patient.public_id]),
        {
            "study_id": "KAN-0042",
            "given_name": "Amina",
            "family_name": "Okafor",
            "date_of_birth": "1980-03-14",
            "sex": "female",
            "aetiology": "diabetic",
            "has_diabetes": "true",
            "responsible_clinician": str(clinician.pk),
        },
    )
    response = clinician_client.get(patient.get_absolute_url())
    history = response.context["history"]
    assert len(history) == 2
    newest = history[0]
    assert newest["who"] == clinician
    changes = {c["field"]: (c["old"], c["new"]) for c in newest["changes"]}
    assert changes["family name"] == ("Bello", "Okafor")
    assert changes["neuropathy aetiology"] == (
        "HIV-associated distal symmetrical polyneuropathy",
        "Diabetic peripheral neuropathy",
    )
    assert changes["diabetes"] == ("—", "Yes")
    page = response.content.decode()
    assert "Bello" in page and "Okafor" in page


def test_withdrawing_needs_a_reason_and_keeps_the_record(clinician_client, patient):
    url = reverse("patients:withdraw", args=[patient.public_id])
    today = timezone.localdate().isoformat()
    refused = clinician_client.post(url, {"reason": "   ", "withdrawn_on": today})
    assert "Give the reason" in refused.content.decode()
    patient.refresh_from_db()
    assert patient.status == PatientStatus.ACTIVE

    clinician_client.post(url, {"reason": "Moved to another city", "withdrawn_on": today})
    patient.refresh_from_db()
    assert patient.status == PatientStatus.WITHDRAWN
    assert patient.withdrawal_reason == "Moved to another city"
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_a_withdrawal_date_in_the_future_is_refused(clinician_client, patient):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = clinician_client.post(
        reverse("patients:withdraw", args=[patient.public_id]),
        {"reason": "Moved", "withdrawn_on": tomorrow},
    )
    assert "cannot be in the future" in response.content.decode()
    patient.refresh_from_db()
    assert patient.status == PatientStatus.ACTIVE


def test_withdrawing_a_patient_closes_their_portal_login(clinician_client, patient):
    login = PatientUserFactory(patient=patient)
    clinician_client.post(
        reverse("patients:withdraw", args=[patient.public_id]),
        {"reason": "Withdrew consent", "withdrawn_on": timezone.localdate().isoformat()},
    )
    login.refresh_from_db()
    assert login.is_active is False


def test_another_clinics_clinician_cannot_reach_the_patient_by_any_url(
    client, other_clinician, patient
):
    client.force_login(other_clinician)
    for name in ["patients:detail", "patients:edit", "patients:withdraw"]:
        assert client.get(reverse(name, args=[patient.public_id])).status_code == 404
    response = client.post(
        reverse("patients:edit", args=[patient.public_id]), {"family_name": "Hacked"}
    )
    assert response.status_code == 404
    patient.refresh_from_db()
    assert patient.family_name != "Hacked"


def test_the_home_page_lists_my_active_patients_and_a_search_box(clinician_client, patient):
    response = clinician_client.get(reverse("home"))
    page = response.content.decode()
    assert patient.study_id in page
    assert 'name="q"' in page


def test_the_admins_home_page_also_lists_the_staff(admin_client_, clinician):
    response = admin_client_.get(reverse("home"))
    assert clinician.username in response.content.decode()


def test_the_clinicians_home_page_does_not_list_the_staff(clinician_client, clinic_admin):
    response = clinician_client.get(reverse("home"))
    assert response.context["staff"] is None


def test_withdrawing_a_patient_also_ends_their_open_programme(clinician_client, patient, clinician):
    from programmes.models import ProgrammeStatus
    from tests.programmes.helpers import assign

    programme = assign(patient, clinician, days_ago=10)
    today = timezone.localdate()
    clinician_client.post(
        reverse("patients:withdraw", args=[patient.public_id]),
        {"reason": "Moved away", "withdrawn_on": today.isoformat()},
    )
    programme.refresh_from_db()
    assert (programme.status, programme.ended_on) == (ProgrammeStatus.WITHDRAWN, today)
    assert programme.changes.filter(kind="withdrawn", reason="Moved away").exists()


def test_a_withdrawal_dated_before_the_last_session_is_refused_at_the_date_and_saves_nothing(
    clinician_client, patient, clinician
):
    from tests.programmes.helpers import assign, log

    programme = assign(patient, clinician, days_ago=10)
    log(programme, clinician, days_ago=1)
    response = clinician_client.post(
        reverse("patients:withdraw", args=[patient.public_id]),
        {"reason": "Moved", "withdrawn_on": (timezone.localdate() - timedelta(days=3)).isoformat()},
    )
    assert "withdrawn_on" in response.context["form"].errors
    patient.refresh_from_db()
    programme.refresh_from_db()
    assert patient.status == PatientStatus.ACTIVE
    assert programme.status == "active"
