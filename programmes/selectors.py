"""Reads for the programme pages, the home page and other apps, each a fixed number of queries."""

from collections import defaultdict
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Prefetch, Q, Value, When, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone

from . import progression
from .models import (
    OPEN_STATUSES,
    SESSION_SUMMARY_FIELDS,
    Arm,
    ExerciseSession,
    LoggedSet,
    PlannedLoad,
    Programme,
    ProgrammeStatus,
    SessionSource,
    Suggestion,
    SuggestionStatus,
)

FLAG_PAIN = 7  # DOMAIN.md 4: pain 7 or more ...
FLAG_PAIN_RISE = 2  # ... or rising by 2 or more points
FLAG_DAYS_WITHOUT_SESSION = 7


def current_programme(patient) -> Programme | None:
    """The patient's active or paused programme, if any (there is at most one)."""
    return patient.programmes.filter(status__in=OPEN_STATUSES).first()


def programme_week(programme: Programme, on_date: date) -> int:
    """Programme week (1-based) of a date; 0 before the start; pauses push later weeks on.

    During a pause the week stands still. The result may exceed programme.weeks after the end.
    """
    paused = progression.paused_days_before(
        on_date, programme.pause_spans, programme.open_pause_from
    )
    return progression.week_number(programme.start_date, on_date, paused)


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


def programme_page(programme: Programme, today: date, sessions_page=None) -> dict:
    """Everything the programme page shows, in a fixed number of queries.

    sessions_page: a page number: only that page of sessions (newest first) gets its sets
    read, so a long programme costs the page the same as a short one; None: every session's.
    """
    exercises = list(
        programme.exercises.select_related("exercise").prefetch_related(
            Prefetch("planned_loads", queryset=PlannedLoad.objects.order_by("week"))
        )
    )
    sessions = list(programme.sessions.select_related("recorded_by"))
    page = None
    if sessions_page is None:
        _session_details(sessions, exercises)
    else:
        page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(sessions_page)
        _session_details(page.object_list, exercises)
    suggestions = list(
        Suggestion.objects.filter(
            programme_exercise__programme=programme, status=SuggestionStatus.PENDING
        ).select_related("programme_exercise__exercise")
    )
    changes = list(programme.changes.select_related("changed_by", "programme_exercise__exercise"))

    current = highlighted_week(programme, today)
    by_week = defaultdict(list)
    for session in sessions:
        by_week[session.week].append(session)
    cells = {(pe.pk, load.week): load for pe in exercises for load in pe.planned_loads.all()}
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
        recent = sorted((s for s in sessions if window <= s.date <= today), key=_chronological)
        flags = _flags_for(programme, recent, today)
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


def _chronological(session):
    return (session.date, session.pk)


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
    first = progression.week_start(
        programme.start_date, week, programme.pause_spans, programme.open_pause_from, today
    )
    return first, first + timedelta(days=6)


def planned_load_for(programme_exercise, week: int) -> PlannedLoad | None:
    return programme_exercise.planned_loads.filter(week=week).first()


def _day(day: date) -> str:
    return dateformat.format(day, "j M")


def _peak(session) -> int:
    return session.pain_peak


def _flags_for(programme, sessions, today) -> list[str]:
    """Why a programme needs attention; sessions in date order, home reports included."""
    reasons = []
    week_ago = today - timedelta(days=FLAG_DAYS_WITHOUT_SESSION - 1)
    recent = [s for s in sessions if s.date >= week_ago]
    for s in recent:
        day = _day(s.date) + (" (reported from home)" if s.source == SessionSource.HOME else "")
        if _peak(s) >= FLAG_PAIN:
            reasons.append(f"Pain {_peak(s)}/10 on {day}")
        if s.pain_change is not None and s.pain_change >= FLAG_PAIN_RISE:
            reasons.append(
                f"Pain rose from {s.pain_before} to {s.pain_after} during the session on {day}"
            )
        if s.adverse_events:
            reasons.append(f"Adverse event on {day}: {', '.join(s.adverse_events)}")
    if recent:
        latest = recent[-1]
        last_week = [s for s in sessions if s.week == latest.week - 1]
        if last_week and _peak(latest) - _peak(last_week[-1]) >= FLAG_PAIN_RISE:
            reasons.append(
                f"Pain up from {_peak(last_week[-1])} last week to {_peak(latest)} on "
                f"{_day(latest.date)}"
            )
    since = programme.last_session or programme.start_date
    days = (today - since).days
    if programme.start_date <= today - timedelta(days=FLAG_DAYS_WITHOUT_SESSION) and (
        days >= FLAG_DAYS_WITHOUT_SESSION
    ):
        what = "since the start" if programme.last_session is None else f"for {days} days"
        reasons.append(f"No session logged {what}")
    return reasons


def _alerts_on_its_own(session) -> bool:
    """A session flagged whatever came before it: pain 7+, pain rising 2+ during it, an event."""
    return (
        _peak(session) >= FLAG_PAIN
        or (session.pain_change is not None and session.pain_change >= FLAG_PAIN_RISE)
        or bool(session.adverse_events)
    )


def attention_summary(sessions) -> dict:
    """The Programme fields the flags query reads, from all its sessions (any order).

    - last_session_on: the latest session's date ("no session for 7 days");
    - alert_session_on: the latest session that is flagged on its own (see _alerts_on_its_own);
    - pain_up_on / pain_up_since_on: when the latest session's pain is 2+ above that of the
      latest session of the week before, the dates of those two sessions ("up from last week").

    _flags_for gives the same answers from the sessions themselves; a test holds them together.
    """
    ordered = sorted(sessions, key=_chronological)
    summary = dict.fromkeys(SESSION_SUMMARY_FIELDS)
    if not ordered:
        return summary
    latest = ordered[-1]
    summary["last_session_on"] = latest.date
    summary["alert_session_on"] = max(
        (s.date for s in ordered if _alerts_on_its_own(s)), default=None
    )
    last_week = [s for s in ordered if s.week == latest.week - 1]
    if last_week and _peak(latest) - _peak(last_week[-1]) >= FLAG_PAIN_RISE:
        summary["pain_up_on"], summary["pain_up_since_on"] = latest.date, last_week[-1].date
    return summary


def _attention_rules(today: date) -> dict:
    """The flags of _flags_for as conditions on the summary fields, with an order of urgency."""
    week_ago = today - timedelta(days=FLAG_DAYS_WITHOUT_SESSION - 1)
    window = today - timedelta(days=2 * FLAG_DAYS_WITHOUT_SESSION)
    idle_since = today - timedelta(days=FLAG_DAYS_WITHOUT_SESSION)
    alert = Q(alert_session_on__gte=week_ago, alert_session_on__lte=today)
    pain_up = Q(pain_up_on__gte=week_ago, pain_up_on__lte=today, pain_up_since_on__gte=window)
    idle = Q(start_date__lte=idle_since) & (
        Q(last_session_on__isnull=True) | Q(last_session_on__lte=idle_since)
    )
    return {"alert": alert, "pain_up": pain_up, "idle": idle}


def attention_programmes(user, today: date):
    """The clinic's active exercise programmes with a flag, most urgent first: adverse events
    and pain (latest first), then pain up from last week, then the longest without a session.

    One query on the programme table (the summary fields) and one for the patients of the rows
    kept; paginate or slice it, then give the rows to flags_for_programmes for the reasons.
    """
    if not user.is_clinic_staff:
        return Programme.objects.none()
    rules = _attention_rules(today)
    return (
        Programme.objects.filter(
            clinic_id=user.clinic_id, status=ProgrammeStatus.ACTIVE, arm=Arm.INTERVENTION
        )
        .filter(rules["alert"] | rules["pain_up"] | rules["idle"])
        # Patients read afterwards for the rows kept: a join first would make the database
        # pair every flagged programme with its patient before sorting them.
        .prefetch_related("patient")
        .annotate(
            _urgency=Case(
                When(rules["alert"], then=Value(0)),
                When(rules["pain_up"], then=Value(1)),
                default=Value(2),
            ),
            _flagged_on=Case(
                When(rules["alert"], then=F("alert_session_on")),
                When(rules["pain_up"], then=F("pain_up_on")),
                default=None,
            ),
            _idle_since=Coalesce("last_session_on", "start_date"),
        )
        .order_by(
            "_urgency",
            F("_flagged_on").desc(nulls_last=True),
            "_idle_since",
            "pk",  # not the study ID: sorting on the programme row alone keeps it quick
        )
    )


def flags_for_programmes(programmes, today: date) -> list[dict]:
    """The reasons of each programme's flags, from its last two weeks' sessions (1 query)."""
    programmes = list(programmes)
    window = today - timedelta(days=2 * FLAG_DAYS_WITHOUT_SESSION)
    sessions = defaultdict(list)
    for s in ExerciseSession.objects.filter(
        programme__in=[p.pk for p in programmes], date__gte=window, date__lte=today
    ).order_by("date", "pk"):
        sessions[s.programme_id].append(s)
    flagged = []
    for programme in programmes:
        programme.last_session = programme.last_session_on
        reasons = _flags_for(programme, sessions.get(programme.pk, []), today)
        if reasons:
            flagged.append(
                {"programme": programme, "patient": programme.patient, "reasons": reasons}
            )
    return flagged


def clinic_flags(user, today: date, limit: int | None = None) -> list[dict]:
    """Active exercise programmes needing the clinician's attention, most urgent first (at most
    `limit`): 3 queries, and only the flagged programmes shown are read, for any clinic."""
    programmes = attention_programmes(user, today)
    if limit is not None:
        programmes = programmes[:limit]
    return flags_for_programmes(programmes, today)


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
        # (the rule of assessments.selectors.current_programme, from the rows read here).
        "followed": current or (programmes[0] if programmes else None),
        "summary": summary,
        "past": [p for p in programmes if p is not current],
    }
