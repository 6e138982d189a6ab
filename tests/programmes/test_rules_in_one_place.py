"""Each rule about programme data lives in one place, and every door gets it: these tests fail if
a rule is restated somewhere with other numbers, or left out of the place that enforces it."""

import inspect
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import measures
from programmes import attention, pain, services
from programmes.forms import (
    AssignForm,
    ExerciseForm,
    PlanChangeForm,
    TemplateExerciseForm,
    TemplateForm,
)
from programmes.models import (
    LOAD_STEP_MAX_KG,
    MAX_SESSIONS_PER_WEEK,
    OPEN_STATUSES,
    PRESCRIPTION_LIMITS,
    Arm,
    ChangeKind,
    Exercise,
    PlanChange,
    Programme,
    ProgrammeStatus,
    TemplateExercise,
)
from programmes.progression import schedule
from tests.factories import ExerciseFactory, ProgrammeTemplateFactory, TemplateExerciseFactory
from tests.programmes.helpers import shipped_template

pytestmark = pytest.mark.django_db


# --- Prescription, template and load-step limits: the model's --------------------------------


@pytest.mark.parametrize("name", sorted(PRESCRIPTION_LIMITS))
def test_the_template_row_form_takes_each_limit_from_the_model(name, clinic):
    low, high = PRESCRIPTION_LIMITS[name]
    form = TemplateExerciseForm(exercises=Exercise.objects.none())
    field = form.fields[name]
    assert (field.min_value, field.max_value) == (low, high)
    assert (field.widget.attrs["min"], field.widget.attrs["max"]) == (low, high)


@pytest.mark.parametrize("name", sorted(PRESCRIPTION_LIMITS))
def test_the_database_refuses_a_prescription_beyond_each_limit(name, clinic):
    row = TemplateExerciseFactory(template__clinic=clinic)
    low, high = PRESCRIPTION_LIMITS[name]
    for value in (low - 1, high + 1):
        if value < 0:
            continue  # a positive field refuses it already
        if name == "max_reps" and value == low - 1:
            continue  # the top of the range is refused below the target repetitions first
        with pytest.raises(ValidationError) as refused:
            row.__class__(**{**_values(row), name: value}).full_clean(exclude=["template"])
        assert name in refused.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            TemplateExercise.objects.filter(pk=row.pk).update(**{name: value})


def _values(row):
    return {f.name: getattr(row, f.name) for f in row._meta.concrete_fields if f.name != "id"}


def test_a_template_length_and_sessions_per_week_are_the_models_rules(clinic):
    data = {"name": "T", "weeks": schedule.MAX_WEEKS + 1, "sessions_per_week": 3}
    form = TemplateForm(data)
    assert form.errors["weeks"] == [f"A programme lasts 1 to {schedule.MAX_WEEKS} weeks."]
    form = TemplateForm(data | {"weeks": 12, "sessions_per_week": MAX_SESSIONS_PER_WEEK + 1})
    assert form.errors["sessions_per_week"] == [
        f"Sessions per week must be between 1 and {MAX_SESSIONS_PER_WEEK}."
    ]
    assert TemplateForm(data | {"weeks": schedule.MAX_WEEKS, "sessions_per_week": 7}).is_valid()
    template = ProgrammeTemplateFactory(clinic=clinic)
    for change in ({"weeks": schedule.MAX_WEEKS + 1}, {"sessions_per_week": 8}):
        with pytest.raises(IntegrityError), transaction.atomic():
            type(template).objects.filter(pk=template.pk).update(**change)


def _exercise_data(**changes):
    data = {"name": "Band walk", "muscle_group": "gluteals", "equipment": "resistance_band"}
    data |= {"laterality": "bilateral", "load_step_kg": "0.5", "instructions": "Walk."}
    return data | changes


@pytest.mark.parametrize("step", ["0", str(LOAD_STEP_MAX_KG + 1)])
def test_a_load_step_out_of_range_is_the_models_refusal_at_the_field(step, clinic):
    form = ExerciseForm(_exercise_data(load_step_kg=step), clinic=clinic)
    assert form.errors["load_step_kg"] == [
        f"The load step is more than 0 and at most {LOAD_STEP_MAX_KG} kg."
    ]
    exercise = ExerciseFactory(clinic=clinic)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.objects.filter(pk=exercise.pk).update(load_step_kg=Decimal(step))


# --- Exercise names: one per clinic in any case, a database constraint -------------------------


def test_a_clinic_cannot_have_two_exercises_whose_names_differ_only_in_case(clinic):
    ExerciseFactory(clinic=clinic, name="Band walk")
    form = ExerciseForm(_exercise_data(name="BAND WALK"), clinic=clinic)
    assert form.errors["name"] == ["The clinic already has an exercise with this name."]
    with pytest.raises(IntegrityError), transaction.atomic():
        ExerciseFactory(clinic=clinic, name="band walk")  # the admin, the shell, an import


def test_a_name_may_repeat_in_another_clinic_or_a_shipped_exercises(clinic, other_clinic):
    ExerciseFactory(clinic=clinic, name="Band walk")
    ExerciseFactory(clinic=other_clinic, name="band walk")
    shipped = Exercise.objects.filter(clinic=None).first()
    form = ExerciseForm(_exercise_data(name=shipped.name.upper()), clinic=clinic)
    assert form.is_valid(), form.errors
    ExerciseFactory(clinic=clinic, name=shipped.name.lower())


def test_an_exercise_keeps_its_own_name_when_edited(clinic):
    exercise = ExerciseFactory(clinic=clinic, name="Band walk")
    form = ExerciseForm(_exercise_data(name="band walk"), instance=exercise, clinic=clinic)
    assert form.is_valid(), form.errors


# --- The start date: the assignment service's rule -----------------------------------------------


def test_the_service_refuses_a_start_date_more_than_a_year_away(patient, clinician):
    for days in (367, -367):
        with pytest.raises(ValidationError) as refused:
            services.programme_assign(
                patient=patient,
                template=shipped_template(),
                arm="control",
                start_date=timezone.localdate() + timedelta(days=days),
                by=clinician,
            )
        assert refused.value.message_dict["start_date"] == [
            "The start date must be within a year of today."
        ]
    assert not patient.programmes.exists()


def test_the_assign_form_shows_the_services_start_date_refusal_at_the_field():
    template = shipped_template()
    day = timezone.localdate() + timedelta(days=400)
    form = AssignForm({"name": "P", "start_date": day.isoformat()}, template=template)
    assert form.errors["start_date"] == ["The start date must be within a year of today."]


# --- Plan changes: one table keyed by ChangeKind -------------------------------------------------


def test_the_plan_change_form_offers_the_table_of_changes(programme):
    form = PlanChangeForm(programme=programme)
    offered = [value for value, _ in form.fields["change"].choices]
    assert offered == list(services.PLAN_CHANGE_KINDS)
    assert all(kind in ChangeKind.values for kind in offered)


def test_an_unknown_change_kind_is_refused_never_taken_for_a_deload(programme, clinician):
    before = PlanChange.objects.count()
    with pytest.raises(ValueError, match="not a change"):
        services.plan_change(
            kind="pause", programme=programme, programme_exercise=programme.exercises.first(),
            week=6, amount=Decimal(80), reason="r", by=clinician, version=programme.version,
        )  # fmt: skip
    assert PlanChange.objects.count() == before
    form = PlanChangeForm(
        {"change": "typo", "week": 6, "amount": "80", "reason": "r", "version": 1},
        programme=programme,
    )
    assert "change" in form.errors


# --- Pain thresholds: programmes.pain, read by the flags and the assessments --------------------


def test_the_pain_thresholds_are_defined_once():
    for module in (measures, attention):
        source = inspect.getsource(module)
        assert not re.search(r"^(?!PAIN_MAX\b)\w*PAIN\w* = \d", source, re.M), module.__name__
        assert module.PAIN_SEVERE_FROM == pain.PAIN_SEVERE_FROM
        assert module.PAIN_MEANINGFUL_CHANGE == pain.PAIN_MEANINGFUL_CHANGE


# --- Programme states: properties of Programme, not literals in templates -----------------------


@pytest.mark.parametrize("arm", [Arm.INTERVENTION, Arm.CONTROL])
@pytest.mark.parametrize("status", ProgrammeStatus.values)
def test_what_a_programme_allows_is_said_once_on_the_model(arm, status):
    programme = Programme(arm=arm, status=status)
    exercises = arm == Arm.INTERVENTION
    assert programme.is_active == (status == ProgrammeStatus.ACTIVE)
    assert programme.is_paused == (status == ProgrammeStatus.PAUSED)
    assert programme.can_record_session == (exercises and status == ProgrammeStatus.ACTIVE)
    assert programme.can_change_plan == (exercises and status in OPEN_STATUSES)


def test_no_programme_or_portal_template_compares_a_programmes_status_or_arm():
    for folder in ("programmes", "portal"):
        for path in (settings.BASE_DIR / "templates" / folder).glob("*.html"):
            found = re.findall(r"(?<!patient)\.(?:status|arm|source) *[!=]=", path.read_text())
            assert not found, f"{path.name}: use a Programme property instead of {found}"
