"""Home sessions reported by the patient, as the clinician sees them: beside supervised sessions,
in adherence and in the flags."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from programmes.models import ExerciseSession, SessionSource
from tests.factories import PatientUserFactory
from tests.programmes.helpers import log, report_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient_login(patient):
    return PatientUserFactory(patient=patient)


def _programme_page(client, programme):
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_home_sessions_show_beside_supervised_ones_on_the_programme_page(
    clinician_client, programme, clinician, patient_login
):
    log(programme, clinician, days_ago=2)
    report_home(programme, patient_login, days_ago=1, completion="partly", pain_after=4)
    page = _programme_page(clinician_client, programme)
    sessions = page.split('id="sessions-title"')[1]
    assert "Home</span>" in sessions and "Clinic" in sessions
    assert "Standing hip extension</strong>: partly" in sessions
    assert "4 (after)" in sessions


def test_home_sessions_count_in_adherence(clinician_client, programme, clinician, patient_login):
    log(programme, clinician, days_ago=0)
    report_home(programme, patient_login, days_ago=0)
    page = _programme_page(clinician_client, programme)
    assert "this week (week 5): 2 of 3 so far" in page
    assert "2 sessions in all, 1 of them reported from home" in page


def test_severe_pain_reported_from_home_is_flagged_for_the_clinician(
    clinician_client, programme, patient_login
):
    report_home(programme, patient_login, days_ago=0, pain_after=8)
    day = timezone.localdate().strftime("%-d %b")
    home = clinician_client.get(reverse("home")).content.decode()
    assert f"Pain 8/10 on {day} (reported from home)" in home
    page = _programme_page(clinician_client, programme)
    assert "Needs attention" in page and f"Pain 8/10 on {day} (reported from home)" in page


def test_a_fall_reported_from_home_is_flagged(clinician_client, programme, patient_login):
    report_home(programme, patient_login, days_ago=0, fall=True)
    home = clinician_client.get(reverse("home")).content.decode()
    assert "(reported from home): fall" in home


def test_pain_up_2_from_last_week_in_a_home_report_is_flagged(
    clinician_client, programme, clinician, patient_login
):
    log(programme, clinician, days_ago=2, pain_before=1, pain_after=1)  # week 4
    report_home(programme, patient_login, days_ago=0, pain_after=3)  # week 5
    home = clinician_client.get(reverse("home")).content.decode()
    assert "Pain up from 1 last week to 3" in home


def test_mild_home_reports_raise_no_flag(clinician_client, programme, patient_login):
    report_home(programme, patient_login, days_ago=0, pain_after=2)
    assert "Needs attention" not in _programme_page(clinician_client, programme)


def test_a_clinician_cannot_change_the_patients_own_report(
    clinician_client, programme, patient_login
):
    session = report_home(programme, patient_login, days_ago=0, pain_after=5)
    response = clinician_client.get(reverse("programmes:session_edit", args=[session.public_id]))
    assert response.status_code == 302
    assert response["Location"] == programme.get_absolute_url()
    session.refresh_from_db()
    assert session.pain_after == 5


def test_the_clinicians_duplicate_session_link_ignores_the_home_report(
    clinician_client, programme, clinician, patient_login
):
    supervised = log(programme, clinician, days_ago=0)
    report_home(programme, patient_login, days_ago=0)  # the newer row of the two
    data = {"date": timezone.localdate().isoformat(), "effort": "3", "pain_before": "1"}
    data["pain_after"] = "1"
    for pe in programme.exercises.all():
        for n in range(1, pe.sets + 1):
            data[f"reps_{pe.pk}_{n}"], data[f"load_{pe.pk}_{n}"] = "10", "5"
    response = clinician_client.post(
        reverse("programmes:session_record", args=[programme.public_id]), data
    )
    assert response.context["existing"] == supervised


def test_the_database_refuses_a_supervised_session_without_pain_before(programme, clinician):
    with pytest.raises(IntegrityError):
        ExerciseSession.objects.create(
            programme=programme, source=SessionSource.SUPERVISED, date=timezone.localdate(),
            week=5, effort=3, pain_before=None, pain_after=2,
        )  # fmt: skip
