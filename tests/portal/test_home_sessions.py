"""The patient reports a session done at home; bad input gets a clear message and saves nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import ExerciseSession, ReportedExercise, SessionSource
from tests.programmes.helpers import log, report_home

pytestmark = pytest.mark.django_db


def _answers(programme, completion="done", **overrides):
    data = {
        "date": timezone.localdate().isoformat(),
        "effort": "5",
        "pain_after": "3",
        "fall": "no",
        "notes": "",
    }
    for number in range(1, programme.exercises.count() + 1):
        data[f"exercise_{number}"] = completion
    return {**data, **overrides}


def _post(client, programme, url=None, **overrides):
    return client.post(url or reverse("portal:session_report"), _answers(programme, **overrides))


def test_the_form_defaults_to_today(patient_client, programme):
    response = patient_client.get(reverse("portal:session_report"))
    assert response.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in response.content.decode()


def test_a_patient_reports_a_home_session_with_one_tap_per_exercise(
    patient_client, programme, patient_user
):
    response = _post(patient_client, programme, exercise_2="partly", exercise_3="not_done")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:week", args=[5])
    session = ExerciseSession.objects.get()
    assert (session.source, session.week, session.recorded_by) == ("home", 5, patient_user)
    assert (session.effort, session.pain_before, session.pain_after, session.fall) == (
        5,
        None,
        3,
        False,
    )
    reports = list(session.reported_exercises.order_by("programme_exercise__order"))
    assert [r.completion for r in reports][:3] == ["done", "partly", "not_done"]
    planned = reports[0].programme_exercise.planned_loads.get(week=5)
    assert (reports[0].target_sets, reports[0].target_reps, reports[0].target_load_kg) == (
        planned.sets,
        planned.reps,
        planned.load_kg,
    )


def test_a_fall_is_recorded_as_an_adverse_event(patient_client, programme):
    _post(patient_client, programme, fall="yes", notes="Slipped in the yard")
    session = ExerciseSession.objects.get()
    assert session.fall and session.adverse_events == ["fall"]
    assert session.notes == "Slipped in the yard"


def test_a_session_dated_in_the_future_is_refused_and_nothing_is_saved(patient_client, programme):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _post(patient_client, programme, date=tomorrow)
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not ExerciseSession.objects.exists()


def test_a_session_dated_before_the_programme_is_refused(patient_client, programme):
    before = (programme.start_date - timedelta(days=1)).isoformat()
    response = _post(patient_client, programme, date=before)
    assert "Your programme started on" in response.content.decode()
    assert not ExerciseSession.objects.exists()


def test_a_second_report_for_the_same_day_is_refused_with_a_link_to_change_the_first(
    patient_client, programme, patient_user
):
    report_home(programme, patient_user, days_ago=0, pain_after=1)
    response = _post(patient_client, programme, pain_after="6")
    page = response.content.decode()
    assert response.status_code == 200
    assert "You already reported a session on" in page
    edit = reverse("portal:session_edit", kwargs={"day": timezone.localdate()})
    assert f'href="{edit}"' in page
    assert ExerciseSession.objects.get().pain_after == 1


def test_the_patient_changes_their_report(patient_client, programme, patient_user):
    report_home(programme, patient_user, days_ago=1, completion="partly")
    day = timezone.localdate() - timedelta(days=1)
    url = reverse("portal:session_edit", kwargs={"day": day})
    form = patient_client.get(url).content.decode()
    assert 'value="partly" class="choice-input" id="id_exercise_1_1" required checked' in form
    response = _post(patient_client, programme, url=url, date=day.isoformat(), pain_after="7")
    assert response.status_code == 302
    session = ExerciseSession.objects.get()
    assert session.pain_after == 7
    assert set(session.reported_exercises.values_list("completion", flat=True)) == {"done"}
    assert ReportedExercise.objects.count() == programme.exercises.count()


def test_a_day_without_a_report_has_nothing_to_change(patient_client, programme):
    url = reverse("portal:session_edit", kwargs={"day": timezone.localdate()})
    assert patient_client.get(url).status_code == 404


def test_a_patient_cannot_change_a_supervised_session(patient_client, programme, clinician):
    log(programme, clinician, days_ago=0)
    url = reverse("portal:session_edit", kwargs={"day": timezone.localdate()})
    assert patient_client.get(url).status_code == 404


def test_an_exercise_left_unanswered_is_refused_next_to_it(patient_client, programme):
    response = _post(patient_client, programme, exercise_2="")
    page = response.content.decode()
    assert 'id="id_exercise_2_error">Tap done, partly or not done.' in page
    assert not ExerciseSession.objects.exists()


def test_pain_and_effort_must_be_0_to_10(patient_client, programme):
    response = _post(patient_client, programme, pain_after="11", effort="")
    page = response.content.decode()
    assert "Select a valid choice. 11 is not one of the available choices." in page
    assert 'id="id_effort_error">Tap a number from 0 to 10.' in page
    assert not ExerciseSession.objects.exists()


def test_every_exercise_not_done_is_not_a_session(patient_client, programme):
    response = _post(patient_client, programme, completion="not_done")
    assert "You marked every exercise as not done" in response.content.decode()
    assert not ExerciseSession.objects.exists()


def test_a_paused_programme_takes_no_report(patient_client, programme, clinician):
    services.programme_pause(
        programme=programme, by=clinician, reason="Ill", on=timezone.localdate()
    )
    response = _post(patient_client, programme)
    assert "Your programme is paused" in response.content.decode()
    assert not ExerciseSession.objects.exists()


def test_a_supervised_session_the_same_day_does_not_block_a_home_report(
    patient_client, programme, clinician
):
    log(programme, clinician, days_ago=0)
    assert _post(patient_client, programme).status_code == 302
    assert sorted(ExerciseSession.objects.values_list("source", flat=True)) == [
        "home",
        "supervised",
    ]


def test_a_patient_without_a_running_programme_is_sent_back_with_a_message(patient_client):
    response = patient_client.get(reverse("portal:session_report"), follow=True)
    assert "You have no exercise programme running" in response.content.decode()


# --- The service, whatever door calls it ---------------------------------------------------------


def test_the_service_refuses_a_report_that_leaves_out_an_exercise(programme, patient_user):
    first = programme.exercises.first()
    with pytest.raises(ValidationError, match="Say whether you did"):
        services.home_session_report(
            programme=programme, by=patient_user, date=timezone.localdate(),
            completions={first: "done"}, effort=3, pain_after=2, fall=False,
        )  # fmt: skip
    assert not ExerciseSession.objects.exists()


def test_the_service_refuses_a_duplicate_day_with_its_code(programme, patient_user):
    report_home(programme, patient_user)
    with pytest.raises(ValidationError) as refusal:
        report_home(programme, patient_user)
    assert refusal.value.error_dict["date"][0].code == services.DUPLICATE_SESSION
    assert ExerciseSession.objects.filter(source=SessionSource.HOME).count() == 1


def test_the_service_refuses_scores_out_of_range(programme, patient_user):
    with pytest.raises(ValidationError):
        report_home(programme, patient_user, pain_after=12)
    assert not ExerciseSession.objects.exists()


def test_moving_a_report_to_another_week_copies_that_weeks_plan(programme, patient_user):
    session = report_home(programme, patient_user, days_ago=0)
    eight_days_ago = timezone.localdate() - timedelta(days=8)
    services.home_session_update(
        session=session, by=patient_user, date=eight_days_ago,
        completions={pe: "done" for pe in programme.exercises.all()},
        effort=4, pain_after=2, fall=False,
    )  # fmt: skip
    session.refresh_from_db()
    assert session.week == 3
    report = session.reported_exercises.first()
    assert report.target_load_kg == report.programme_exercise.planned_loads.get(week=3).load_kg
