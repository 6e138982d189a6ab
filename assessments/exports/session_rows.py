"""The sessions file's rows: per patient programme per week, sessions planned and done and each
exercise's planned and heaviest used load.

The database builds the rows (`WEEK_ROWS_SQL`): the weeks, the sessions counted per week, the
heaviest load per exercise per week and the plan are joined and aggregated there, a chunk of
programmes at a time, and Python only writes them out. Building them per programme in Python
(a model object per planned load, the pauses read again per programme) took 15-20 s for a
5,000-patient clinic.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from patients.models import Clinic, Patient
from programmes.models import (
    Arm,
    Exercise,
    ExerciseSession,
    LoggedSet,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
    ProgrammeStatus,
    SessionSource,
)
from programmes.selectors import programme_week

from .. import outcomes
from .rows import PROGRAMME_CHUNK, _batches, _programmes

TABLES = {
    "programme": Programme._meta.db_table,
    "patient": Patient._meta.db_table,
    "programme_exercise": ProgrammeExercise._meta.db_table,
    "exercise": Exercise._meta.db_table,
    "planned_load": PlannedLoad._meta.db_table,
    "session": ExerciseSession._meta.db_table,
    "logged_set": LoggedSet._meta.db_table,
}

# The rows of the programmes in `chosen` (place in the file, programme id, its number among its
# patient's programmes, weeks begun), in the file's columns and order: one row per week begun
# and exercise, or one per week when the programme has no exercises (control arm). {chosen} is
# a VALUES list or a SELECT giving those four columns. Every value is a parameter: {chosen}'s
# own first, then `week_rows_params` (the two session sources, the clinic, the control arm).
# Runs on PostgreSQL and SQLite alike (no generate_series, no date arithmetic).
WEEK_ROWS_SQL = """
WITH RECURSIVE
chosen (place, programme_id, programme_number, weeks_begun) AS ({chosen}),
week_number (week) AS (
    SELECT 1 UNION ALL SELECT week + 1 FROM week_number WHERE week < {max_weeks}
),
done (programme_id, week, supervised, home) AS (
    SELECT s.programme_id, s.week,
        SUM(CASE WHEN s.source = %s THEN 1 ELSE 0 END),
        SUM(CASE WHEN s.source = %s THEN 1 ELSE 0 END)
    FROM {session} s JOIN chosen c ON c.programme_id = s.programme_id
    GROUP BY s.programme_id, s.week
),
used (programme_exercise_id, week, heaviest) AS (
    SELECT l.programme_exercise_id, s.week, MAX(l.load_kg)
    FROM {logged_set} l
    JOIN {session} s ON s.id = l.session_id
    JOIN chosen c ON c.programme_id = s.programme_id
    GROUP BY l.programme_exercise_id, s.week
),
planned (programme_exercise_id, week, sets, reps, load_kg) AS (
    SELECT plan.programme_exercise_id, plan.week, plan.sets, plan.reps, plan.load_kg
    FROM {planned_load} plan
    JOIN {programme_exercise} pe ON pe.id = plan.programme_exercise_id
    JOIN chosen c ON c.programme_id = pe.programme_id
)
SELECT %s, patient.study_id, p.arm, c.programme_number, w.week,
    CASE WHEN p.arm = %s THEN 0 ELSE p.sessions_per_week END,
    COALESCE(done.supervised, 0), COALESCE(done.home, 0),
    pe."order", exercise.name, planned.sets, planned.reps, planned.load_kg, used.heaviest
FROM chosen c
JOIN {programme} p ON p.id = c.programme_id
JOIN {patient} patient ON patient.id = p.patient_id
JOIN week_number w ON w.week <= c.weeks_begun
LEFT JOIN done ON done.programme_id = p.id AND done.week = w.week
LEFT JOIN {programme_exercise} pe ON pe.programme_id = p.id
LEFT JOIN {exercise} exercise ON exercise.id = pe.exercise_id
LEFT JOIN planned ON planned.programme_exercise_id = pe.id AND planned.week = w.week
LEFT JOIN used ON used.programme_exercise_id = pe.id AND used.week = w.week
ORDER BY c.place, w.week, pe."order", pe.id
"""
# Where the loads are in a row (see `_decimal_loads`).
LOAD_COLUMNS = (12, 13)


def week_rows_sql(chosen: str, max_weeks: int) -> str:
    """WEEK_ROWS_SQL for the programmes `chosen` gives; the benchmark gives one SELECT for the
    whole clinic, the export a VALUES list per chunk of programmes."""
    return WEEK_ROWS_SQL.format(chosen=chosen, max_weeks=int(max_weeks), **TABLES)


def week_rows_params(clinic: Clinic) -> list:
    """The parameters of WEEK_ROWS_SQL after {chosen}'s, in their order in the query."""
    return [SessionSource.SUPERVISED, SessionSource.HOME, clinic.slug, Arm.CONTROL]


def _kg(value) -> Decimal | None:
    # Through str, so that a float such as 2.675 stays 2.675 (Decimal(2.675) is 2.67499...).
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _weeks_begun(programme: Programme, today: date) -> int:
    """Weeks of the programme that have begun: all of them once it has ended."""
    if programme.status in (ProgrammeStatus.COMPLETED, ProgrammeStatus.WITHDRAWN):
        week = programme_week(programme, programme.ended_on or today)
    else:
        week = programme_week(programme, today)
    return min(max(week, 0), programme.weeks)


def sessions_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool = True):
    """Per patient programme per week (the weeks begun so far): sessions planned and done, and
    each exercise's planned and heaviest used load. One row per exercise, or one for the week
    when the programme has no exercises (control arm).

    Two queries per chunk of programmes: the programmes (their weeks begun are worked out here,
    pauses included, by the app's own `programme_week`), then their rows, built by the
    database. Neither the memory nor the query count grows per programme."""
    today = timezone.localdate()
    after = week_rows_params(clinic)
    sqlite = connection.vendor == "sqlite"
    programmes = _programmes(clinic, filters).iterator(chunk_size=PROGRAMME_CHUNK)
    for batch in _batches(programmes, PROGRAMME_CHUNK):
        chosen = [(place, p.pk, p.number, _weeks_begun(p, today)) for place, p in enumerate(batch)]
        chosen = [row for row in chosen if row[3] > 0]  # not begun yet: no rows
        if not chosen:
            continue
        values = "VALUES " + ", ".join(["(%s, %s, %s, %s)"] * len(chosen))
        sql = week_rows_sql(values, max(row[3] for row in chosen))
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for row in chosen for value in row] + after)
            yield from map(_decimal_loads, cursor) if sqlite else cursor


def _decimal_loads(row) -> list:
    """SQLite gives the loads back as plain numbers: as Decimals with two places, as the
    column holds them (and as PostgreSQL gives them)."""
    row = list(row)
    for index in LOAD_COLUMNS:
        row[index] = _kg(row[index])
    return row
