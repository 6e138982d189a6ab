"""Sessions: supervised ones logged set by set, and home ones reported by the patient."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients.services import save_with_history

from ..attention import attention_summary
from ..models import (
    MAX_LOAD_KG,
    MAX_LOGGED_REPS,
    Arm,
    Completion,
    ExerciseSession,
    LoggedSet,
    PlannedLoad,
    Programme,
    ProgrammeStatus,
    ReportedExercise,
    SessionSource,
)
from ..selectors import programme_week
from ._common import DUPLICATE_SESSION, _kg, _lock
from .suggestions import _suggest_if_two_for_two

# --- Session logs ------------------------------------------------------------------------------

SUMMARY_INPUTS = ("date", "week", "pain_before", "pain_after", "fall", "dizziness",
                  "new_foot_wound", "other_adverse_event")  # fmt: skip


def _refresh_attention(programme: Programme) -> None:
    """Keep the programme's flag fields (attention.attention_summary) true to its sessions.

    Called by every service that records or changes a session, under the programme's row lock.
    update(), not save(): derived bookkeeping, not a change worth a history row.
    """
    summary = attention_summary(programme.sessions.only(*SUMMARY_INPUTS))
    Programme.objects.filter(pk=programme.pk).update(**summary)
    for name, value in summary.items():
        setattr(programme, name, value)


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
    save_with_history(session, by=by)
    touched = _write_sets(session, sets, by=by, keep_targets=False)
    for pe in programme.exercises.filter(pk__in=touched):
        _suggest_if_two_for_two(pe)
    _refresh_attention(programme)
    return session


def _move_session(session, day: date, today: date, fields: dict, *, by, duplicate: str):
    """Save a corrected session under the programme's lock: its new date (one session per
    programme, day and source) and fields. Returns (session, programme, still in the same week)."""
    programme = _lock(session.programme, None)
    session = ExerciseSession.objects.select_for_update().get(pk=session.pk)
    session.programme = programme
    week = _session_week(programme, day, today)
    if (
        ExerciseSession.objects.filter(programme=programme, date=day, source=session.source)
        .exclude(pk=session.pk)
        .exists()
    ):
        raise ValidationError({"date": ValidationError(duplicate, code=DUPLICATE_SESSION)})
    same_week = week == session.week
    session.date, session.week = day, week
    for name, value in fields.items():
        setattr(session, name, value)
    save_with_history(session, by=by)
    return session, programme, same_week


@transaction.atomic
def session_update(
    *, session: ExerciseSession, by, date: date, sets, today: date | None = None, **fields
) -> ExerciseSession:
    """Correct a recorded session. Targets stay as copied unless the date moves to another week."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields {sorted(unknown)}")
    session, programme, same_week = _move_session(
        session, date, today or timezone.localdate(), fields, by=by,
        duplicate=f"Another session on {date:%d %b %Y} is already recorded.",
    )  # fmt: skip
    touched = _write_sets(session, sets, by=by, keep_targets=same_week)
    for pe in programme.exercises.filter(pk__in=touched):
        _suggest_if_two_for_two(pe)
    _refresh_attention(programme)
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
    save_with_history(session, by=by)
    _write_reports(session, completions, by=by, keep_targets=False)
    _refresh_attention(programme)
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
    session, programme, same_week = _move_session(
        session, date, today, fields, by=by,
        duplicate=f"Another home session on {date:%d %b %Y} is already reported.",
    )  # fmt: skip
    # Targets stay as copied, unless the date moved the report into another week's plan.
    _write_reports(session, completions, by=by, keep_targets=same_week)
    _refresh_attention(programme)
    return session
