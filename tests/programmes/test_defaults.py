import pytest

from programmes import shipped
from programmes.models import Exercise, MuscleGroup, ProgrammeTemplate
from programmes.progression import strength
from programmes.shipped import DEFAULT_TEMPLATE_NAME

pytestmark = pytest.mark.django_db


def test_the_shipped_exercises_cover_the_trials_muscle_groups_after_migrate():
    shipped = Exercise.objects.filter(clinic=None)
    groups = set(shipped.values_list("muscle_group", flat=True))
    assert {
        MuscleGroup.GLUTEALS,
        MuscleGroup.HAMSTRINGS,
        MuscleGroup.QUADRICEPS,
        MuscleGroup.ANTERIOR_TIBIALIS,
        MuscleGroup.CALVES,
    } <= groups
    names = set(shipped.values_list("name", flat=True))
    assert {
        "Hamstring curl",
        "Standing calf raise",
        "Ankle dorsiflexion against resistance",
    } <= names
    assert all(e.instructions and e.load_step_kg > 0 for e in shipped)


def test_the_shipped_template_is_the_trials_twelve_weeks_three_times_a_week():
    template = ProgrammeTemplate.objects.get(clinic=None, name=DEFAULT_TEMPLATE_NAME)
    assert (template.weeks, template.sessions_per_week) == (12, 3)
    rows = list(template.exercises.select_related("exercise"))
    assert len(rows) == 5
    assert {row.exercise.muscle_group for row in rows} == {
        "gluteals",
        "hamstrings",
        "quadriceps",
        "anterior_tibialis",
        "calves",
    }
    assert all(row.exercise.clinic_id is None for row in rows)
    assert template.description


def test_the_shipped_template_has_the_numbers_of_shipped_py_after_migrate():
    template = ProgrammeTemplate.objects.get(clinic=None, name=DEFAULT_TEMPLATE_NAME)
    assert template.description == shipped.TEMPLATE["description"]
    rows = list(template.exercises.select_related("exercise"))
    assert [row.exercise.name for row in rows] == shipped.TEMPLATE_EXERCISES
    for row in rows:
        assert {name: getattr(row, name) for name in shipped.TEMPLATE_PRESCRIPTION} == (
            shipped.TEMPLATE_PRESCRIPTION
        )


def test_the_shipped_template_is_moderate_intensity_with_two_repetitions_in_reserve():
    for row in ProgrammeTemplate.objects.get(
        clinic=None, name=DEFAULT_TEMPLATE_NAME
    ).exercises.all():
        assert 50 <= row.start_pct <= row.ceiling_pct <= 69  # ACSM moderate: 50-69 % of 1RM
        assert 40 <= row.start_pct <= 60 and 10 <= row.target_reps <= 15  # ACSM 2009 start
        assert 0 < row.increase_pct * 100 / row.start_pct <= 10  # +2-10 % at a time
        assert row.performance_increase_pct <= 10
        assert row.max_reps > row.target_reps  # double progression where the step is coarse
        for formula in ("brzycki", "epley"):
            fatigue = strength.reps_to_fatigue(row.ceiling_pct / 100, formula)
            assert fatigue - row.target_reps >= 2


def test_the_shipped_description_says_what_is_the_trials_and_what_is_the_clinics_default():
    text = ProgrammeTemplate.objects.get(clinic=None, name=DEFAULT_TEMPLATE_NAME).description
    for words in (
        "three sessions of about 40 minutes a week for 12 weeks",
        "gluteals",
        "hamstrings",
        "quadriceps",
        "anterior tibialis",
        "calves",
        "moderate",
        "a default for the clinic to review, not the trial's published dose",
    ):
        assert words in text
    assert "80 %" not in text
