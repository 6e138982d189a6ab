"""A page costs the same number of queries for 2 sessions or patients as for 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ClinicianFactory, PatientFactory
from tests.programmes.helpers import assign, log

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _sessions(programme, clinician, days):
    for days_ago in days:
        log(programme, clinician, days_ago=days_ago, last_set_reps=12, fall=days_ago % 5 == 0)


def test_the_programme_page_costs_the_same_with_2_or_12_sessions(
    clinician_client, clinician, clinic
):
    few = assign(PatientFactory(clinic=clinic), clinician, days_ago=40)
    _sessions(few, clinician, [30, 28])
    many = assign(PatientFactory(clinic=clinic), clinician, days_ago=40)
    _sessions(many, clinician, [38, 36, 34, 31, 29, 27, 24, 22, 20, 17, 15, 13])
    assert many.sessions.count() == 12
    assert _count(clinician_client, few.get_absolute_url()) == _count(
        clinician_client, many.get_absolute_url()
    )


def _clinic_with(n, clinic, clinician):
    for i in range(n):
        programme = assign(
            PatientFactory(clinic=clinic, responsible_clinician=clinician), clinician, days_ago=30
        )
        log(programme, clinician, days_ago=2, last_set_reps=12, pain_after=8 if i % 2 else 2)
        log(programme, clinician, days_ago=0, last_set_reps=12, dizziness=bool(i % 3))


def test_the_home_page_costs_the_same_with_2_or_12_patients_in_programmes(
    client, clinic, clinician, other_clinic
):
    _clinic_with(2, clinic, clinician)
    other = ClinicianFactory(clinic=other_clinic)
    _clinic_with(12, other_clinic, other)
    client.force_login(clinician)
    small = _count(client, reverse("home"))
    client.force_login(other)
    large = _count(client, reverse("home"))
    assert small == large


def test_the_patient_page_panel_costs_the_same_with_few_or_many_sessions(
    clinician_client, clinician, clinic
):
    few = assign(PatientFactory(clinic=clinic), clinician, days_ago=40)
    _sessions(few, clinician, [30])
    many = assign(PatientFactory(clinic=clinic), clinician, days_ago=40)
    _sessions(many, clinician, [38, 36, 34, 31, 29, 27, 24, 22, 20, 17, 15, 13])
    assert _count(clinician_client, few.patient.get_absolute_url()) == _count(
        clinician_client, many.patient.get_absolute_url()
    )
