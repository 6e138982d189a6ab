"""Assigning a programme: the template's prescription copied, the baselines, the whole plan."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from patients.models import Patient, PatientStatus
from patients.services import save_with_history

from ..models import (
    OPEN_STATUSES,
    Arm,
    ChangeKind,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
    ProgrammeTemplate,
    TemplateExercise,
    parse_weeks,
)
from ..progression import plans, strength
from ._common import _kg, _record

# --- Assigning ---------------------------------------------------------------------------------

START_WITHIN_DAYS = 366  # a start date further from today is a typing slip (a wrong year)


def check_start_date(start_date: date) -> None:
    """Refused at the field unless within a year of today: every door (the form, the demo, the
    shell) gets the same rule."""
    if abs((start_date - timezone.localdate()).days) > START_WITHIN_DAYS:
        raise ValidationError({"start_date": "The start date must be within a year of today."})


def prescribed_plan(prescription, *, one_rm, weeks: int, load_step, formula=None, kept=()) -> list:
    """The week-by-week plan a prescription (a template's row or a programme's exercise) gives
    for an estimated 1RM (by formula, or the programme exercise's own). Refused when a loaded
    exercise would be planned below its equipment's smallest step (0 kg), or when its ceiling
    leaves fewer than 2 repetitions in reserve: the assignment form asks the same, to say it at
    the test. kept: the weeks already under way, for a re-plan (plans.build_plan)."""
    name = prescription.exercise.name
    try:
        deload_weeks = dict.fromkeys(
            parse_weeks(prescription.deload_weeks), prescription.deload_pct / 100
        )
        plan = plans.build_plan(
            one_rm=one_rm,
            weeks=weeks,
            start_pct=prescription.start_pct,
            ceiling_pct=prescription.ceiling_pct,
            increase_pct=prescription.increase_pct,
            every_n_weeks=prescription.every_n_weeks,
            load_step=load_step,
            deload_weeks=deload_weeks,
            target_reps=prescription.target_reps,
            max_reps=prescription.max_reps,
            formula=formula or getattr(prescription, "formula", None) or "brzycki",
            sets=prescription.sets,
            kept=kept,
        )
    except ValueError as error:
        raise ValidationError(f"{name}: {error}") from error
    if prescription.exercise.is_loaded:
        low = plans.weeks_below_step(
            {week.week: week.load_kg for week in plan[len(kept) :]}, load_step=load_step
        )
        if low:
            raise ValidationError(
                f"{plans.below_step_message(name, load_step, low)} At this test the "
                f"estimated 1RM is {_kg(one_rm).normalize():f} kg: choose a lighter implement "
                "with a smaller step, or leave the exercise out.",
                code="below_step",
            )
    return plan


def _plan_rows(pe: ProgrammeExercise, weeks: int) -> list[PlannedLoad]:
    plan = prescribed_plan(pe, one_rm=pe.one_rm_kg, weeks=weeks, load_step=pe.load_step_kg)
    return [
        PlannedLoad(
            programme_exercise=pe,
            week=week.week,
            sets=pe.sets,
            reps=week.target_reps,
            load_kg=week.load_kg,
            intensity_pct=week.intensity_pct,
            is_deload=week.is_deload,
            too_light=week.too_light,
        )
        for week in plan
    ]


@transaction.atomic
def programme_assign(
    *,
    patient: Patient,
    template: ProgrammeTemplate,
    arm: str,
    start_date: date,
    by,
    baselines=(),
    name: str = "",
    notes: str = "",
) -> Programme:
    """Assign a template: copy its prescription, estimate each 1RM, build the whole plan.

    baselines: [{"template_exercise", "load_kg", "reps", "formula"}] for the exercises to include
    (intervention arm only; a control-arm programme has no exercises and no plan).
    """
    if patient.status != PatientStatus.ACTIVE:
        raise ValidationError("Only an active patient can start a programme.")
    if template.clinic_id not in (None, patient.clinic_id) or template.is_retired:
        raise ValidationError({"template": "Choose one of the clinic's templates in use."})
    check_start_date(start_date)
    if Programme.objects.filter(patient=patient, status__in=OPEN_STATUSES).exists():
        raise ValidationError("This patient already has an active programme.")
    programme = Programme(
        clinic_id=patient.clinic_id,
        patient=patient,
        template=template,
        name=(name or template.name).strip(),
        arm=arm,
        start_date=start_date,
        weeks=template.weeks,
        sessions_per_week=template.sessions_per_week,
        notes=notes,
        created_by=by,
    )
    try:
        with transaction.atomic():
            save_with_history(programme, by=by)
    except IntegrityError as error:  # a concurrent assignment won the race
        raise ValidationError("This patient already has an active programme.") from error

    if arm == Arm.INTERVENTION:
        if not baselines:
            raise ValidationError("Include at least one exercise with its baseline test.")
        rows = []
        for order, baseline in enumerate(baselines, start=1):
            rows += _add_exercise(programme, baseline, order=order)
        PlannedLoad.objects.bulk_create(rows)
    _record(
        programme,
        kind=ChangeKind.ASSIGNED,
        by=by,
        reason=f"Assigned from the template “{template.name}” ({programme.get_arm_display()}).",
        bump=False,
    )
    return programme


def _add_exercise(programme, baseline, *, order) -> list[PlannedLoad]:
    source: TemplateExercise = baseline["template_exercise"]
    if source.template_id != programme.template_id:
        raise ValidationError("An exercise does not belong to the chosen template.")
    name = source.exercise.name
    try:
        one_rm = strength.estimate_one_rm(
            baseline["load_kg"], baseline["reps"], baseline.get("formula") or "brzycki"
        )
    except ValueError as error:
        raise ValidationError(f"{name}: {error}") from error
    pe = ProgrammeExercise(
        programme=programme,
        exercise=source.exercise,
        **{**source.prescription_values(), "order": order},
        load_step_kg=source.exercise.load_step_kg,
        baseline_load_kg=_kg(baseline["load_kg"]),
        baseline_reps=baseline["reps"],
        formula=baseline.get("formula") or "brzycki",
        one_rm_kg=_kg(one_rm),
    )
    pe.full_clean()
    pe.save()
    return _plan_rows(pe, programme.weeks)
