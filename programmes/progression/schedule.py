"""Programme weeks and dates: which week a day is in, and how pauses move the weeks (no Django)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

MAX_WEEKS = 52


def week_number(start: datetime.date, today: datetime.date, paused_days: int = 0) -> int:
    """Programme week (1-based) for a date; 0 before the start; pauses push weeks later."""
    if isinstance(paused_days, bool) or not isinstance(paused_days, int) or paused_days < 0:
        raise ValueError("Paused days cannot be negative.")
    elapsed = (today - start).days
    if elapsed < 0:
        return 0
    return max(elapsed - paused_days, 0) // 7 + 1


Pause = tuple[datetime.date, datetime.date]  # first paused day, day of resumption


def paused_days_before(
    day: datetime.date, pauses: Sequence[Pause], current_pause_from: datetime.date | None = None
) -> int:
    """Days of pause before `day`: only pauses that began before it count, and only their part
    before it, so a pause never moves the weeks of the days before it."""
    total = 0
    for first, resumed in pauses:
        if resumed < first:
            raise ValueError("A pause cannot end before it starts.")
        total += max((min(resumed, day) - first).days, 0)
    if current_pause_from:  # still paused: it counts up to the day asked about
        total += max((day - current_pause_from).days, 0)
    return total


def week_start(
    start: datetime.date,
    week: int,
    pauses: Sequence[Pause],
    current_pause_from: datetime.date | None = None,
    today: datetime.date | None = None,
) -> datetime.date:
    """First day of a programme week, moved on by the pauses that began before it (an open
    pause counts up to `today`)."""
    first = start + datetime.timedelta(days=(week - 1) * 7)
    spans = sorted(pauses)
    if current_pause_from and today:
        spans.append((current_pause_from, max(today, current_pause_from)))
    for pause_from, resumed in spans:
        if pause_from <= first:
            first += resumed - pause_from
    return first
