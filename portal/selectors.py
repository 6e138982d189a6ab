"""Reads for the patient's own pages: only ever the logged-in patient's rows, few queries each."""

from datetime import date

from assessments import timepoints
from assessments.selectors import programme_schedule, recorded_timepoints
from programmes.models import Programme, SessionSource
from programmes.selectors import clamp_week, programme_week, week_dates, week_plan


def next_visit(programme: Programme, today: date) -> timepoints.Status | None:
    """The next scheduled assessment still to do, with its window (no query)."""
    done = recorded_timepoints(programme)
    return timepoints.next_due(programme_schedule(programme, done, today))


def week_page(programme: Programme, week: int, today: date) -> dict:
    """What the patient's week page shows, in 2 queries whatever the data."""
    week_today = programme_week(programme, today)
    sessions = list(programme.sessions.filter(week=week).order_by("date", "pk"))
    first, last = week_dates(programme, week, today)
    return {
        "week": week,
        "week_today": week_today,
        "current_week": clamp_week(programme, week_today),
        "is_current": programme.is_open and week == week_today,
        "first_day": first,
        "last_day": last,
        "plan": week_plan(programme, week),
        "sessions": sessions,
        "done_count": len(sessions),
        "to_do": max(programme.sessions_per_week - len(sessions), 0),
        "reported_today": next(
            (s for s in sessions if s.date == today and s.source == SessionSource.HOME), None
        ),
        "previous_week": week - 1 if week > 1 else None,
        "next_week": week + 1 if week < programme.weeks else None,
        "next_visit": next_visit(programme, today),
    }
