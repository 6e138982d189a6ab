"""Which programmes need the clinician's attention, and why: pain 7+ or rising 2+ in a session,
an adverse event, pain up from last week, or no session for a week (DOMAIN.md 4).

The reasons come from the sessions themselves (flag_reasons); which programmes are flagged
comes from the summary fields each programme keeps (attention_summary, kept by the session
services), so the clinic's list is one query on the programme table.
"""

import functools
from collections import defaultdict
from datetime import date, timedelta
from types import SimpleNamespace

from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import Coalesce
from django.utils import dateformat, translation

from .models import (
    SESSION_SUMMARY_FIELDS,
    Arm,
    ExerciseSession,
    Programme,
    ProgrammeStatus,
    SessionSource,
)
from .pain import PAIN_MEANINGFUL_CHANGE, PAIN_SEVERE_FROM

FLAG_DAYS_WITHOUT_SESSION = 7


def chronological(session):
    return (session.date, session.pk)


def _day(day: date) -> str:
    return _day_in(day, translation.get_language())


@functools.lru_cache(maxsize=1024)
def _day_in(day: date, language: str | None) -> str:
    """dateformat is slow for a list's dozens of dates; a few hundred days recur all day long."""
    return dateformat.format(day, "j M")


def _peak(session) -> int:
    return session.pain_peak


def flag_reasons(programme, sessions, today) -> list[str]:
    """Why a programme needs attention; sessions in date order, home reports included."""
    reasons = []
    week_ago = today - timedelta(days=FLAG_DAYS_WITHOUT_SESSION - 1)
    recent = [s for s in sessions if s.date >= week_ago]
    for s in recent:
        day = _day(s.date) + (" (reported from home)" if s.source == SessionSource.HOME else "")
        if _peak(s) >= PAIN_SEVERE_FROM:
            reasons.append(f"Pain {_peak(s)}/10 on {day}")
        if s.pain_change is not None and s.pain_change >= PAIN_MEANINGFUL_CHANGE:
            reasons.append(
                f"Pain rose from {s.pain_before} to {s.pain_after} during the session on {day}"
            )
        if s.adverse_events:
            reasons.append(f"Adverse event on {day}: {', '.join(s.adverse_events)}")
    if recent:
        latest = recent[-1]
        last_week = [s for s in sessions if s.week == latest.week - 1]
        if last_week and _peak(latest) - _peak(last_week[-1]) >= PAIN_MEANINGFUL_CHANGE:
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
        _peak(session) >= PAIN_SEVERE_FROM
        or (session.pain_change is not None and session.pain_change >= PAIN_MEANINGFUL_CHANGE)
        or bool(session.adverse_events)
    )


def attention_summary(sessions) -> dict:
    """The Programme fields the flags query reads, from all its sessions (any order).

    - last_session_on: the latest session's date ("no session for 7 days");
    - alert_session_on: the latest session that is flagged on its own (see _alerts_on_its_own);
    - pain_up_on / pain_up_since_on: when the latest session's pain is 2+ above that of the
      latest session of the week before, the dates of those two sessions ("up from last week").

    flag_reasons gives the same answers from the sessions themselves; a test holds them together.
    """
    ordered = sorted(sessions, key=chronological)
    summary = dict.fromkeys(SESSION_SUMMARY_FIELDS)
    if not ordered:
        return summary
    latest = ordered[-1]
    summary["last_session_on"] = latest.date
    summary["alert_session_on"] = max(
        (s.date for s in ordered if _alerts_on_its_own(s)), default=None
    )
    last_week = [s for s in ordered if s.week == latest.week - 1]
    if last_week and _peak(latest) - _peak(last_week[-1]) >= PAIN_MEANINGFUL_CHANGE:
        summary["pain_up_on"], summary["pain_up_since_on"] = latest.date, last_week[-1].date
    return summary


def _attention_rules(today: date) -> dict:
    """The flags of flag_reasons as conditions on the summary fields, with an order of urgency."""
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
    return _attention_query(user.clinic_id, today)


def _attention_query(clinic_id: int, today: date):
    rules = _attention_rules(today)
    return (
        Programme.objects.filter(
            clinic_id=clinic_id, status=ProgrammeStatus.ACTIVE, arm=Arm.INTERVENTION
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


def most_urgent(user, today: date, limit: int) -> list[Programme]:
    """The `limit` most urgent of attention_programmes, with the fields flag_reasons reads
    and `_total`, the number flagged in all (1 query; patients not read).

    Building this query's SQL costs more CPU than the database spends answering it, and the
    home page asks it after every change in the clinic: its SQL and parameters, which depend
    only on the clinic, the day and the limit, are built once (_most_urgent_sql)."""
    if not user.is_clinic_staff:
        return []
    sql, params = _most_urgent_sql(user.clinic_id, today, limit)
    return list(Programme.objects.raw(sql, params))


@functools.lru_cache(maxsize=256)
def _most_urgent_sql(clinic_id: int, today: date, limit: int) -> tuple[str, tuple]:
    query = (
        _attention_query(clinic_id, today)
        .prefetch_related(None)
        .only("pk", "patient_id", "public_id", "start_date", "last_session_on")
        # The total rides along on each row (COUNT(*) OVER ()): one query, not two.
        .annotate(_total=Window(Count("pk")))[:limit]
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


class SessionRow(SimpleNamespace):
    """A session's fields as read by values(), with the model's own rules on them: what
    flag_reasons reads, without building model instances (the costliest part of a list)."""

    adverse_events = property(ExerciseSession.adverse_events.fget)
    pain_change = property(ExerciseSession.pain_change.fget)
    pain_peak = property(ExerciseSession.pain_peak.fget)
    is_home = property(ExerciseSession.is_home.fget)
    pk = property(lambda self: self.id)


def flags_for_programmes(programmes, today: date) -> list[dict]:
    """The reasons of each programme's flags, from its last two weeks' sessions (1 query)."""
    programmes = list(programmes)
    window = today - timedelta(days=2 * FLAG_DAYS_WITHOUT_SESSION)
    sessions = defaultdict(list)
    for s in (
        ExerciseSession.objects.filter(
            programme__in=[p.pk for p in programmes], date__gte=window, date__lte=today
        )
        .order_by("date", "pk")
        .values()
    ):
        sessions[s["programme_id"]].append(SessionRow(**s))
    flagged = []
    for programme in programmes:
        programme.last_session = programme.last_session_on
        reasons = flag_reasons(programme, sessions.get(programme.pk, []), today)
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
