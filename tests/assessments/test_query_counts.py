"""A page's queries do not grow with the data: 2 visits or patients cost what 12 do."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import dashboard, services
from tests.assessments.factories import lines_totalling, make_visit
from tests.factories import PatientFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def add_visits(programme, clinician, how_many):
    make_visit(programme=programme, assessed_on=programme.start_date, by=clinician)
    for day in range(1, how_many):
        make_visit(
            programme=programme,
            timepoint="unscheduled",
            assessed_on=programme.start_date + timedelta(days=day),
            by=clinician,
            walk_distance_m=300 + day,
        )


def add_patients(clinic, today, how_many):
    for _ in range(how_many):
        programme = ProgrammeFactory(
            patient=PatientFactory(clinic=clinic), start_date=today - timedelta(days=35)
        )
        make_visit(programme=programme, assessed_on=programme.start_date)


def test_the_patient_panel_costs_the_same_for_2_and_12_visits(patient, programme, clinician):
    add_visits(programme, clinician, 2)
    few = count_queries(lambda: dashboard.patient_context(patient, programme))
    add_visits(
        ProgrammeFactory(
            patient=patient,
            start_date=programme.start_date - timedelta(days=200),
            status="completed",
            ended_on=programme.start_date,
        ),
        clinician,
        10,
    )
    many = count_queries(lambda: dashboard.patient_context(patient, programme))
    assert few == many == 1  # the visits; the page has read the programme it follows


def test_the_home_panel_costs_the_same_for_2_and_12_patients(clinician, clinic, today):
    add_patients(clinic, today, 2)
    few = count_queries(lambda: dashboard.home_context(clinician))
    add_patients(clinic, today, 10)
    many = count_queries(lambda: dashboard.home_context(clinician))
    assert few == many == 1  # the programme rows say which visits are recorded
    assert dashboard.home_context(clinician)["assessment_due"].count == 12  # week 6 of each


def test_the_tinetti_form_page_costs_the_same_with_more_visits(
    clinician_client, programme, clinician
):
    url = reverse("assessments:record", kwargs={"public_id": programme.public_id})
    add_visits(programme, clinician, 2)
    few = count_queries(lambda: clinician_client.get(url))
    add_visits(
        ProgrammeFactory(
            patient=programme.patient,
            start_date=programme.start_date - timedelta(days=300),
            status="completed",
            ended_on=programme.start_date,
        ),
        clinician,
        10,
    )
    many = count_queries(lambda: clinician_client.get(url))
    assert few == many


def test_the_visit_page_costs_the_same_after_many_corrections(
    clinician_client, programme, clinician
):
    visit = make_visit(
        programme=programme, assessed_on=programme.start_date, by=clinician, pain_nrs=3
    )
    services.visit_update(visit=visit, by=clinician, notes="first")
    few = count_queries(lambda: clinician_client.get(visit.get_absolute_url()))
    for balance in range(5, 15):
        services.visit_update(visit=visit, by=clinician, tinetti_lines=lines_totalling(balance, 7))
    many = count_queries(lambda: clinician_client.get(visit.get_absolute_url()))
    assert few == many


def test_the_patient_page_costs_the_same_for_2_and_12_visits(
    clinician_client, patient, programme, clinician
):
    url = reverse("patients:detail", kwargs={"public_id": patient.public_id})
    add_visits(programme, clinician, 2)
    few = count_queries(lambda: clinician_client.get(url))
    add_visits(
        ProgrammeFactory(
            patient=patient,
            start_date=programme.start_date - timedelta(days=200),
            status="completed",
            ended_on=programme.start_date,
        ),
        clinician,
        10,
    )
    many = count_queries(lambda: clinician_client.get(url))
    assert few == many
