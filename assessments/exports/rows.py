"""Reading the clinic's data in chunks, one row of a file at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice

from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from patients.ages import age_on
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

from .. import measures, outcomes, tinetti
from .. import timepoints as schedule
from ..models import ExportKind, Visit
from .columns import LONG_MEASURES, WIDE_MEASURES, dictionary_rows

CHUNK = 2000  # rows read from the database at a time
PROGRAMME_CHUNK = 200  # programmes (with their visits or sessions) read at a time
AGE_TOP_GROUP = 90  # de-identified ages from 90 are "90+" (HIPAA Safe Harbor)

# --- reading the clinic's data ------------------------------------------------------------------


def _programme_number(prefix: str = ""):
    """The programme's number among its patient's programmes (1 = earliest start)."""
    earlier = (
        Programme.objects.filter(patient_id=OuterRef(f"{prefix}patient_id"))
        .filter(
            Q(start_date__lt=OuterRef(f"{prefix}start_date"))
            | Q(start_date=OuterRef(f"{prefix}start_date"), pk__lte=OuterRef(f"{prefix}pk"))
        )
        .order_by()
        .values("patient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(earlier)


def _age_at_start(patient, programme, deidentified: bool):
    if programme.start_date < patient.date_of_birth:
        return None
    age = age_on(patient.date_of_birth, programme.start_date)
    if deidentified and age >= AGE_TOP_GROUP:
        return f"{AGE_TOP_GROUP}+"
    return age


def study_week(day: int) -> int:
    return day // 7 + 1 if day >= 0 else 0


def _walk_pct(visit: Visit, patient) -> float | None:
    if visit.walk_distance_m is None or visit.assessed_on < patient.date_of_birth:
        return None
    return measures.walk_pct_predicted(
        visit.walk_distance_m,
        sex=patient.sex,
        age=age_on(patient.date_of_birth, visit.assessed_on),
        height_cm=float(visit.height_cm) if visit.height_cm is not None else None,
        weight_kg=float(visit.weight_kg) if visit.weight_kg is not None else None,
    )


def visit_measures(visit: Visit, patient) -> dict:
    """A visit's outcome columns by export name (derived ones computed here, never stored)."""
    values = outcomes.measure_values(
        balance=visit.tinetti_balance,
        gait=visit.tinetti_gait,
        total=visit.tinetti_total,
        walk=visit.walk_distance_m,
        stands=visit.chair_stands,
        arms_needed=visit.chair_arms_needed,
        sts=visit.sts_seconds,
        pain=visit.pain_nrs,
    )
    return {
        **values,
        # The stored total is the lines' sum (a database check holds it to that).
        "tinetti_risk": (
            tinetti.risk_band(visit.tinetti_total) if visit.tinetti_total is not None else None
        ),
        "walk6_pct_predicted": _walk_pct(visit, patient),
        "height_cm": visit.height_cm,
        "weight_kg": visit.weight_kg,
    }


# Only the patient's fields the files need: names, phone and notes are never even read.
PATIENT_FIELDS = (
    "patient__study_id",
    "patient__sex",
    "patient__aetiology",
    "patient__date_of_birth",
)


def long_visits(clinic: Clinic, filters: outcomes.OutcomeFilters):
    return (
        Visit.objects.filter(programme__in=filters.programmes(clinic))
        .select_related("patient", "programme")
        .only(
            *(f.name for f in Visit._meta.concrete_fields if f.name != "notes"),
            *PATIENT_FIELDS,
            "programme__arm",
            "programme__start_date",
            "programme__patient_id",
        )
        .annotate(programme_number=_programme_number("programme__"))
        .order_by("patient__study_id", "programme__start_date", "programme_id", "assessed_on", "pk")
    )


def long_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    for visit in long_visits(clinic, filters).iterator(chunk_size=CHUNK):
        patient, programme = visit.patient, visit.programme
        day = schedule.study_day(programme.start_date, visit.assessed_on)
        values = visit_measures(visit, patient)
        yield [
            clinic.slug,
            patient.study_id,
            programme.arm,
            visit.programme_number,
            visit.timepoint,
            study_week(day),
            day if deidentified else visit.assessed_on,
            patient.sex,
            _age_at_start(patient, programme, deidentified),
            patient.aetiology,
            *(getattr(visit, code) for code in tinetti.CODES),
            *(values[name] for name in LONG_MEASURES),
        ]


def _programmes(clinic: Clinic, filters: outcomes.OutcomeFilters):
    return (
        filters.programmes(clinic)
        .select_related("patient", "template")
        .only(
            "arm",
            "start_date",
            "status",
            "weeks",
            "sessions_per_week",
            "paused_days",
            "paused_on",
            "ended_on",
            "patient_id",
            "template__name",
            *PATIENT_FIELDS,
        )
        .annotate(number=_programme_number())
        .order_by("patient__study_id", "start_date", "pk")
    )


def wide_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    scheduled = Visit.objects.filter(timepoint__in=schedule.SCHEDULED).defer("notes")
    programmes = _programmes(clinic, filters).prefetch_related(
        Prefetch("visits", queryset=scheduled, to_attr="scheduled_visits")
    )
    # With prefetch_related, iterator() prefetches the visits of each chunk of programmes.
    for programme in programmes.iterator(chunk_size=PROGRAMME_CHUNK):
        patient = programme.patient
        visits = {v.timepoint: v for v in programme.scheduled_visits}
        values = {t: visit_measures(v, patient) for t, v in visits.items()}
        days = {
            t: schedule.study_day(programme.start_date, v.assessed_on) for t, v in visits.items()
        }
        row = [
            clinic.slug,
            patient.study_id,
            programme.arm,
            programme.number,
            programme.template.name if programme.template else "",
            programme.status,
        ]
        if not deidentified:
            row.append(programme.start_date)
        row += [patient.sex, _age_at_start(patient, programme, deidentified), patient.aetiology]
        for t in schedule.SCHEDULED:
            if t not in visits:
                row.append(None)
            else:
                row.append(days[t] if deidentified else visits[t].assessed_on)
        row += [study_week(days[t]) if t in days else None for t in schedule.SCHEDULED]
        for name in WIDE_MEASURES:
            row += [values[t][name] if t in values else None for t in schedule.SCHEDULED]
        for name in outcomes.MEASURE_NAMES:
            base = values.get(schedule.BASELINE, {}).get(name)
            for t in outcomes.CHANGE_TIMEPOINTS:
                later = values.get(t, {}).get(name)
                row.append(later - base if base is not None and later is not None else None)
        yield row


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


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


def summary_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool = True):
    yield from outcomes.clinic_results(clinic, filters).rows()


def rows_for(kind: str, clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    if kind == ExportKind.DICTIONARY:
        return dictionary_rows(deidentified)
    builder = {
        ExportKind.LONG: long_rows,
        ExportKind.WIDE: wide_rows,
        ExportKind.SUMMARY: summary_rows,
        ExportKind.SESSIONS: sessions_rows,
    }[kind]
    return builder(clinic, filters, deidentified)
