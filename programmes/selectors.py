"""Reads for the programme pages, the home page and other apps, each a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils import timezone

from patients.selectors import UserRow

from .attention import FLAG_DAYS_WITHOUT_SESSION, SessionRow, chronological, flag_reasons
from .models import (
    OPEN_STATUSES,
    Arm,
    Completion,
    ExerciseSession,
    LoggedSet,
    PlanChange,
    PlannedLoad,
    Programme,
    ProgrammeStatus,
    ReportedExercise,
    Suggestion,
    SuggestionStatus,
)
from .progression import schedule


def current_programme(patient) -> Programme | None:
    """The patient's active or paused programme, if any (there is at most one)."""
    return patient.programmes.filter(status__in=OPEN_STATUSES).first()


def programme_week(programme: Programme, on_date: date) -> int:
    """Programme week (1-based) of a date; 0 before the start; pauses push later weeks on.

    During a pause the week stands still. The result may exceed programme.weeks after the end.
    """
    paused = schedule.paused_days_before(on_date, programme.pause_spans, programme.open_pause_from)
    return schedule.week_number(programme.start_date, on_date, paused)


def programme_end_date(programme: Programme) -> date:
    """The last day of the final week as things stand (a longer pause moves it later)."""
    today = timezone.localdate()
    paused = programme.paused_days
    if programme.status == ProgrammeStatus.PAUSED and programme.paused_on:
        paused += max((today - programme.paused_on).days, 0)
    return programme.start_date + timedelta(days=programme.weeks * 7 + paused - 1)


def highlighted_week(programme: Programme, today: date) -> int | None:
    """The week to highlight in the plan: None before the start, after the end or once ended."""
    if not programme.is_open:
        return None
    week = programme_week(programme, today)
    return week if 1 <= week <= programme.weeks else None


def adherence(programme: Programme, done_by_week: dict[int, int], today: date) -> dict:
    """Sessions done / sessions planned to date.

    "To date" counts the weeks that have ended (all of them once the programme has ended);
    the current week is shown on its own, so a Monday does not look like poor adherence.
    """
    if programme.is_open:
        week = programme_week(programme, today)
        weeks_ended = min(max(week - 1, 0), programme.weeks)
    else:
        week = programme_week(programme, programme.ended_on or today)
        weeks_ended = min(max(week, 0), programme.weeks)
    planned = weeks_ended * programme.sessions_per_week
    done = sum(n for w, n in done_by_week.items() if w <= weeks_ended)
    this_week = None
    if programme.is_open and 1 <= week <= programme.weeks:
        this_week = {"week": week, "done": done_by_week.get(week, 0)}
    return {
        "done": done,
        "planned": planned,
        "percent": round(100 * done / planned) if planned else None,
        "this_week": this_week,
        "total": sum(done_by_week.values()),
        "sessions_per_week": programme.sessions_per_week,
        "not_started": programme.is_open and week < 1,
    }


def _average(values):
    return round(sum(values) / len(values), 1) if values else None


SESSIONS_PER_PAGE = 10  # the programme page shows this many sessions in full, newest first


def _session_details(sessions, exercises) -> None:
    """Each session's sets and home report, for the sessions shown in full (2 queries).

    The sets take their exercise from `exercises` (already read) rather than a join per set,
    and are grouped by exercise here: session.set_groups = [(programme exercise, [sets])].
    """
    by_id = {pe.pk: pe for pe in exercises}
    prefetch_related_objects(
        sessions,
        Prefetch("sets", queryset=LoggedSet.objects.order_by("set_number")),
        "reported_exercises",
    )
    for session in sessions:
        groups = defaultdict(list)
        for logged in session.sets.all():
            logged.programme_exercise = by_id[logged.programme_exercise_id]
            groups[logged.programme_exercise_id].append(logged)
        session.set_groups = [(pe, groups[pe.pk]) for pe in exercises if pe.pk in groups]
        for reported in session.reported_exercises.all():
            reported.programme_exercise = by_id[reported.programme_exercise_id]


_RECORDED_BY = ("first_name", "last_name", "username")
SESSION_FIELDS = tuple(field.attname for field in ExerciseSession._meta.concrete_fields)


def _session_rows(programme: Programme) -> list[SessionRow]:
    """The programme's sessions, newest first, as plain rows with who recorded them (1 query):
    a long programme's sessions are many, and a model instance each cost the page most."""
    rows = []
    names = [f"recorded_by__{name}" for name in _RECORDED_BY]
    for row in programme.sessions.values(*SESSION_FIELDS, *names):
        names_of = {name: row.pop(f"recorded_by__{name}") for name in _RECORDED_BY}
        row["recorded_by"] = UserRow(**names_of) if row["recorded_by_id"] else None
        rows.append(SessionRow(**row))
    return rows


class ChangeRow(SimpleNamespace):
    """A plan change as read by values(), with its kind's label and its exercise."""

    def get_kind_display(self) -> str:
        return _CHANGE_KINDS.get(self.kind, self.kind)


_CHANGE_KINDS = dict(PlanChange._meta.get_field("kind").flatchoices)


def _change_rows(programme: Programme, exercises) -> list[ChangeRow]:
    """The history of the plan, newest first (1 query): the exercises come from `exercises`,
    already read, and the rows are plain values, not model instances."""
    by_id = {pe.pk: pe for pe in exercises}
    names = [f"changed_by__{name}" for name in _RECORDED_BY]
    fields = ("changed_at", "kind", "from_week", "to_week", "loads", "reason")
    rows = []
    for row in programme.changes.values(*fields, "programme_exercise_id", "changed_by_id", *names):
        names_of = {name: row.pop(f"changed_by__{name}") for name in _RECORDED_BY}
        row["changed_by"] = UserRow(**names_of) if row["changed_by_id"] else None
        row["programme_exercise"] = by_id.get(row["programme_exercise_id"])
        rows.append(ChangeRow(**row))
    return rows


def _session_lines(sessions, exercises) -> None:
    """What the sessions table shows of each session's sets and home report (2 queries), read
    as plain rows rather than model instances (a page of sessions holds a hundred sets):
    session.set_groups = [(programme exercise, [sets])], session.reported = [reports]."""
    by_id = {pe.pk: pe for pe in exercises}
    ids = [session.pk for session in sessions]
    sets = defaultdict(lambda: defaultdict(list))
    for row in (
        LoggedSet.objects.filter(session__in=ids)
        .order_by("set_number")
        .values("reps_done", "load_kg", "target_load_kg", *_ROW_KEYS)
    ):
        sets[row["session_id"]][row["programme_exercise_id"]].append(SimpleNamespace(**row))
    reported = defaultdict(list)
    for row in (
        ReportedExercise.objects.filter(session__in=ids)
        .order_by("programme_exercise__order", "programme_exercise_id")
        .values("completion", "target_sets", "target_load_kg", *_ROW_KEYS)
    ):
        row["completion_label"] = Completion(row["completion"]).label
        row["programme_exercise"] = by_id[row["programme_exercise_id"]]
        reported[row["session_id"]].append(SimpleNamespace(**row))
    for session in sessions:
        groups = sets[session.pk]
        session.set_groups = [(pe, groups[pe.pk]) for pe in exercises if pe.pk in groups]
        session.reported = reported[session.pk]


_ROW_KEYS = ("session_id", "programme_exercise_id", "target_reps")


@dataclass(frozen=True)
class PlanCell:
    """One planned load as the pages show it: plain values (patients.kept_fragments keeps the
    plan table by them), read without building a model instance per cell."""

    programme_exercise_id: int
    week: int
    sets: int
    reps: int
    load_kg: Decimal
    is_deload: bool
    too_light: bool


def plan_cells(programme: Programme) -> dict[tuple[int, int], PlanCell]:
    """{(programme exercise pk, week): its planned load}, the whole plan (1 query)."""
    rows = PlannedLoad.objects.filter(programme_exercise__programme_id=programme.pk).values_list(
        *(field.name for field in fields(PlanCell))
    )
    return {(row[0], row[1]): PlanCell(*row) for row in rows}


def programme_page(programme: Programme, today: date, sessions_page=None) -> dict:
    """Everything the programme page shows, in a fixed number of queries.

    sessions_page: a page number: only that page of sessions (newest first) gets its sets
    read, so a long programme costs the page the same as a short one; None: every session's.
    """
    exercises = list(programme.exercises.select_related("exercise").prefetch_related("retests"))
    cells = plan_cells(programme)
    page = None
    if sessions_page is None:
        sessions = list(programme.sessions.select_related("recorded_by"))
        _session_details(sessions, exercises)
    else:
        sessions = _session_rows(programme)
        page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(sessions_page)
        _session_lines(page.object_list, exercises)
    suggestions = list(
        Suggestion.objects.filter(
            programme_exercise__programme=programme, status=SuggestionStatus.PENDING
        ).select_related("programme_exercise__exercise")
    )
    changes = _change_rows(programme, exercises)

    current = highlighted_week(programme, today)
    by_week = defaultdict(list)
    for session in sessions:
        by_week[session.week].append(session)
    rows = []
    for week in range(1, programme.weeks + 1):
        in_week = by_week.get(week, [])
        rows.append(
            {
                "week": week,
                "is_current": week == current,
                "cells": [cells.get((pe.pk, week)) for pe in exercises],
                "sessions_done": len(in_week),
                "home_sessions": sum(s.is_home for s in in_week),
                # Home reports give one score (after); "before" averages the clinic's only.
                "pain_before": _average([s.pain_before for s in in_week if not s.is_home]),
                "pain_after": _average([s.pain_after for s in in_week]),
            }
        )
    done_by_week = {week: len(items) for week, items in by_week.items()}
    programme.last_session = max((s.date for s in sessions), default=None)
    flags = []
    if programme.status == ProgrammeStatus.ACTIVE and programme.arm == Arm.INTERVENTION:
        window = today - timedelta(days=2 * FLAG_DAYS_WITHOUT_SESSION)
        recent = sorted((s for s in sessions if window <= s.date <= today), key=chronological)
        flags = flag_reasons(programme, recent, today)
    return {
        "exercises": exercises,
        "plan_rows": rows,
        "current_week": current,
        "week_today": programme_week(programme, today),
        "end_date": programme_end_date(programme),
        "sessions": sessions,
        "sessions_page": page,
        "suggestions": suggestions,
        "changes": changes,
        "adherence": adherence(programme, done_by_week, today),
        "too_light": any(cell.too_light for cell in cells.values()),
        "flags": flags,
        "home_count": sum(s.is_home for s in sessions),
    }


def week_plan(programme: Programme, week: int) -> list[PlannedLoad]:
    """One week's plan, exercise by exercise with its instructions (1 query)."""
    return list(
        PlannedLoad.objects.filter(programme_exercise__programme=programme, week=week)
        .select_related("programme_exercise__exercise")
        .order_by("programme_exercise__order", "programme_exercise_id")
    )


def whole_plan(programme: Programme) -> dict:
    """Every week's loads, for the whole-programme handout (2 queries)."""
    exercises = list(
        programme.exercises.select_related("exercise").prefetch_related(
            Prefetch("planned_loads", queryset=PlannedLoad.objects.order_by("week"))
        )
    )
    cells = {(pe.pk, load.week): load for pe in exercises for load in pe.planned_loads.all()}
    rows = [
        {"week": week, "cells": [cells.get((pe.pk, week)) for pe in exercises]}
        for week in range(1, programme.weeks + 1)
    ]
    return {"exercises": exercises, "plan_rows": rows}


def week_sheet(programme: Programme, week: int, today: date) -> dict:
    """The printed weekly sheet: the week's plan, its dates and a row per planned session."""
    first, last = week_dates(programme, week, today)
    return {
        "programme": programme,
        "week": week,
        "first_day": first,
        "last_day": last,
        "plan": week_plan(programme, week),
        "session_numbers": range(1, programme.sessions_per_week + 1),
        "pain_scale": range(11),
    }


def clamp_week(programme: Programme, week: int) -> int:
    return min(max(week, 1), programme.weeks)


def week_dates(programme: Programme, week: int, today: date) -> tuple[date, date]:
    """First and last day of a programme week as things stand (pauses move later weeks)."""
    first = schedule.week_start(
        programme.start_date, week, programme.pause_spans, programme.open_pause_from, today
    )
    return first, first + timedelta(days=6)


# --- Which week's targets a session is shown with ----------------------------------------------


def targets_week(programme: Programme, day: date) -> int:
    """The programme week whose targets a session on ``day`` is shown with: the week of the day,
    or the first or last week for a day before or after the programme."""
    return min(max(programme_week(programme, day), 1), programme.weeks)


def other_targets_week(programme: Programme, day: date, shown: int, today: date) -> int | None:
    """The week a session dated ``day`` belongs to when its targets are not those of the week
    ``shown``; None when they are, or when the date is the service's to refuse (outside the
    programme, or in the future)."""
    week = programme_week(programme, day)
    if 1 <= week <= programme.weeks and day <= today and week != shown:
        return week
    return None


def week_targets(programme: Programme, week: int) -> dict[int, PlannedLoad]:
    """{programme exercise pk: its planned load} for one week of the plan."""
    rows = PlannedLoad.objects.filter(programme_exercise__programme=programme, week=week)
    return {load.programme_exercise_id: load for load in rows}


def clinic_pending_suggestions(user):
    if not user.is_clinic_staff:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.filter(
            status=SuggestionStatus.PENDING,
            programme_exercise__programme__clinic_id=user.clinic_id,
            programme_exercise__programme__status=ProgrammeStatus.ACTIVE,
        )
        .select_related("programme_exercise__exercise", "programme_exercise__programme__patient")
        .order_by("programme_exercise__programme__patient__study_id", "created_at")
    )


def patient_programmes(patient, today: date) -> dict:
    """The patient page's panel: the current programme's summary and the past ones."""
    programmes = list(patient.programmes.select_related("template").order_by("-start_date", "-pk"))
    current = next((p for p in programmes if p.is_open), None)
    summary = None
    if current is not None:
        done_by_week = dict(
            current.sessions.values_list("week").annotate(n=Count("id")).order_by("week")
        )
        summary = {
            "week": programme_week(current, today),
            "adherence": adherence(current, done_by_week, today),
            "pending_suggestions": Suggestion.objects.filter(
                programme_exercise__programme=current, status=SuggestionStatus.PENDING
            ).count(),
            "end_date": programme_end_date(current),
        }
    return {
        "current": current,
        # What the assessment panel follows: the open programme, else the most recent one
        # (the rule of assessments.selectors.open_or_latest_programme, from the rows read here).
        "followed": current or (programmes[0] if programmes else None),
        "summary": summary,
        "past": [p for p in programmes if p is not current],
    }
