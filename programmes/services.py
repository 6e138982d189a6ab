"""Writes to programmes, plans and session logs. Views, commands and the demo call these.

Each is one transaction and validates before it writes, so a refusal saves nothing. Every change
to a programme's plan or status takes the programme row with SELECT ... FOR UPDATE, compares the
version the clinician's form was rendered with, records a PlanChange (who, when, why, which loads)
and raises the version: a concurrent edit is refused, never silently overwritten.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from patients.models import Patient, PatientStatus

from . import progression
from .models import (
    MAX_LOAD_KG,
    MAX_LOGGED_REPS,
    OPEN_STATUSES,
    PRESCRIPTION_FIELDS,
    Arm,
    ChangeKind,
    Completion,
    Exercise,
    ExerciseSession,
    LoggedSet,
    PlanChange,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
    ProgrammeStatus,
    ProgrammeTemplate,
    ReportedExercise,
    SessionSource,
    Suggestion,
    SuggestionStatus,
    TemplateExercise,
    parse_weeks,
)
from .selectors import programme_week

STALE = "This programme was changed by someone else meanwhile: review and save again."
DUPLICATE_SESSION = "duplicate_session"


def _save(obj, *, by):
    obj._history_user = by  # who made the change, also when no request is at hand
    obj.full_clean()
    obj.save()
    return obj


def _kg(value) -> Decimal:
    return Decimal(str(value)).quantize(progression.CENT)


def _lock(programme: Programme, version: int | None) -> Programme:
    locked = Programme.objects.select_for_update().select_related("patient").get(pk=programme.pk)
    if version is not None and locked.version != version:
        raise ValidationError(STALE, code="stale")
    return locked


def _record(
    programme: Programme,
    *,
    kind: str,
    by,
    reason: str,
    programme_exercise=None,
    from_week=None,
    to_week=None,
    loads=(),
    bump: bool = True,
) -> PlanChange:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the change."})
    if bump:
        programme.version += 1
        # update(), not save(): a version bump is bookkeeping, not a change worth a history row.
        Programme.objects.filter(pk=programme.pk).update(version=programme.version)
    return PlanChange.objects.create(
        programme=programme,
        kind=kind,
        programme_exercise=programme_exercise,
        from_week=from_week,
        to_week=to_week,
        loads=list(loads),
        reason=reason,
        changed_by=by,
        version=programme.version,
    )


# --- Assigning ---------------------------------------------------------------------------------


def _plan_rows(pe: ProgrammeExercise, weeks: int) -> list[PlannedLoad]:
    try:
        deload_weeks = dict.fromkeys(parse_weeks(pe.deload_weeks), pe.deload_pct / 100)
        plan = progression.build_plan(
            one_rm=pe.one_rm_kg,
            weeks=weeks,
            start_pct=pe.start_pct,
            ceiling_pct=pe.ceiling_pct,
            increase_pct=pe.increase_pct,
            every_n_weeks=pe.every_n_weeks,
            load_step=pe.load_step_kg,
            deload_weeks=deload_weeks,
        )
    except ValueError as error:
        raise ValidationError(f"{pe.exercise.name}: {error}") from error
    return [
        PlannedLoad(
            programme_exercise=pe,
            week=week.week,
            sets=pe.sets,
            reps=pe.target_reps,
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
            _save(programme, by=by)
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
        one_rm = progression.estimate_one_rm(
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


# --- Changing the plan -------------------------------------------------------------------------


def _plan_of(programme: Programme, programme_exercise: ProgrammeExercise):
    if programme.arm == Arm.CONTROL:
        raise ValidationError("A control-arm programme has no exercise plan.")
    if not programme.is_open:
        raise ValidationError(
            f"The programme is {programme.get_status_display().lower()}: its plan is closed."
        )
    if programme_exercise.programme_id != programme.pk:
        raise ValidationError({"programme_exercise": "Choose an exercise of this programme."})
    return list(programme_exercise.planned_loads.select_for_update().order_by("week"))


def _week(programme, week, field="week") -> int:
    if not isinstance(week, int) or not 1 <= week <= programme.weeks:
        raise ValidationError({field: f"Choose a week from 1 to {programme.weeks}."})
    return week


def _apply(
    programme,
    pe,
    rows,
    new_loads,
    *,
    kind,
    by,
    reason,
    from_week,
    to_week=None,
    deload=None,
    allow_no_change=False,
):
    """Write the loads that moved, with their implied intensity, and record the change."""
    moved, changed_rows = [], []
    for row, new in zip(rows, new_loads, strict=True):
        new = _kg(new)
        is_deload = row.is_deload if deload is None or row.week != from_week else deload
        if new == row.load_kg and is_deload == row.is_deload:
            continue
        moved.append({"week": row.week, "old": str(row.load_kg), "new": str(new)})
        row.load_kg = new
        row.is_deload = is_deload
        row.too_light = new == 0
        row.intensity_pct = min(new * 100 / pe.one_rm_kg, Decimal(100)).quantize(progression.CENT)
        changed_rows.append(row)
    if not moved and not allow_no_change:
        raise ValidationError(
            "This change would not move any load (it may already be at the ceiling of "
            f"{pe.ceiling_kg} kg or at zero). Nothing was saved."
        )
    PlannedLoad.objects.bulk_update(
        changed_rows, ["load_kg", "is_deload", "too_light", "intensity_pct"]
    )
    return _record(
        programme,
        kind=kind,
        by=by,
        reason=reason,
        programme_exercise=pe,
        from_week=from_week,
        to_week=to_week,
        loads=moved,
    )


def _loads(rows):
    return [row.load_kg for row in rows]


@transaction.atomic
def plan_set_load(
    *, programme, programme_exercise, week: int, load_kg, reason: str, by, version: int
) -> Programme:
    """One week's load for one exercise."""
    programme = _lock(programme, version)
    rows = _plan_of(programme, programme_exercise)
    week = _week(programme, week)
    load = Decimal(str(load_kg))
    if not 0 <= load <= MAX_LOAD_KG:
        raise ValidationError({"amount": f"A load is between 0 and {MAX_LOAD_KG} kg."})
    step, ceiling = programme_exercise.load_step_kg, programme_exercise.ceiling_kg
    if progression.round_down_to_step(load, step) != load:
        raise ValidationError(
            {"amount": f"Use a multiple of {step.normalize():f} kg, the equipment's smallest step."}
        )
    if load > ceiling:
        raise ValidationError(
            {
                "amount": f"{load.normalize():f} kg is above this exercise's ceiling of "
                f"{ceiling.normalize():f} kg ({programme_exercise.ceiling_pct.normalize():f} % "
                "of the estimated 1RM)."
            }
        )
    new = _loads(rows)
    new[week - 1] = load
    _apply(
        programme, programme_exercise, rows, new, kind=ChangeKind.SET_LOAD, by=by, reason=reason,
        from_week=week, to_week=week,
    )  # fmt: skip
    return programme


@transaction.atomic
def plan_shift_load(
    *,
    programme,
    programme_exercise,
    from_week: int,
    reason: str,
    by,
    version: int,
    delta_kg=None,
    delta_pct=None,
    to_week: int | None = None,
) -> Programme:
    """+/- X kg or X % of each week's load from week N onward (or up to to_week), capped."""
    programme = _lock(programme, version)
    rows = _plan_of(programme, programme_exercise)
    from_week = _week(programme, from_week)
    if to_week is not None:
        to_week = _week(programme, to_week, "to_week")
        if to_week < from_week:
            raise ValidationError({"to_week": "The last week cannot be before the first."})
    if delta_kg is not None and not -MAX_LOAD_KG <= Decimal(str(delta_kg)) <= MAX_LOAD_KG:
        raise ValidationError({"amount": f"A change is at most {MAX_LOAD_KG} kg either way."})
    if delta_pct is not None and not -90 <= Decimal(str(delta_pct)) <= 100:
        raise ValidationError({"amount": "A change in % is between -90 % and +100 %."})
    try:
        new = progression.apply_change(
            _loads(rows),
            from_week=from_week,
            to_week=to_week,
            delta_kg=delta_kg,
            delta_pct=delta_pct,
            load_step=programme_exercise.load_step_kg,
            ceiling_kg=programme_exercise.ceiling_kg,
        )
    except ValueError as error:
        raise ValidationError({"amount": str(error)}) from error
    kind = ChangeKind.SHIFT_KG if delta_kg is not None else ChangeKind.SHIFT_PCT
    _apply(
        programme, programme_exercise, rows, new, kind=kind, by=by, reason=reason,
        from_week=from_week, to_week=to_week or programme.weeks,
    )  # fmt: skip
    return programme


@transaction.atomic
def plan_hold_week(*, programme, programme_exercise, week: int, reason: str, by, version: int):
    """Repeat the previous week's load in this week (the patient needs more time at it)."""
    programme = _lock(programme, version)
    rows = _plan_of(programme, programme_exercise)
    if not isinstance(week, int) or not 2 <= week <= programme.weeks:
        raise ValidationError({"week": f"Choose a week from 2 to {programme.weeks} to hold."})
    new = progression.hold_week(_loads(rows), week=week)
    _apply(
        programme, programme_exercise, rows, new, kind=ChangeKind.HOLD, by=by, reason=reason,
        from_week=week, to_week=week, deload=False,
    )  # fmt: skip
    return programme


@transaction.atomic
def plan_deload_week(
    *, programme, programme_exercise, week: int, percent, reason: str, by, version: int
):
    """Make one week a lighter week: percent of the previous week's load, rounded down."""
    programme = _lock(programme, version)
    rows = _plan_of(programme, programme_exercise)
    if not isinstance(week, int) or not 2 <= week <= programme.weeks:
        raise ValidationError({"week": f"Choose a week from 2 to {programme.weeks} to deload."})
    try:
        new = progression.deload_week(
            _loads(rows),
            week=week,
            fraction=Decimal(str(percent)) / 100,
            load_step=programme_exercise.load_step_kg,
        )
    except ValueError:
        raise ValidationError(
            {"amount": "A deload week is between 1 and 99 % of the previous week's load."}
        ) from None
    _apply(
        programme, programme_exercise, rows, new, kind=ChangeKind.DELOAD, by=by, reason=reason,
        from_week=week, to_week=week, deload=True,
    )  # fmt: skip
    return programme


# --- Suggestions (the 2-for-2 rule) ------------------------------------------------------------


def _suggest_if_two_for_two(pe: ProgrammeExercise) -> Suggestion | None:
    """After a session: suggest a heavier load when the 2-for-2 rule is met for this exercise."""
    if pe.performance_increase_pct <= 0 or pe.suggestions.filter(status="pending").exists():
        return None
    sessions = ExerciseSession.objects.filter(sets__programme_exercise=pe).distinct()
    last = pe.suggestions.select_related("session").order_by("-session__date").first()
    if last is not None:
        # Sessions before the last suggestion were already judged; wait for two new ones.
        sessions = sessions.filter(date__gt=last.session.date)
    latest_two = list(sessions.order_by("-date")[: progression.TWO_FOR_TWO_SESSIONS])
    if len(latest_two) < progression.TWO_FOR_TWO_SESSIONS:
        return None
    last_sets = []
    for session in reversed(latest_two):  # oldest first
        last_set = (
            LoggedSet.objects.filter(session=session, programme_exercise=pe)
            .order_by("-set_number")
            .first()
        )
        last_sets.append(last_set)
    if not progression.two_for_two_met([(s.target_reps, s.reps_done) for s in last_sets]):
        return None
    current = last_sets[-1].load_kg
    suggested = progression.suggested_load(
        current,
        increase_pct=pe.performance_increase_pct,
        load_step=pe.load_step_kg,
        ceiling_kg=pe.ceiling_kg,
    )
    if suggested <= current:
        return None  # already at the ceiling: nothing to suggest
    return Suggestion.objects.create(
        programme_exercise=pe,
        session=latest_two[0],
        current_load_kg=current,
        increase_pct=pe.performance_increase_pct,
        suggested_load_kg=suggested,
    )


def _pending(suggestion: Suggestion) -> Suggestion:
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.PENDING:
        raise ValidationError(f"This suggestion was already {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, by, version: int, today: date | None = None):
    """Raise the load from the next session's week on; every later week moves up, capped."""
    today = today or timezone.localdate()
    pe = suggestion.programme_exercise
    programme = _lock(pe.programme, version)
    suggestion = _pending(suggestion)
    rows = _plan_of(programme, pe)
    from_week = max(programme_week(programme, today), suggestion.session.week, 1)
    if from_week > programme.weeks:
        raise ValidationError("The programme's last week has passed: there is no week to raise.")
    new = progression.accept_suggestion(
        _loads(rows),
        from_week=from_week,
        new_load=suggestion.suggested_load_kg,
        ceiling_kg=pe.ceiling_kg,
    )
    _apply(
        programme, pe, rows, new, kind=ChangeKind.SUGGESTION, by=by, reason=suggestion.message,
        from_week=from_week, to_week=programme.weeks, allow_no_change=True,
    )  # fmt: skip
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion, by, note: str = ""):
    suggestion = _pending(suggestion)
    programme = Programme.objects.get(pk=suggestion.programme_exercise.programme_id)
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.decision_note = note.strip()
    suggestion.save()
    reason = suggestion.message + (f". {suggestion.decision_note}" if note.strip() else "")
    _record(
        programme,
        kind=ChangeKind.DISMISSED,
        by=by,
        reason=reason,
        programme_exercise=suggestion.programme_exercise,
        bump=False,  # the plan did not change
    )
    return suggestion


# --- Pause, resume, complete, withdraw ---------------------------------------------------------


def _check_day(programme, on: date, *, today: date, not_before: date | None = None):
    if on > today:
        raise ValidationError({"on": "The date cannot be in the future."})
    earliest = max(programme.start_date, not_before or programme.start_date)
    if on < earliest:
        raise ValidationError({"on": f"The date cannot be before {earliest:%d %b %Y}."})


@transaction.atomic
def programme_pause(*, programme, by, reason: str, on: date, version: int | None = None):
    today = timezone.localdate()
    programme = _lock(programme, version)
    if programme.status != ProgrammeStatus.ACTIVE:
        raise ValidationError("Only an active programme can be paused.")
    _check_day(programme, on, today=today)
    last = programme.sessions.order_by("-date").values_list("date", flat=True).first()
    if last and on <= last:
        raise ValidationError({"on": f"A session is recorded on {last:%d %b %Y}: pause after it."})
    programme.status, programme.paused_on = ProgrammeStatus.PAUSED, on
    _save(programme, by=by)
    _record(programme, kind=ChangeKind.PAUSED, by=by, reason=reason, from_week=None)
    return programme


@transaction.atomic
def programme_resume(*, programme, by, reason: str, on: date, version: int | None = None):
    today = timezone.localdate()
    programme = _lock(programme, version)
    if programme.status != ProgrammeStatus.PAUSED:
        raise ValidationError("Only a paused programme can be resumed.")
    _check_day(programme, on, today=today, not_before=programme.paused_on)
    programme.paused_days += (on - programme.paused_on).days
    programme.status, programme.paused_on = ProgrammeStatus.ACTIVE, None
    _save(programme, by=by)
    _record(programme, kind=ChangeKind.RESUMED, by=by, reason=reason)
    return programme


def _end(programme, *, status, kind, by, reason, on, version):
    today = timezone.localdate()
    programme = _lock(programme, version)
    if not programme.is_open:
        raise ValidationError(f"The programme is already {programme.get_status_display().lower()}.")
    _check_day(programme, on, today=today, not_before=programme.paused_on)
    last = programme.sessions.order_by("-date").values_list("date", flat=True).first()
    if last and on < last:
        raise ValidationError({"on": f"A session is recorded on {last:%d %b %Y}: end after it."})
    if programme.status == ProgrammeStatus.PAUSED:
        programme.paused_days += (on - programme.paused_on).days
        programme.paused_on = None
    programme.status, programme.ended_on = status, on
    _save(programme, by=by)
    # Pending suggestions end with the programme: nobody is left to decide them.
    Suggestion.objects.filter(
        programme_exercise__programme=programme, status=SuggestionStatus.PENDING
    ).update(
        status=SuggestionStatus.DISMISSED,
        decided_by=by,
        decided_at=timezone.now(),
        decision_note="The programme ended.",
    )
    _record(programme, kind=kind, by=by, reason=reason)
    return programme


@transaction.atomic
def programme_complete(*, programme, by, reason: str, on: date, version: int | None = None):
    return _end(
        programme, status=ProgrammeStatus.COMPLETED, kind=ChangeKind.COMPLETED, by=by,
        reason=reason, on=on, version=version,
    )  # fmt: skip


@transaction.atomic
def programme_withdraw(*, programme, by, reason: str, on: date, version: int | None = None):
    return _end(
        programme, status=ProgrammeStatus.WITHDRAWN, kind=ChangeKind.WITHDRAWN, by=by,
        reason=reason, on=on, version=version,
    )  # fmt: skip


# --- Session logs ------------------------------------------------------------------------------


def _session_week(programme: Programme, day: date, today: date) -> int:
    """The programme week of a session date, or a refusal the clinician understands."""
    if programme.arm == Arm.CONTROL:
        raise ValidationError("A control-arm programme has no exercise sessions.")
    if day > today:
        raise ValidationError({"date": "A session cannot be dated in the future."})
    if day < programme.start_date:
        raise ValidationError(
            {"date": f"The programme starts on {programme.start_date:%d %b %Y}: "
             "a session cannot be dated before it."}
        )  # fmt: skip
    if programme.ended_on and day > programme.ended_on:
        raise ValidationError({"date": f"The programme ended on {programme.ended_on:%d %b %Y}."})
    if programme.status == ProgrammeStatus.PAUSED and day >= programme.paused_on:
        raise ValidationError(
            {"date": f"The programme is paused since {programme.paused_on:%d %b %Y}: "
             "resume it before recording a session."}
        )  # fmt: skip
    week = programme_week(programme, day)
    if week > programme.weeks:
        raise ValidationError(
            {"date": f"This date is after the programme's {programme.weeks} weeks: "
             "complete the programme instead."}
        )  # fmt: skip
    return week


def _write_sets(session: ExerciseSession, sets, *, by, keep_targets: bool) -> set:
    """Replace the session's sets; each keeps its target (copied from the plan the first time)."""
    programme = session.programme
    exercises = {pe.pk: pe for pe in programme.exercises.all()}
    plan = {
        (load.programme_exercise_id, load.week): load
        for load in PlannedLoad.objects.filter(
            programme_exercise__programme=programme, week=session.week
        )
    }
    old = {(s.programme_exercise_id, s.set_number): s for s in session.sets.all()}
    wanted, touched = [], set()
    for item in sets:
        pe = item["programme_exercise"]
        if pe.pk not in exercises:
            raise ValidationError("A set names an exercise of another programme.")
        reps, load = item["reps_done"], _kg(item["load_kg"])
        label = f"{pe.exercise.name}, set {item['set_number']}"
        if not 1 <= reps <= MAX_LOGGED_REPS:
            raise ValidationError(f"{label}: repetitions must be between 1 and {MAX_LOGGED_REPS}.")
        if not 0 <= load <= MAX_LOAD_KG:
            raise ValidationError(f"{label}: the load must be between 0 and {MAX_LOAD_KG} kg.")
        key = (pe.pk, item["set_number"])
        target = plan.get(key[:1] + (session.week,))
        logged = old.pop(key, None) or LoggedSet(
            session=session, programme_exercise=pe, set_number=item["set_number"]
        )
        if logged.pk is None or not keep_targets:
            logged.target_reps = target.reps if target else pe.target_reps
            logged.target_load_kg = target.load_kg if target else Decimal(0)
        logged.reps_done, logged.load_kg = reps, load
        logged._history_user = by
        wanted.append(logged)
        touched.add(pe.pk)
    if not wanted:
        raise ValidationError("Record at least one set done.")
    for gone in old.values():  # a set corrected away; its history row keeps what it said
        gone._history_user = by
        gone.delete()
    for logged in wanted:
        logged.full_clean(exclude=["session"])
        logged.save()
    return touched


SESSION_FIELDS = (
    "effort",
    "pain_before",
    "pain_after",
    "fall",
    "dizziness",
    "new_foot_wound",
    "other_adverse_event",
    "notes",
)


@transaction.atomic
def session_record(
    *,
    programme: Programme,
    by,
    date: date,
    sets,
    source: str = SessionSource.SUPERVISED,
    today: date | None = None,
    **fields,
) -> ExerciseSession:
    """Record a session and its sets; then check the 2-for-2 rule for each exercise done.

    sets: [{"programme_exercise", "set_number", "reps_done", "load_kg"}] for the sets done.
    """
    today = today or timezone.localdate()
    # The lock serialises this with plan changes and with a double-submitted form.
    programme = _lock(programme, None)
    week = _session_week(programme, date, today)
    if ExerciseSession.objects.filter(programme=programme, date=date, source=source).exists():
        message = f"A session on {date:%d %b %Y} is already recorded: edit it instead."
        raise ValidationError({"date": ValidationError(message, code=DUPLICATE_SESSION)})
    session = ExerciseSession(
        programme=programme, source=source, date=date, week=week, recorded_by=by, **fields
    )
    _save(session, by=by)
    touched = _write_sets(session, sets, by=by, keep_targets=False)
    for pe in programme.exercises.filter(pk__in=touched):
        _suggest_if_two_for_two(pe)
    return session


@transaction.atomic
def session_update(
    *, session: ExerciseSession, by, date: date, sets, today: date | None = None, **fields
) -> ExerciseSession:
    """Correct a recorded session. Targets stay as copied unless the date moves to another week."""
    today = today or timezone.localdate()
    programme = _lock(session.programme, None)
    session = ExerciseSession.objects.select_for_update().get(pk=session.pk)
    session.programme = programme
    week = _session_week(programme, date, today)
    if (
        ExerciseSession.objects.filter(programme=programme, date=date, source=session.source)
        .exclude(pk=session.pk)
        .exists()
    ):
        message = f"Another session on {date:%d %b %Y} is already recorded."
        raise ValidationError({"date": ValidationError(message, code=DUPLICATE_SESSION)})
    same_week = week == session.week
    session.date, session.week = date, week
    for name, value in fields.items():
        if name not in SESSION_FIELDS:
            raise TypeError(f"Unknown session field {name}")
        setattr(session, name, value)
    _save(session, by=by)
    touched = _write_sets(session, sets, by=by, keep_targets=same_week)
    for pe in programme.exercises.filter(pk__in=touched):
        _suggest_if_two_for_two(pe)
    return session


# --- Home sessions, reported by the patient ------------------------------------------------------

NOTHING_DONE = "nothing_done"


def _write_reports(session: ExerciseSession, completions: dict, *, by, keep_targets: bool) -> None:
    """One ReportedExercise per exercise of the programme, with the week's plan copied beside it.

    completions: {ProgrammeExercise or its pk: Completion value}, one for every exercise.
    """
    programme = session.programme
    exercises = {pe.pk: pe for pe in programme.exercises.select_related("exercise")}
    given = {getattr(key, "pk", key): value for key, value in completions.items()}
    if set(given) - set(exercises):
        raise ValidationError("A report names an exercise of another programme.")
    missing = [pe.exercise.name for pk, pe in exercises.items() if pk not in given]
    if missing:
        raise ValidationError(f"Say whether you did: {', '.join(missing)}.")
    if any(value not in Completion.values for value in given.values()):
        raise ValidationError("Each exercise is done, partly done or not done.")
    if all(value == Completion.NOT_DONE for value in given.values()):
        raise ValidationError(
            "Every exercise is marked as not done: there is no session to report.",
            code=NOTHING_DONE,
        )
    plan = {
        load.programme_exercise_id: load
        for load in PlannedLoad.objects.filter(
            programme_exercise__programme=programme, week=session.week
        )
    }
    old = {r.programme_exercise_id: r for r in session.reported_exercises.all()}
    for pk, pe in exercises.items():
        report = old.get(pk) or ReportedExercise(session=session, programme_exercise=pe)
        if report.pk is None or not keep_targets:
            target = plan.get(pk)
            report.target_sets = target.sets if target else pe.sets
            report.target_reps = target.reps if target else pe.target_reps
            report.target_load_kg = target.load_kg if target else Decimal(0)
        report.completion = given[pk]
        report._history_user = by
        report.full_clean(exclude=["session"])
        report.save()


HOME_FIELDS = ("effort", "pain_after", "fall", "notes")


def _check_home_fields(fields: dict) -> dict:
    unknown = set(fields) - set(HOME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown home session field(s): {sorted(unknown)}")
    for name in ("effort", "pain_after"):
        value = fields.get(name)
        if not isinstance(value, int) or not 0 <= value <= 10:
            raise ValidationError({name: "Choose a number from 0 to 10."})
    return fields


@transaction.atomic
def home_session_report(
    *,
    programme: Programme,
    by,
    date: date,
    completions: dict,
    effort: int,
    pain_after: int,
    fall: bool,
    notes: str = "",
    today: date | None = None,
) -> ExerciseSession:
    """The patient reports a session done at home: per exercise done, partly or not done.

    One report per day: a second one for the same date is refused with the code
    DUPLICATE_SESSION, so the page can offer to change the first instead. The patient's single
    pain score is stored as pain_after (they answer after exercising); a fall is an adverse event.
    """
    today = today or timezone.localdate()
    fields = _check_home_fields(
        {"effort": effort, "pain_after": pain_after, "fall": fall, "notes": notes.strip()}
    )
    programme = _lock(programme, None)
    week = _session_week(programme, date, today)
    if ExerciseSession.objects.filter(
        programme=programme, date=date, source=SessionSource.HOME
    ).exists():
        message = f"A home session on {date:%d %b %Y} is already reported: change it instead."
        raise ValidationError({"date": ValidationError(message, code=DUPLICATE_SESSION)})
    session = ExerciseSession(
        programme=programme,
        source=SessionSource.HOME,
        date=date,
        week=week,
        recorded_by=by,
        **fields,
    )
    _save(session, by=by)
    _write_reports(session, completions, by=by, keep_targets=False)
    return session


@transaction.atomic
def home_session_update(
    *,
    session: ExerciseSession,
    by,
    date: date,
    completions: dict,
    effort: int,
    pain_after: int,
    fall: bool,
    notes: str = "",
    today: date | None = None,
) -> ExerciseSession:
    """The patient changes their own home report (same rules as reporting it)."""
    today = today or timezone.localdate()
    if session.source != SessionSource.HOME:
        raise ValidationError("Only a home session can be changed here.")
    fields = _check_home_fields(
        {"effort": effort, "pain_after": pain_after, "fall": fall, "notes": notes.strip()}
    )
    programme = _lock(session.programme, None)
    session = ExerciseSession.objects.select_for_update().get(pk=session.pk)
    session.programme = programme
    week = _session_week(programme, date, today)
    if (
        ExerciseSession.objects.filter(programme=programme, date=date, source=SessionSource.HOME)
        .exclude(pk=session.pk)
        .exists()
    ):
        message = f"Another home session on {date:%d %b %Y} is already reported."
        raise ValidationError({"date": ValidationError(message, code=DUPLICATE_SESSION)})
    same_week = week == session.week
    session.date, session.week = date, week
    for name, value in fields.items():
        setattr(session, name, value)
    _save(session, by=by)
    # Targets stay as copied, unless the date moved the report into another week's plan.
    _write_reports(session, completions, by=by, keep_targets=same_week)
    return session


# --- Exercise library and templates ------------------------------------------------------------

SHIPPED_READ_ONLY = "Shipped rows are read-only: copy it (templates) or add your own."


@transaction.atomic
def exercise_create(*, clinic, by, **fields) -> Exercise:
    return _save(Exercise(clinic=clinic, **fields), by=by)


@transaction.atomic
def exercise_update(*, exercise: Exercise, by, **fields) -> Exercise:
    if exercise.is_shipped:
        raise ValidationError(SHIPPED_READ_ONLY)
    for name, value in fields.items():
        setattr(exercise, name, value)
    return _save(exercise, by=by)


@transaction.atomic
def exercise_set_retired(*, exercise: Exercise, by, retired: bool) -> Exercise:
    """Retire (never delete): a retired exercise stays in the programmes that use it."""
    if exercise.is_shipped:
        raise ValidationError(SHIPPED_READ_ONLY)
    exercise.retired_on = timezone.localdate() if retired else None
    return _save(exercise, by=by)


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
    _save(template, by=by)
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
        _save(item, by=by)
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
    _save(copy, by=by)
    for row in template.exercises.all():
        _save(
            TemplateExercise(template=copy, exercise=row.exercise, **row.prescription_values()),
            by=by,
        )
    return copy


@transaction.atomic
def template_set_retired(*, template: ProgrammeTemplate, by, retired: bool) -> ProgrammeTemplate:
    if template.is_shipped:
        raise ValidationError(SHIPPED_READ_ONLY)
    template.retired_on = timezone.localdate() if retired else None
    return _save(template, by=by)
