from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from patients.models import PatientStatus
from programmes import services
from programmes.models import (
    ChangeKind,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
    ProgrammeStatus,
)
from tests.factories import PatientFactory, TemplateExerciseFactory
from tests.programmes.helpers import assign, loads, shipped_template

pytestmark = pytest.mark.django_db
D = Decimal


def test_assigning_copies_the_prescription_and_builds_the_whole_plan(patient, clinician):
    programme = assign(patient, clinician, load=20, reps=10)
    exercises = list(programme.exercises.select_related("exercise"))
    assert len(exercises) == 5
    curl = next(pe for pe in exercises if pe.exercise.name == "Hamstring curl")
    assert (curl.baseline_load_kg, curl.baseline_reps, curl.formula) == (D(20), 10, "brzycki")
    assert curl.one_rm_kg == D("26.67")
    assert PlannedLoad.objects.filter(programme_exercise__programme=programme).count() == 60
    # 2.5 kg plates: 50 % of 26.67 = 13.3 -> 12.5; 60 % (week 7) = 16.0 -> 15 would be +20 %:
    # the repetitions rise first (12, 14, 15), then one plate back at 10; ceiling 17.3 -> 15.
    curl = PlannedLoad.objects.filter(programme_exercise=curl).order_by("week")
    assert [(row.load_kg, row.reps) for row in curl] == [(D("12.5"), 10)] * 6 + [
        (D("12.5"), 12), (D("12.5"), 14), (D("12.5"), 15), (D("15"), 10), (D("15"), 10),
        (D("15"), 10),
    ]  # fmt: skip
    # 0.5 kg ankle weights: 13.3 -> 13.0.
    assert loads(programme, "Standing hip extension")[0] == D("13.0")
    assert programme.changes.get().kind == ChangeKind.ASSIGNED


def test_a_template_without_two_repetitions_in_reserve_is_refused_at_the_test_with_the_numbers(
    clinician_client, patient
):
    row = TemplateExerciseFactory(template__clinic=patient.clinic, ceiling_pct=80)
    response = clinician_client.post(_assign_url(patient, row.template), _post_data(row.template))
    assert response.status_code == 200
    assert (
        "3 x 10 at 80 % leaves no repetitions in reserve: at most 69 % for 10 repetitions."
        in response.content.decode()
    )
    assert not Programme.objects.filter(patient=patient).exists()


def test_epley_is_used_when_chosen(patient, clinician):
    programme = assign(patient, clinician, load=30, reps=5, formula="epley")
    assert set(programme.exercises.values_list("one_rm_kg", flat=True)) == {D("35.00")}


def test_a_control_arm_programme_has_no_exercises_and_no_plan(patient, clinician):
    programme = assign(patient, clinician, arm="control")
    assert programme.exercises.count() == 0
    assert not PlannedLoad.objects.filter(programme_exercise__programme=programme).exists()


def test_a_second_active_programme_is_refused(programme, patient, clinician):
    with pytest.raises(ValidationError, match="already has an active programme"):
        assign(patient, clinician)
    assert Programme.objects.filter(patient=patient).count() == 1


def test_the_database_refuses_a_second_active_programme_by_any_door(programme, patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            clinic=patient.clinic, patient=patient, name="x", start_date=programme.start_date
        )


def test_a_new_programme_may_follow_a_completed_one(programme, patient, clinician):
    services.programme_complete(
        programme=programme, by=clinician, reason="Done", on=timezone.localdate()
    )
    assert assign(patient, clinician).status == ProgrammeStatus.ACTIVE


def test_baseline_repetitions_over_twelve_are_refused_and_nothing_is_saved(patient, clinician):
    with pytest.raises(ValidationError, match="between 1 and 12"):
        assign(patient, clinician, reps=13)
    assert not Programme.objects.exists()
    assert not ProgrammeExercise.objects.exists()


@pytest.mark.parametrize("load", [0, -5, 501])
def test_baseline_loads_not_above_zero_or_over_500_kg_are_refused(patient, clinician, load):
    with pytest.raises(ValidationError):
        assign(patient, clinician, load=load)
    assert not Programme.objects.exists()


def test_a_withdrawn_patient_cannot_start_a_programme(clinic, clinician):
    patient = PatientFactory(
        clinic=clinic,
        status=PatientStatus.WITHDRAWN,
        withdrawal_reason="Moved",
        withdrawn_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError, match="active patient"):
        assign(patient, clinician)


def test_another_clinics_template_cannot_be_assigned(patient, clinician, other_clinic):
    foreign = TemplateExerciseFactory(template__clinic=other_clinic).template
    with pytest.raises(ValidationError):
        assign(patient, clinician, template=foreign)


def test_a_load_that_rounds_to_zero_is_refused_not_planned_as_no_added_weight(patient, clinician):
    # 1RM 1.33 kg: 50 % on 2.5 kg plates would be 0 kg (test_achievable_loads.py has the rest).
    with pytest.raises(ValidationError, match="Hamstring curl below 2.5 kg in weeks 1-12"):
        assign(patient, clinician, load=1, reps=10)
    assert not PlannedLoad.objects.exists()


# --- Through the browser ---------------------------------------------------------------------


def _assign_url(patient, template, arm="intervention"):
    url = reverse("programmes:assign", kwargs={"public_id": patient.public_id})
    return f"{url}?template={template.public_id}&arm={arm}"


def _post_data(template, *, load="20", reps="10", start=None):
    data = {"name": "Lower-limb PRE", "start_date": str(start or timezone.localdate())}
    for row in template.exercises.all():
        data |= {
            f"ex{row.pk}-include": "on",
            f"ex{row.pk}-load_kg": load,
            f"ex{row.pk}-reps": reps,
            f"ex{row.pk}-formula": "brzycki",
        }
    return data


def test_the_clinician_first_chooses_a_template_and_arm(clinician_client, patient):
    response = clinician_client.get(reverse("programmes:assign", args=[patient.public_id]))
    assert response.status_code == 200
    assert "Lower-limb PRE, 12 weeks" in response.content.decode()
    assert "Control" in response.content.decode()


def test_assigning_with_baseline_tests_builds_the_plan_shown_on_the_programme_page(
    clinician_client, patient
):
    template = shipped_template()
    page = clinician_client.get(_assign_url(patient, template))
    assert "Baseline strength tests" in page.content.decode()
    response = clinician_client.post(_assign_url(patient, template), _post_data(template))
    programme = Programme.objects.get(patient=patient)
    assert response.status_code == 302
    assert response["Location"] == programme.get_absolute_url()
    detail = clinician_client.get(programme.get_absolute_url()).content.decode()
    assert "3 × 10 @ 12.5 kg" in detail  # hamstring curl, week 1
    assert "26.67 kg (Brzycki)" in detail


def test_baseline_reps_over_twelve_show_at_the_field_and_save_nothing(clinician_client, patient):
    template = shipped_template()
    response = clinician_client.post(
        _assign_url(patient, template), _post_data(template, reps="15")
    )
    assert response.status_code == 200
    assert "Repetitions to fatigue must be 1 to 12" in response.content.decode()
    assert not Programme.objects.exists()


def test_an_absurd_baseline_load_shows_at_the_field_and_saves_nothing(clinician_client, patient):
    template = shipped_template()
    response = clinician_client.post(
        _assign_url(patient, template), _post_data(template, load="650")
    )
    assert "not plausible" in response.content.decode()
    assert not Programme.objects.exists()


def test_a_control_arm_assignment_needs_no_baseline(clinician_client, patient):
    template = shipped_template()
    url = _assign_url(patient, template, arm="control")
    response = clinician_client.post(
        url, {"name": "Control", "start_date": str(timezone.localdate())}
    )
    programme = Programme.objects.get(patient=patient)
    assert response.status_code == 302
    assert programme.arm == "control" and programme.exercises.count() == 0
    assert "Control arm" in clinician_client.get(programme.get_absolute_url()).content.decode()


def test_a_patient_with_an_active_programme_is_sent_to_it(clinician_client, programme, patient):
    response = clinician_client.get(reverse("programmes:assign", args=[patient.public_id]))
    assert response["Location"] == programme.get_absolute_url()


def test_the_patient_page_offers_to_assign_then_shows_the_programme(
    clinician_client, patient, clinician
):
    page = clinician_client.get(patient.get_absolute_url()).content.decode()
    assert "Assign a programme" in page
    programme = assign(patient, clinician, days_ago=10)
    page = clinician_client.get(patient.get_absolute_url()).content.decode()
    assert programme.get_absolute_url() in page
    assert "week 2 of 12" in page


def test_the_start_date_is_shown_as_week_one_today(clinician_client, patient, clinician):
    start = timezone.localdate() - timedelta(days=0)
    programme = assign(patient, clinician)
    assert programme.start_date == start
    assert (
        "<strong>week 1</strong>"
        in clinician_client.get(programme.get_absolute_url()).content.decode()
    )
