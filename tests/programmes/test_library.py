from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import PRESCRIPTION_FIELDS, Exercise, ProgrammeTemplate
from tests.factories import ExerciseFactory, TemplateExerciseFactory
from tests.programmes.helpers import assign, loads, shipped_template

pytestmark = pytest.mark.django_db


def test_an_admin_adds_an_exercise_to_the_clinics_library(admin_client_, clinic):
    response = admin_client_.post(
        reverse("programmes:exercise_add"),
        {
            "name": "Seated hip abduction",
            "muscle_group": "gluteals",
            "equipment": "resistance_band",
            "laterality": "bilateral",
            "load_step_kg": "0.5",
            "instructions": "Push your knees apart against the band.",
            "safety_cues": "",
        },
    )
    assert response.status_code == 302
    assert Exercise.objects.get(name="Seated hip abduction").clinic == clinic


def test_a_load_step_of_zero_is_refused_at_the_field(admin_client_):
    response = admin_client_.post(
        reverse("programmes:exercise_add"),
        {"name": "X", "muscle_group": "other", "equipment": "other", "laterality": "bilateral",
         "load_step_kg": "0", "instructions": "x"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Exercise.objects.filter(name="X").exists()


def test_a_shipped_exercise_cannot_be_edited_or_retired(admin_client_):
    shipped = Exercise.objects.filter(clinic=None).first()
    assert (
        admin_client_.get(reverse("programmes:exercise_edit", args=[shipped.public_id])).status_code
        == 404
    )
    response = admin_client_.post(reverse("programmes:exercise_retire", args=[shipped.public_id]))
    assert response.status_code == 404
    shipped.refresh_from_db()
    assert shipped.retired_on is None


def test_retiring_an_exercise_keeps_it_and_hides_it_from_new_templates(admin_client_, clinic):
    exercise = ExerciseFactory(clinic=clinic)
    admin_client_.post(reverse("programmes:exercise_retire", args=[exercise.public_id]))
    exercise.refresh_from_db()
    assert exercise.retired_on is not None
    page = admin_client_.get(reverse("programmes:template_add")).content.decode()
    assert f">{exercise.name}</option>" not in page
    assert ">Hamstring curl</option>" in page


def test_a_clinician_sees_the_library_but_cannot_change_it(clinician_client, clinic):
    exercise = ExerciseFactory(clinic=clinic)
    body = clinician_client.get(reverse("programmes:exercise_list")).content.decode()
    assert exercise.name in body and "Hamstring curl" in body
    assert (
        clinician_client.get(
            reverse("programmes:exercise_edit", args=[exercise.public_id])
        ).status_code
        == 403
    )


def test_copying_the_shipped_template_gives_an_editable_copy(admin_client_, clinic):
    shipped = shipped_template()
    response = admin_client_.post(reverse("programmes:template_copy", args=[shipped.public_id]))
    copy = ProgrammeTemplate.objects.get(clinic=clinic)
    assert response["Location"] == reverse("programmes:template_edit", args=[copy.public_id])
    assert copy.exercises.count() == 5 and copy.copied_from == shipped
    assert (
        admin_client_.get(reverse("programmes:template_edit", args=[shipped.public_id])).status_code
        == 404
    )


def _template_data(template, **changes):
    rows = list(template.exercises.all())
    data = {
        "name": template.name, "weeks": template.weeks,
        "sessions_per_week": template.sessions_per_week, "description": "",
        "rows-TOTAL_FORMS": len(rows) + 1, "rows-INITIAL_FORMS": len(rows),
        "rows-MIN_NUM_FORMS": 0, "rows-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for i, row in enumerate(rows):
        for name in PRESCRIPTION_FIELDS:
            data[f"rows-{i}-{name}"] = getattr(row, name)
        data[f"rows-{i}-id"] = row.pk
        data[f"rows-{i}-exercise"] = row.exercise_id
    return data | changes


def test_editing_a_template_never_changes_an_assigned_programme(
    admin_client_, clinic, patient, clinician
):
    row = TemplateExerciseFactory(template__clinic=clinic)
    template = row.template
    programme = assign(patient, clinician, template=template)
    before = loads(programme, row.exercise.name)
    response = admin_client_.post(
        reverse("programmes:template_edit", args=[template.public_id]),
        _template_data(template, **{"rows-0-start_pct": "60", "rows-0-ceiling_pct": "69"}),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.start_pct == Decimal(60)
    assert loads(programme, row.exercise.name) == before
    assert programme.exercises.get().start_pct == Decimal(50)


def test_a_ceiling_below_the_start_is_refused_at_the_field(admin_client_, clinic):
    row = TemplateExerciseFactory(template__clinic=clinic)
    response = admin_client_.post(
        reverse("programmes:template_edit", args=[row.template.public_id]),
        _template_data(row.template, **{"rows-0-start_pct": "60", "rows-0-ceiling_pct": "55"}),
    )
    assert response.status_code == 200
    assert "The ceiling cannot be below the starting intensity (60 %)." in response.content.decode()
    row.refresh_from_db()
    assert row.start_pct == Decimal(50)


def test_a_deload_week_outside_the_template_is_refused(admin_client_, clinic):
    row = TemplateExerciseFactory(template__clinic=clinic)
    response = admin_client_.post(
        reverse("programmes:template_edit", args=[row.template.public_id]),
        _template_data(row.template, **{"rows-0-deload_weeks": "4, 14"}),
    )
    assert "deload weeks must be between 2 and 12" in response.content.decode()
    row.refresh_from_db()
    assert row.deload_weeks == ""


def test_a_new_template_is_created_with_its_exercises(admin_client_, clinic):
    curl = Exercise.objects.get(clinic=None, name="Hamstring curl")
    data = {
        "name": "Twice a week", "weeks": 12, "sessions_per_week": 2, "description": "",
        "rows-TOTAL_FORMS": 1, "rows-INITIAL_FORMS": 0, "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000, "rows-0-order": 1, "rows-0-exercise": curl.pk,
        "rows-0-sets": 2, "rows-0-target_reps": 12, "rows-0-max_reps": 15, "rows-0-start_pct": 40,
        "rows-0-ceiling_pct": 60, "rows-0-increase_pct": 5, "rows-0-every_n_weeks": 3,
        "rows-0-performance_increase_pct": 5, "rows-0-deload_weeks": "6",
        "rows-0-deload_pct": 80,
    }  # fmt: skip
    response = admin_client_.post(reverse("programmes:template_add"), data)
    assert response.status_code == 302
    template = ProgrammeTemplate.objects.get(name="Twice a week")
    assert template.clinic == clinic
    assert template.exercises.get().deload_weeks == "6"


def test_a_template_cannot_be_saved_without_exercises(admin_client_):
    data = {
        "name": "Empty", "weeks": 12, "sessions_per_week": 3, "description": "",
        "rows-TOTAL_FORMS": 1, "rows-INITIAL_FORMS": 0, "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    response = admin_client_.post(reverse("programmes:template_add"), data)
    assert "Add at least one exercise" in response.content.decode()
    assert not ProgrammeTemplate.objects.filter(name="Empty").exists()


def test_a_posted_count_of_thousands_of_exercise_rows_is_refused_not_built(admin_client_):
    data = {
        "name": "Huge", "weeks": 12, "sessions_per_week": 3, "description": "",
        "rows-TOTAL_FORMS": "9" * 40, "rows-INITIAL_FORMS": 0, "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    response = admin_client_.post(reverse("programmes:template_add"), data)
    assert response.status_code == 200
    assert "A template holds at most 30 exercises." in response.content.decode()
    assert not ProgrammeTemplate.objects.filter(name="Huge").exists()


def test_a_template_row_without_two_repetitions_in_reserve_is_refused_at_the_ceiling(
    admin_client_, clinic
):
    row = TemplateExerciseFactory(template__clinic=clinic)
    response = admin_client_.post(
        reverse("programmes:template_edit", args=[row.template.public_id]),
        _template_data(row.template, **{"rows-0-ceiling_pct": "80"}),
    )
    assert response.status_code == 200
    form = response.context["rows"].forms[0]
    assert form.errors["ceiling_pct"] == [
        "3 x 10 at 80 % leaves no repetitions in reserve: at most 69 % for 10 repetitions."
    ]
    row.refresh_from_db()
    assert row.ceiling_pct == Decimal(65)


def test_a_repetition_range_whose_top_is_below_its_bottom_is_refused_at_the_field(
    admin_client_, clinic
):
    row = TemplateExerciseFactory(template__clinic=clinic)
    response = admin_client_.post(
        reverse("programmes:template_edit", args=[row.template.public_id]),
        _template_data(row.template, **{"rows-0-max_reps": "8"}),
    )
    assert response.status_code == 200
    assert response.context["rows"].forms[0].errors["max_reps"] == [
        "The top of the repetition range (8) cannot be below the target repetitions (10)."
    ]
    row.refresh_from_db()
    assert row.max_reps == 15


def test_the_service_refuses_a_ceiling_without_two_repetitions_in_reserve(clinic, clinic_admin):
    row = TemplateExerciseFactory(template__clinic=clinic)
    values = {**row.prescription_values(), "ceiling_pct": Decimal(70)}
    with pytest.raises(ValidationError, match="leaves only 1.8 repetitions in reserve"):
        services.template_save(
            template=row.template,
            by=clinic_admin,
            rows=[{"instance": row, "exercise": row.exercise, **values}],
        )
    row.refresh_from_db()
    assert row.ceiling_pct == Decimal(65)
