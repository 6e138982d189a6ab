"""When each assessment visit of a programme is due. Pure Python (no Django).

The rule, in days from the programme's start date (day 0 is the first day of week 1):

- baseline: any date up to and including day 6 (before the start, or within its first week).
  It appears on the to-do list from day -7, so a programme starting in three months is not
  "due" today.
- week 6: target day 42, the end of week 6 (week 6 is days 35-41), due from day 35 to day 49.
- week 12: target day 84, the end of week 12 (days 77-83, the programme's last week), due from
  day 77 to day 91, so the visit can fall in the programme's last week or the week after it.

The windows are a week either side of the target (DOMAIN.md 4a: "about a week"). Seven days
means each window opens on the first day of the week it assesses, never earlier, and the two
never meet. Before a window opens a visit is refused; after it closes it is a protocol deviation
(assessments.models.Visit). (Until issue 13 the targets were days 35 and 77, the first days of
those weeks; a visit recorded then keeps its date on correction, see Visit._clean_window.)

Days spent paused before a visit's target day push that visit back by as many days (the patient
did not exercise then), as they push the programme's weeks; a pause after it leaves it
where it was, and a programme paused today keeps sliding until it resumes. Baseline never
moves. The caller works out each visit's shift (assessments.selectors.programme_windows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

BASELINE = "baseline"
WEEK6 = "week6"
WEEK12 = "week12"
SCHEDULED: tuple[str, ...] = (BASELINE, WEEK6, WEEK12)
# The one place each scheduled visit is named: the model's choices, the tables, the files and the
# pages read these.
LABELS = {BASELINE: "Baseline", WEEK6: "Week 6", WEEK12: "Week 12"}

BASELINE_LAST_DAY = 6
BASELINE_LISTED_FROM_DAY = -7
# The day after each week's last day (the end of week 6 and of week 12): the first day of week 7
# and of week 13, so a pause is counted exactly as it moves those weeks.
TARGET_DAY = {WEEK6: 42, WEEK12: 84}
HALF_WINDOW_DAYS = 7  # a week either side; see the module's docstring

# What the to-do lists call each state of a scheduled visit.
DONE = "done"
DUE = "due"
OVERDUE = "overdue"
UPCOMING = "upcoming"
MISSED = "missed"  # its window passed and a later scheduled visit has been recorded


@dataclass(frozen=True)
class Window:
    timepoint: str
    target: date
    opens: date  # first day it is listed as due
    closes: date  # last day it is on time

    def contains(self, day: date) -> bool:
        """True if a visit on `day` is on time; a baseline may be any day before the start."""
        if self.timepoint == BASELINE:
            return day <= self.closes
        return self.opens <= day <= self.closes

    def overlaps(self, first: date, last: date) -> bool:
        return self.opens <= last and first <= self.closes


def windows(start: date, *, shift_days: int | Mapping[str, int] = 0) -> dict[str, Window]:
    """The three scheduled windows of a programme starting on `start`, in order. shift_days:
    the days paused before week 6 and week 12, one number for both or one per timepoint."""
    shifts = (
        shift_days if isinstance(shift_days, Mapping) else dict.fromkeys(TARGET_DAY, shift_days)
    )
    if any(days < 0 for days in shifts.values()):
        raise ValueError(f"shift_days: {shift_days!r} cannot be negative")
    result = {
        BASELINE: Window(
            BASELINE,
            target=start,
            opens=start + timedelta(days=BASELINE_LISTED_FROM_DAY),
            closes=start + timedelta(days=BASELINE_LAST_DAY),
        )
    }
    for timepoint, day in TARGET_DAY.items():
        target = start + timedelta(days=day + shifts.get(timepoint, 0))
        result[timepoint] = Window(
            timepoint,
            target=target,
            opens=target - timedelta(days=HALF_WINDOW_DAYS),
            closes=target + timedelta(days=HALF_WINDOW_DAYS),
        )
    return result


@dataclass(frozen=True)
class Status:
    window: Window
    state: str  # DONE, DUE, OVERDUE, UPCOMING or MISSED

    @property
    def timepoint(self) -> str:
        return self.window.timepoint

    @property
    def label(self) -> str:
        return LABELS[self.timepoint]

    # The pages ask these, so a template never compares a state or timepoint code itself.
    @property
    def is_baseline(self) -> bool:
        return self.timepoint == BASELINE

    @property
    def is_week6(self) -> bool:
        return self.timepoint == WEEK6

    @property
    def is_done(self) -> bool:
        return self.state == DONE

    @property
    def is_missed(self) -> bool:
        return self.state == MISSED

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE


def statuses(
    window_by_timepoint: Mapping[str, Window], done: Iterable[str], today: date
) -> list[Status]:
    """The state of each scheduled visit on `today`, given the timepoints already recorded."""
    done = set(done)
    result = []
    for index, timepoint in enumerate(SCHEDULED):
        window = window_by_timepoint[timepoint]
        later_done = any(t in done for t in SCHEDULED[index + 1 :])
        if timepoint in done:
            state = DONE
        elif today > window.closes:
            state = MISSED if later_done else OVERDUE
        elif today >= window.opens:
            state = DUE
        else:
            state = UPCOMING
        result.append(Status(window, state))
    return result


def next_due(status_list: Iterable[Status]) -> Status | None:
    """The first scheduled visit still to do (overdue, due or upcoming), or None."""
    for status in status_list:
        if status.state in (OVERDUE, DUE, UPCOMING):
            return status
    return None


def study_day(start: date, day: date) -> int:
    """Day of the programme (0 = start date; negative before it)."""
    return (day - start).days
