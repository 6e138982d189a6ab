"""Programme weeks, dates and pauses (no database)."""

import datetime
from decimal import Decimal

import pytest

from programmes.progression import schedule
from programmes.progression.schedule import week_number

D = Decimal


def loads_of(plan):
    return [week.load_kg for week in plan]


# --- week_number ------------------------------------------------------------------------------

START = datetime.date(2024, 3, 4)


def days(n):
    return START + datetime.timedelta(days=n)


@pytest.mark.parametrize(("offset", "week"), [(0, 1), (6, 1), (7, 2), (13, 2), (14, 3), (83, 12)])
def test_each_programme_week_is_seven_days_from_the_start(offset, week):
    assert week_number(START, days(offset)) == week


def test_before_the_start_the_week_is_zero():
    assert week_number(START, days(-1)) == 0


def test_paused_days_push_later_weeks_back():
    assert week_number(START, days(7), paused_days=3) == 1
    assert week_number(START, days(10), paused_days=3) == 2


def test_a_pause_never_takes_the_patient_back_before_week_one():
    assert week_number(START, days(2), paused_days=10) == 1


def test_paused_days_cannot_be_negative():
    with pytest.raises(ValueError, match="Paused days"):
        week_number(START, days(3), paused_days=-1)


# --- Pauses move only the weeks after them -----------------------------------------------------

Day = datetime.date


def test_a_pause_does_not_move_the_days_before_it():
    pauses = [(Day(2026, 1, 16), Day(2026, 2, 5))]
    assert schedule.paused_days_before(Day(2026, 1, 11), pauses) == 0
    assert schedule.paused_days_before(Day(2026, 1, 20), pauses) == 4  # the week stands still
    assert schedule.paused_days_before(Day(2026, 3, 1), pauses) == 20


def test_an_open_pause_counts_up_to_the_day_asked_about():
    assert schedule.paused_days_before(Day(2026, 1, 20), [], Day(2026, 1, 16)) == 4
    assert schedule.paused_days_before(Day(2026, 1, 10), [], Day(2026, 1, 16)) == 0


def test_a_pause_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="cannot end before it starts"):
        schedule.paused_days_before(Day(2026, 3, 1), [(Day(2026, 2, 5), Day(2026, 1, 16))])


def test_a_week_after_a_pause_starts_later_by_the_pause_and_earlier_weeks_do_not_move():
    start = Day(2026, 1, 1)
    pauses = [(Day(2026, 1, 16), Day(2026, 1, 26))]  # 10 days, during week 3
    assert schedule.week_start(start, 2, pauses) == Day(2026, 1, 8)
    assert schedule.week_start(start, 3, pauses) == Day(2026, 1, 15)
    assert schedule.week_start(start, 4, pauses) == Day(2026, 2, 1)


def test_an_open_pause_pushes_the_coming_weeks_to_after_today():
    start = Day(2026, 1, 1)
    assert schedule.week_start(start, 4, [], Day(2026, 1, 16), today=Day(2026, 1, 20)) == Day(
        2026, 1, 26
    )
