"""Reads for the visits due, the home and patient panels and the printable report, each a fixed
number of queries (the visit page's own reads are in visit_page.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Q, Value, When

from patients.models import Patient, User
from programmes.models import OPEN_STATUSES, RECORDED_VISIT_FIELDS, Programme, ProgrammeStatus
from programmes.selectors import programme_page, week_dates

from . import charts, tinetti
from . import timepoints as schedule
from .models import Timepoint, Visit

# --- programmes and their schedule --------------------------------------------------------------


def open_or_latest_programme(patient: Patient) -> Programme | None:
    """The patient's open programme, else their most recent one (None if they have none)."""
    open_first = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    return (
        Programme.objects.filter(patient=patient)
        .annotate(_closed=open_first)
        .order_by("_closed", "-start_date", "-pk")
        .first()
    )


def programme_windows(programme: Programme, today: date) -> dict[str, schedule.Window]:
    """The visit windows as things stand: week 6 and week 12 move back by the days paused before
    their target day, exactly as the programme's weeks do (a pause after the week-6 visit's
    target moves only week 12); while the programme is paused, the days after it keep sliding."""
    shifts = {}
    for timepoint, day in schedule.TARGET_DAY.items():
        # The week the target falls in as the programme counts them (day 42 is the first day
        # of "week 7"), moved by the pauses that began on or before its first day.
        week = day // 7 + 1
        first, _ = week_dates(programme, week, today)
        shifts[timepoint] = (first - programme.start_date).days - (week - 1) * 7
    return schedule.windows(programme.start_date, shift_days=shifts)


def recorded_timepoints(programme: Programme) -> set[str]:
    """The scheduled visits the programme has recorded, from its has_*_visit fields (no query)."""
    return {t for t, field in RECORDED_VISIT_FIELDS.items() if getattr(programme, field)}


def programme_schedule(programme: Programme, done_timepoints, today: date) -> list[schedule.Status]:
    return schedule.statuses(programme_windows(programme, today), done_timepoints, today)


@dataclass
class DueVisit:
    programme: Programme
    status: schedule.Status

    @property
    def patient(self) -> Patient:
        return self.programme.patient

    @property
    def label(self) -> str:
        return self.status.label


@dataclass
class DueList:
    this_week: list[DueVisit] = field(default_factory=list)
    overdue: list[DueVisit] = field(default_factory=list)
    week_start: date | None = None
    week_end: date | None = None

    @property
    def count(self) -> int:
        return len(self.this_week) + len(self.overdue)

    # The rule the page states, read from the one place it lives.
    @property
    def target_days(self) -> dict[str, int]:
        return schedule.TARGET_DAY

    @property
    def half_window_days(self) -> int:
        return schedule.HALF_WINDOW_DAYS


def _may_be_due(today: date, week_start: date, week_end: date) -> Q:
    """A pre-filter in SQL on the programme row alone (its has_*_visit fields say which visits
    are recorded), so only programmes with something to do are read: those with a visit not yet
    recorded whose window could meet this week, or whose window could be over. It may let a few
    more through (pauses, a window not yet closed); timepoints.statuses then decides exactly.
    """

    def days(n):
        return timedelta(days=n)

    def missing(timepoint):
        return Q(**{RECORDED_VISIT_FIELDS[timepoint]: False})

    def meets_week(target):
        half = schedule.HALF_WINDOW_DAYS
        return Q(
            start_date__gte=week_start - days(target + half),
            start_date__lte=week_end - days(target - half),
        )

    # Pauses move week 6 and 12 later by a varying number of days: such programmes go through.
    shifted = Q(paused_days__gt=0) | Q(status=ProgrammeStatus.PAUSED)
    baseline = Q(
        start_date__gte=week_start - days(schedule.BASELINE_LAST_DAY),
        start_date__lte=week_end - days(schedule.BASELINE_LISTED_FROM_DAY),
    )
    week6, week12 = (meets_week(schedule.TARGET_DAY[t]) for t in (schedule.WEEK6, schedule.WEEK12))
    # Overdue needs the window closed and no later visit recorded: baseline and week 6 need
    # no week-6 (nor week-12) visit, week 12 its own window closed (pauses only delay that).
    baseline_closed = Q(start_date__lt=today - days(schedule.BASELINE_LAST_DAY))
    week12_closes = schedule.TARGET_DAY[schedule.WEEK12] + schedule.HALF_WINDOW_DAYS
    week12_closed = Q(start_date__lt=today - days(week12_closes))
    return (
        (baseline & missing(schedule.BASELINE))
        | ((week6 | shifted | baseline_closed) & missing(schedule.WEEK6))
        | ((week12 | shifted | week12_closed) & missing(schedule.WEEK12))
    )


def due_visits(user: User, today: date) -> DueList:
    """Scheduled visits of the clinic's open programmes due this week (Monday-Sunday) and those
    whose window has passed without the visit. One query, however many patients."""
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    result = DueList(week_start=week_start, week_end=week_end)
    if not user.is_clinic_staff:  # the rule of patients_for_user: staff see their clinic's
        return result
    programmes = (
        Programme.objects.filter(clinic_id=user.clinic_id, status__in=OPEN_STATUSES)
        .filter(_may_be_due(today, week_start, week_end))
        .select_related("patient")
        .order_by("start_date", "patient__study_id")
    )
    for programme in programmes:
        for status in programme_schedule(programme, recorded_timepoints(programme), today):
            if status.state == schedule.OVERDUE:
                result.overdue.append(DueVisit(programme, status))
            elif status.state in (schedule.DUE, schedule.UPCOMING) and status.window.overlaps(
                week_start, week_end
            ):
                result.this_week.append(DueVisit(programme, status))
    result.this_week.sort(key=lambda due: (due.status.window.target, due.patient.study_id))
    result.overdue.sort(key=lambda due: (due.status.window.closes, due.patient.study_id))
    return result


# --- a patient's visits ------------------------------------------------------------------------


def patient_visits(patient: Patient) -> list[Visit]:
    """All the patient's visits, oldest first, with what their rows show. One query."""
    return list(
        Visit.objects.filter(patient=patient)
        .select_related("programme", "assessor")
        .order_by("programme__start_date", "programme_id", "assessed_on", "created_at")
    )


@dataclass
class Change:
    delta: int
    words: str  # "within measurement error", or "" (a larger change is its number alone)


@dataclass
class VisitRow:
    visit: Visit
    score: tinetti.TinettiScore | None
    total_change: Change | None
    balance_change: int | None
    gait_change: int | None
    walk_change: int | None


def visit_rows(visits: list[Visit]) -> list[VisitRow]:
    """Each visit with its change from its programme's baseline (later minus baseline)."""
    baselines = {v.programme_id: v for v in visits if v.timepoint == Timepoint.BASELINE}
    rows = []
    for visit in visits:
        base = baselines.get(visit.programme_id)
        compare = base is not None and base.pk != visit.pk
        total_change = balance_change = gait_change = walk_change = None
        if compare and base.tinetti_total is not None and visit.tinetti_total is not None:
            delta = visit.tinetti_total - base.tinetti_total
            total_change = Change(delta, tinetti.describe_change(delta))
            balance_change = visit.tinetti_balance - base.tinetti_balance
            gait_change = visit.tinetti_gait - base.tinetti_gait
        if compare and base.walk_distance_m is not None and visit.walk_distance_m is not None:
            walk_change = visit.walk_distance_m - base.walk_distance_m
        rows.append(
            VisitRow(
                visit=visit,
                score=visit.tinetti_score,
                total_change=total_change,
                balance_change=balance_change,
                gait_change=gait_change,
                walk_change=walk_change,
            )
        )
    return rows


def previous_visit(visit: Visit) -> Visit | None:
    """The same patient's visit just before this one (for pain change), or None."""
    return (
        Visit.objects.filter(patient_id=visit.patient_id, assessed_on__lte=visit.assessed_on)
        .exclude(pk=visit.pk)
        .exclude(assessed_on=visit.assessed_on, created_at__gt=visit.created_at)
        .order_by("-assessed_on", "-created_at")
        .first()
    )


# --- the printable outcome report --------------------------------------------------------------


def patient_report(patient: Patient, today: date) -> dict:
    """One page for the patient's file or a referral: the programme and its adherence, each
    exercise's load week by week (planned and heaviest used), every visit with its change from
    baseline, and the chart. A fixed number of queries."""
    programme = open_or_latest_programme(patient)
    visits = patient_visits(patient)
    context = {
        "patient": patient,
        "age": patient.age(today),
        "today": today,
        "programme": programme,
        "rows": visit_rows(visits),
        "several_programmes": len({v.programme_id for v in visits}) > 1,
        "tinetti": tinetti,
    }
    if programme is None:
        return context
    page = programme_page(programme, today)
    used = {}
    for session in page["sessions"]:
        for logged in session.sets.all():
            key = (logged.programme_exercise_id, session.week)
            used[key] = max(used.get(key, logged.load_kg), logged.load_kg)
    exercises = page["exercises"]
    load_rows = [
        {
            "week": row["week"],
            "cells": [
                {"planned": cell, "used": used.get((pe.pk, row["week"]))}
                for pe, cell in zip(exercises, row["cells"], strict=True)
            ],
            "sessions_done": row["sessions_done"],
            "home_sessions": row["home_sessions"],
        }
        for row in page["plan_rows"]
    ]
    mine = [v for v in visits if v.programme_id == programme.pk]
    days = [(v.study_day, v) for v in mine]
    context.update(
        adherence=page["adherence"],
        exercises=exercises,
        load_rows=load_rows,
        end_date=page["end_date"],
        tinetti_chart=charts.tinetti_chart(
            [(d, v.tinetti_balance, v.tinetti_gait, v.tinetti_total) for d, v in days]
        ),
        walk_chart=charts.walk_chart([(d, v.walk_distance_m) for d, v in days]),
    )
    return context
