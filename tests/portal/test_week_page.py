"""The patient's week page: this week's exercises, sessions, next visit, and other weeks."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import Arm, Equipment, Exercise
from tests.factories import PatientFactory, ProgrammeFactory
from tests.programmes.helpers import assign, log, report_home

pytestmark = pytest.mark.django_db


def _page(client, url=None):
    response = client.get(url or reverse("portal:this_week"))
    assert response.status_code == 200
    return response.content.decode()


def test_home_sends_a_patient_to_their_week_page(patient_client, programme):
    response = patient_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:this_week")


def test_a_patient_sees_week_n_of_12_with_each_exercise_its_dose_and_its_cues(
    patient_client, programme
):
    page = _page(patient_client)
    assert "Week 5 of 12" in page
    for pe in programme.exercises.select_related("exercise"):
        load = pe.planned_loads.get(week=5)
        assert pe.exercise.name in page
        assert pe.exercise.safety_cues in page
        assert f"{load.sets} sets × {load.reps} times @ {load.load_kg.normalize():f} kg" in page
    assert "each leg in turn" in page and "both legs together" in page


def test_a_body_weight_exercise_says_body_weight_not_kilograms(patient_client, programme):
    pe = programme.exercises.select_related("exercise").first()
    Exercise.objects.filter(pk=pe.exercise_id).update(equipment=Equipment.BODY_WEIGHT)
    page = _page(patient_client)
    assert "× 10 times @ body weight" in page


def test_the_week_shows_the_sessions_done_and_those_still_planned(
    patient_client, programme, clinician, patient_user
):
    log(programme, clinician, days_ago=0)
    page = _page(patient_client)
    assert "1 of 3 done" in page
    assert "2 more sessions to do this week" in page
    assert "at the clinic" in page


def test_after_reporting_today_the_page_offers_to_change_the_report(
    patient_client, programme, patient_user
):
    report_home(programme, patient_user, days_ago=0)
    page = _page(patient_client)
    today = timezone.localdate().isoformat()
    assert reverse("portal:session_edit", kwargs={"day": today}) in page
    assert "Change today's report" in page


def test_the_next_assessment_date_is_shown(patient_client, clinician, patient):
    programme = assign(patient, clinician, days_ago=0)
    page = _page(patient_client)
    assert "Your first check-up at the clinic: by" in page
    assert f"{programme.start_date + timedelta(days=6):%-d %B %Y}" in page


def test_the_call_the_clinic_line_gives_the_clinics_phone(patient_client, programme, clinic):
    clinic.phone = "+234 803 555 0101"
    clinic.save()
    page = _page(patient_client)
    assert "stop exercising and call the clinic: +234 803 555 0101" in page


def test_past_and_coming_weeks_can_be_browsed(patient_client, programme):
    pe = programme.exercises.first()
    week2 = pe.planned_loads.get(week=2).load_kg
    page = _page(patient_client, reverse("portal:week", args=[2]))
    assert "Week 2 of 12" in page and "This is not the current week." in page
    assert f"@ {week2.normalize():f} kg" in page
    assert reverse("portal:week", args=[1]) in page and reverse("portal:week", args=[3]) in page
    assert "Report" not in page.split("</header>")[1].split("Your exercises")[0]


def test_a_week_outside_the_programme_is_clamped_with_a_message(patient_client, programme):
    response = patient_client.get(reverse("portal:week", args=[40]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:week", args=[12])
    assert "Your programme has weeks 1 to 12. Here is week 12." in response.content.decode()
    response = patient_client.get(reverse("portal:week", args=[0]))
    assert response["Location"] == reverse("portal:week", args=[1])


def test_a_patient_sees_only_their_own_programme(patient_client, programme, clinician, clinic):
    other = assign(PatientFactory(clinic=clinic), clinician, days_ago=3)
    page = _page(patient_client)
    assert other.patient.study_id not in page
    assert "Week 5 of 12" in page  # theirs, not the other patient's week 1


def test_a_patient_without_a_programme_is_told_so(patient_client):
    page = _page(patient_client)
    assert "You have no exercise programme yet" in page


def test_a_control_arm_patient_sees_no_exercises(patient_client, patient):
    ProgrammeFactory(patient=patient, arm=Arm.CONTROL, start_date=date.today())
    page = _page(patient_client)
    assert "check-ups only" in page and "Your exercises" not in page


def test_a_programme_not_yet_started_says_when_it_starts(patient_client, patient, clinician):
    assign(patient, clinician, days_ago=-5)
    page = _page(patient_client)
    assert "Week 1 of 12" in page and "Your programme starts on" in page


def test_staff_pages_refuse_a_patient(patient_client, patient):
    assert patient_client.get(reverse("patients:list")).status_code == 403
    assert patient_client.get(patient.get_absolute_url()).status_code == 403


def test_each_week_shows_its_own_repetitions_where_the_plan_raises_them(patient_client, programme):
    # The shipped curl on 2.5 kg plates: 12.5 kg x 10 in weeks 1-6, then x 12, 14, 15 (weeks
    # 7-9) before the next plate; the patient's pages and printouts say that week's repetitions.
    assert "3 sets × 10 times @ 12.5 kg" in _page(patient_client, reverse("portal:week", args=[6]))
    assert "3 sets × 14 times @ 12.5 kg" in _page(patient_client, reverse("portal:week", args=[8]))
    sheet = _page(patient_client, reverse("portal:print_week", args=[8]))
    assert "3 sets × 14 times @ 12.5 kg" in sheet
    handout = _page(patient_client, reverse("portal:print_handout"))
    assert "3 × 14 @ 12.5 kg" in handout and "3 × 15 @ 12.5 kg" in handout
