"""The sessions file's rows: per patient programme per week, sessions planned and done and each
exercise's planned and heaviest used load."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Prefetch
from django.utils import timezone

from patients.models import Clinic
from programmes.models import (
    Arm,
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


def _kg(value) -> Decimal | None:
    # An aggregate comes back without the column's two decimals on some databases.
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


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
    when the programme has no exercises (control arm)."""
    today = timezone.localdate()
    exercises = ProgrammeExercise.objects.select_related("exercise").only(
        "programme_id", "order", "exercise__name"
    )
    programmes = _programmes(clinic, filters).prefetch_related(
        Prefetch("exercises", queryset=exercises.order_by("order", "pk"), to_attr="exercise_list")
    )
    # The related rows of each chunk of programmes are read in three queries (prefetch, planned
    # loads, sessions and sets), so neither the memory nor the query count grows per programme.
    for batch in _batches(programmes.iterator(chunk_size=PROGRAMME_CHUNK), PROGRAMME_CHUNK):
        ids = [p.pk for p in batch]
        planned = {
            (row.programme_exercise_id, row.week): row
            for row in PlannedLoad.objects.filter(programme_exercise__programme_id__in=ids).only(
                "programme_exercise_id", "week", "sets", "reps", "load_kg"
            )
        }
        done = defaultdict(int)
        for row in (
            ExerciseSession.objects.filter(programme_id__in=ids)
            .order_by()
            .values("programme_id", "week", "source")
            .annotate(n=Count("pk"))
        ):
            done[(row["programme_id"], row["week"], row["source"])] = row["n"]
        used = {
            (row["programme_exercise_id"], row["session__week"]): _kg(row["heaviest"])
            for row in LoggedSet.objects.filter(session__programme_id__in=ids)
            .order_by()
            .values("programme_exercise_id", "session__week")
            .annotate(heaviest=Max("load_kg"))
        }
        for programme in batch:
            yield from _programme_weeks(clinic, programme, today, planned, done, used)


def _programme_weeks(clinic, programme, today, planned, done, used):
    head = [clinic.slug, programme.patient.study_id, programme.arm, programme.number]
    per_week = 0 if programme.arm == Arm.CONTROL else programme.sessions_per_week
    for week in range(1, _weeks_begun(programme, today) + 1):
        counts = [
            per_week,
            done[(programme.pk, week, SessionSource.SUPERVISED)],
            done[(programme.pk, week, SessionSource.HOME)],
        ]
        if not programme.exercise_list:
            yield [*head, week, *counts, None, None, None, None, None, None]
        for pe in programme.exercise_list:
            plan = planned.get((pe.pk, week))
            yield [
                *head,
                week,
                *counts,
                pe.order,
                pe.exercise.name,
                plan.sets if plan else None,
                plan.reps if plan else None,
                plan.load_kg if plan else None,
                used.get((pe.pk, week)),
            ]
