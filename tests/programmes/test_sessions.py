from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import ExerciseSession, LoggedSet
from tests.programmes.helpers import assign, log

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_logged_set_keeps_the_target_copied_from_the_plan_beside_what_was_done(
    programme, clinician
):
    session = log(programme, clinician, days_ago=0, reps=9)
    assert session.week == 5
    curl = session.sets.filter(programme_exercise__exercise__name="Hamstring curl")
    first = curl.get(set_number=1)
    assert (first.target_reps, first.target_load_kg, first.reps_done) == (10, D("12.5"), 9)
    # A later change to the plan does not rewrite history.
    services.plan_shift_load(
        programme=programme, programme_exercise=first.programme_exercise, from_week=5,
        to_week=9, delta_kg=D("2.5"), reason="x", by=clinician, version=programme.version,
    )  # fmt: skip
    first.refresh_from_db()
    assert first.target_load_kg == D("12.5")


@pytest.mark.parametrize("reps", [0, 101])
def test_repetitions_of_zero_or_over_a_hundred_are_refused_and_nothing_saved(
    programme, clinician, reps
):
    with pytest.raises(ValidationError, match="between 1 and 100"):
        log(programme, clinician, reps=reps)
    assert not ExerciseSession.objects.exists()
    assert not LoggedSet.objects.exists()


def test_a_session_before_the_start_is_refused(programme, clinician):
    with pytest.raises(ValidationError, match="cannot be dated before"):
        log(programme, clinician, days_ago=29)


def test_a_session_in_the_future_is_refused(programme, clinician):
    with pytest.raises(ValidationError, match="future"):
        log(programme, clinician, days_ago=-1)


def test_a_second_session_on_the_same_day_is_refused(programme, clinician):
    log(programme, clinician)
    with pytest.raises(ValidationError, match="already recorded: edit it instead"):
        log(programme, clinician)
    assert ExerciseSession.objects.count() == 1


def test_a_paused_programme_takes_no_session_during_the_pause(programme, clinician):
    today = timezone.localdate()
    services.programme_pause(programme=programme, by=clinician, reason="Malaria", on=today)
    with pytest.raises(ValidationError, match="paused"):
        log(programme, clinician)
    assert log(programme, clinician, days_ago=2).week == 4  # a forgotten session before it


def test_a_control_arm_programme_takes_no_session(patient, clinician):
    programme = assign(patient, clinician, arm="control")
    with pytest.raises(ValidationError, match="control-arm"):
        services.session_record(
            programme=programme, by=clinician, date=timezone.localdate(), sets=[],
            effort=3, pain_before=0, pain_after=0,
        )  # fmt: skip


def _form_data(programme, *, day=None, reps="10", load=None):
    data = {
        "date": str(day or timezone.localdate()),
        "effort": "6",
        "pain_before": "2",
        "pain_after": "3",
        "notes": "Good session",
    }
    for pe in programme.exercises.all():
        planned = pe.planned_loads.get(week=5)
        for n in range(1, pe.sets + 1):
            data[f"reps_{pe.pk}_{n}"] = reps
            data[f"load_{pe.pk}_{n}"] = load if load is not None else str(planned.load_kg)
    return data


def _url(programme):
    return reverse("programmes:session_record", args=[programme.public_id])


def test_the_session_form_is_prefilled_with_the_weeks_planned_loads(clinician_client, programme):
    body = clinician_client.get(_url(programme)).content.decode()
    assert "Plan: 3 × 10 @ 12.5 kg" in body  # hamstring curl in week 5
    assert 'value="12.50"' in body


def test_logging_a_session_shows_in_adherence_and_the_sessions_list(clinician_client, programme):
    response = clinician_client.post(_url(programme), _form_data(programme))
    assert response.status_code == 302
    session = ExerciseSession.objects.get()
    assert session.sets.count() == 15 and session.recorded_by.username == "physio"
    body = clinician_client.get(programme.get_absolute_url()).content.decode()
    assert "this week (week 5): 1 of 3 so far" in body
    assert "Sessions done to date: <strong>0 of 12</strong> (0 %)" in body
    assert "Good session" in body


def test_a_double_submitted_session_is_recorded_once_and_offers_the_existing_one(
    clinician_client, programme
):
    clinician_client.post(_url(programme), _form_data(programme))
    response = clinician_client.post(_url(programme), _form_data(programme))
    assert response.status_code == 200
    assert ExerciseSession.objects.count() == 1
    existing = ExerciseSession.objects.get()
    body = response.content.decode()
    assert "already recorded" in body
    assert reverse("programmes:session_edit", args=[existing.public_id]) in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reps", "0", "Leave it empty for a set not done"),
        ("reps", "101", "not plausible"),
        ("load", "-2", "cannot be negative"),
        ("load", "600", "not plausible"),
    ],
)
def test_bad_set_values_show_at_the_field_and_save_nothing(
    clinician_client, programme, field, value, message
):
    data = _form_data(programme, **{field: value})
    response = clinician_client.post(_url(programme), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExerciseSession.objects.exists()


def test_a_future_or_pre_start_date_shows_at_the_field(clinician_client, programme):
    for day, message in (
        (timezone.localdate() + timedelta(days=1), "future"),
        (programme.start_date - timedelta(days=1), "cannot be dated before"),
    ):
        response = clinician_client.post(_url(programme), _form_data(programme, day=day))
        assert message in response.content.decode()
    assert not ExerciseSession.objects.exists()


def test_a_date_in_another_week_brings_that_weeks_targets_before_anything_is_saved(
    clinician_client, programme
):
    # The form was shown with week 5's targets; the session was on a day of week 3.
    day = programme.start_date + timedelta(weeks=2, days=1)
    response = clinician_client.post(_url(programme), _form_data(programme, day=day))
    assert response.status_code == 200
    assert not ExerciseSession.objects.exists()
    body = response.content.decode()
    assert "This date is in week 3; the targets shown were week 5&#x27;s" in body
    assert "targets from week 3" in body
    assert 'name="targets_week" value="3"' in body
    # Saved once the clinician has seen week 3's targets and sends the form again.
    again = clinician_client.post(
        _url(programme), _form_data(programme, day=day) | {"targets_week": "3"}
    )
    assert again.status_code == 302
    assert ExerciseSession.objects.get().week == 3


def test_a_date_in_another_week_refills_untouched_sets_with_that_weeks_plan(
    clinician_client, programme
):
    """Loads still as prefilled from week 5's plan take week 3's: a second click on Save must
    not record week 5's loads against week 3's targets. A load the clinician typed stays."""
    for pe in programme.exercises.all():
        week3 = pe.planned_loads.get(week=3)
        pe.planned_loads.filter(week=5).update(load_kg=week3.load_kg + pe.exercise.load_step_kg)
    day = programme.start_date + timedelta(weeks=2, days=1)
    data = _form_data(programme, day=day)
    typed = next(name for name in data if name.startswith("load_"))
    data[typed] = "1.5"
    form = clinician_client.post(_url(programme), data).context["form"]
    for pe in programme.exercises.all():
        week3 = pe.planned_loads.get(week=3)
        for n in range(1, pe.sets + 1):
            name = f"load_{pe.pk}_{n}"
            expected = Decimal("1.5") if name == typed else week3.load_kg
            assert Decimal(str(form[name].value())) == expected, name
            assert form[f"reps_{pe.pk}_{n}"].value() == "10"  # typed: kept


def test_a_session_can_be_corrected_keeping_its_targets(clinician_client, programme, clinician):
    session = log(programme, clinician, reps=8)
    url = reverse("programmes:session_edit", args=[session.public_id])
    assert clinician_client.get(url).status_code == 200
    data = _form_data(programme, reps="11") | {"pain_after": "4"}
    response = clinician_client.post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.pain_after == 4
    assert set(session.sets.values_list("reps_done", flat=True)) == {11}
    assert set(session.sets.values_list("target_reps", flat=True)) == {10}
    assert ExerciseSession.objects.count() == 1


def test_the_session_targets_are_the_weeks_own_repetitions(clinician_client, patient, clinician):
    programme = assign(patient, clinician, days_ago=7 * 7)  # week 8: the curl at 12.5 kg x 14
    page = clinician_client.get(reverse("programmes:session_record", args=[programme.public_id]))
    assert "Plan: 3 × 14 @ 12.5 kg" in page.content.decode()
    table = clinician_client.get(programme.get_absolute_url()).content.decode()
    assert "3 × 14 @ 12.5 kg" in table and "3 × 15 @ 12.5 kg" in table
    session = log(programme, clinician, days_ago=0)
    curl = session.sets.filter(programme_exercise__exercise__name="Hamstring curl")
    assert {(s.target_reps, s.target_load_kg) for s in curl} == {(14, D("12.5"))}
