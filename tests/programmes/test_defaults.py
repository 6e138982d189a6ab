from decimal import Decimal

import pytest

from programmes.models import Exercise, MuscleGroup, ProgrammeTemplate
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
    first = rows[0]
    assert (first.start_pct, first.ceiling_pct, first.increase_pct, first.every_n_weeks) == (
        Decimal(50),
        Decimal(80),
        Decimal(5),
        2,
    )
