"""The printable outcome report of one patient: programme and adherence, loads, visits, chart."""

import pytest
from django.urls import reverse

from tests.assessments.factories import make_visit
from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory
from tests.programmes.helpers import assign, log


@pytest.fixture
def report_of(client, clinician):
    client.force_login(clinician)

    def get(patient):
        return client.get(reverse("assessments:report", args=[patient.public_id]))

    return get


@pytest.mark.django_db
def test_the_report_shows_programme_adherence_loads_visits_and_the_chart(
    patient, clinician, report_of, today
):
    programme = assign(patient, clinician, days_ago=40)
    log(programme, clinician, days_ago=39)
    log(programme, clinician, days_ago=37)
    make_visit(
        programme=programme, assessed_on=programme.start_date, balance=10, gait=7, by=clinician
    )
    make_visit(
        programme=programme,
        timepoint="week6",
        assessed_on=today,
        balance=13,
        gait=9,
        by=clinician,
        walk_distance_m=410,
    )
    html = report_of(patient).content.decode()
    assert f"Outcome report: {patient.full_name}" in html
    assert "Adherence:</strong> 2 of 15 sessions planned in the weeks ended (13 %)" in html
    first = programme.exercises.select_related("exercise").first()
    assert first.exercise.name in html
    assert "Load progression (kg): planned / heaviest used" in html
    assert "22 (+5)" in html
    assert "improved" not in html and "worse" not in html
    assert "<svg" in html and "Tinetti POMA over the programme" in html


@pytest.mark.django_db
def test_the_report_of_a_patient_without_a_programme_says_so(patient, report_of):
    assert "No programme has been assigned yet." in report_of(patient).content.decode()


@pytest.mark.django_db
def test_the_patients_page_links_to_the_report(patient, clinician, client):
    client.force_login(clinician)
    html = client.get(patient.get_absolute_url()).content.decode()
    assert reverse("assessments:report", args=[patient.public_id]) in html


@pytest.mark.django_db
def test_another_clinics_patient_report_is_not_found(client, patient):
    client.force_login(ClinicianFactory(clinic=ClinicFactory()))
    assert client.get(reverse("assessments:report", args=[patient.public_id])).status_code == 404


@pytest.mark.django_db
def test_the_report_costs_the_same_queries_with_more_sessions_and_visits(
    clinic, clinician, report_of, django_assert_max_num_queries
):
    patient = PatientFactory(clinic=clinic)
    programme = assign(patient, clinician, days_ago=60)
    log(programme, clinician, days_ago=58)
    with django_assert_max_num_queries(30) as first:
        report_of(patient)
    for days in (55, 50, 45, 40, 35):
        log(programme, clinician, days_ago=days)
    make_visit(programme=programme, assessed_on=programme.start_date, by=clinician)
    with django_assert_max_num_queries(len(first.captured_queries)):
        report_of(patient)
