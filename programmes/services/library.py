"""The clinic's exercise library and programme templates (shipped rows are read-only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients.services import save_with_history

from ..models import (
    PRESCRIPTION_FIELDS,
    Exercise,
    ProgrammeTemplate,
    TemplateExercise,
    parse_weeks,
)
from ..progression import strength

# --- Exercise library and templates ------------------------------------------------------------

SHIPPED_READ_ONLY = "Shipped rows are read-only: copy it (templates) or add your own."


@transaction.atomic
def exercise_create(*, clinic, by, **fields) -> Exercise:
    return save_with_history(Exercise(clinic=clinic, **fields), by=by)


@transaction.atomic
def exercise_update(*, exercise: Exercise, by, **fields) -> Exercise:
    if exercise.is_shipped:
        raise ValidationError(SHIPPED_READ_ONLY)
    # Compared with the row as stored: a bound form has already set its values on `exercise`,
    # which would make every edit look like no change (and store nothing).
    stored = Exercise.objects.get(pk=exercise.pk)
    fields = {name: value for name, value in fields.items() if getattr(stored, name) != value}
    if not fields:
        return exercise  # nothing to store, and no history row saying something changed
    for name, value in fields.items():
        setattr(exercise, name, value)
    return save_with_history(exercise, by=by)


@transaction.atomic
def exercise_set_retired(*, exercise: Exercise, by, retired: bool) -> Exercise:
    """Retire (never delete): a retired exercise stays in the programmes that use it."""
    if exercise.is_shipped:
        raise ValidationError(SHIPPED_READ_ONLY)
    exercise.retired_on = timezone.localdate() if retired else None
    return save_with_history(exercise, by=by)


def _check_rows(template: ProgrammeTemplate, rows) -> None:
    if not rows:
        raise ValidationError("Add at least one exercise to the template.")
    for row in rows:
        exercise = row["exercise"]
        if exercise.clinic_id not in (None, template.clinic_id):
            raise ValidationError("Choose exercises from the clinic's library.")
        try:
            weeks = parse_weeks(row.get("deload_weeks", ""))
        except ValueError as error:
            raise ValidationError(f"{exercise.name}: {error}") from error
        bad = [w for w in weeks if not 2 <= w <= template.weeks]
        if bad:
            raise ValidationError(
                f"{exercise.name}: deload weeks must be between 2 and {template.weeks}."
            )
        problem = prescription_problem(row)
        if problem:
            raise ValidationError(f"{exercise.name}: {problem[1]}")


def prescription_problem(row) -> tuple[str, str] | None:
    """(field, message) when a prescription's repetition range is upside down, or its ceiling
    leaves fewer than 2 repetitions in reserve at its target repetitions by either 1RM formula
    (a template does not know which one the baseline will be estimated with); else None."""
    sets, reps = row.get("sets", 3), row.get("target_reps", 10)
    top, ceiling = row.get("max_reps", reps), row.get("ceiling_pct")
    if top < reps:
        return "max_reps", (
            f"The top of the repetition range ({top}) cannot be below the target repetitions "
            f"({reps})."
        )
    if ceiling is not None:
        problem = strength.reserve_problem(sets, reps, ceiling)
        if problem:
            return "ceiling_pct", problem
    return None


@transaction.atomic
def template_save(
    *, template: ProgrammeTemplate, by, rows, removed=(), **fields
) -> ProgrammeTemplate:
    """Create or edit a clinic's template and its exercise rows.

    rows: [{"instance": TemplateExercise or None, "exercise", and the prescription fields}].
    Programmes already assigned keep their own copy, so nothing else changes.
    """
    if template.pk and template.is_shipped:
        raise ValidationError(SHIPPED_READ_ONLY)
    if template.clinic_id is None:
        raise ValidationError("A template belongs to a clinic.")
    for name, value in fields.items():
        setattr(template, name, value)
    save_with_history(template, by=by)
    _check_rows(template, rows)
    for gone in removed:
        if gone.template_id == template.pk:
            gone._history_user = by
            gone.delete()  # a template row is configuration, not a clinical record
    for order, row in enumerate(rows, start=1):
        item = row.get("instance") or TemplateExercise(template=template)
        if item.template_id != template.pk:
            raise ValidationError("A row belongs to another template.")
        item.exercise = row["exercise"]
        for name in PRESCRIPTION_FIELDS:
            if name in row:
                setattr(item, name, row[name])
        item.order = order
        save_with_history(item, by=by)
    return template


@transaction.atomic
def template_copy(*, template: ProgrammeTemplate, clinic, by) -> ProgrammeTemplate:
    """A clinic's own editable copy (e.g. of the shipped template)."""
    if template.clinic_id not in (None, clinic.pk):
        raise ValidationError("This template is not available to the clinic.")
    copy = ProgrammeTemplate(
        clinic=clinic,
        name=f"Copy of {template.name}"[:120],
        weeks=template.weeks,
        sessions_per_week=template.sessions_per_week,
        description=template.description,
        copied_from=template,
    )
    save_with_history(copy, by=by)
    for row in template.exercises.all():
        save_with_history(
            TemplateExercise(template=copy, exercise=row.exercise, **row.prescription_values()),
            by=by,
        )
    return copy


@transaction.atomic
def template_set_retired(*, template: ProgrammeTemplate, by, retired: bool) -> ProgrammeTemplate:
    if template.is_shipped:
        raise ValidationError(SHIPPED_READ_ONLY)
    template.retired_on = timezone.localdate() if retired else None
    return save_with_history(template, by=by)
